import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  FLOW_DIAGNOSTIC_CODES,
  formatDiagnostic,
  loadFlowFile,
  parseFlowText,
  type FlowDiagnostic,
  type FlowDocument,
} from '../schema/index.js';
import { LINT_RULE_CODES, lintFlow } from './index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/flows');
/** Codes that need more than one file or no file at all; the registry and loader tests cover them. */
const NOT_IN_FIXTURES = ['SWB_FLOW_FILE_UNREADABLE', 'SWB_FLOW_DUPLICATE_NAME', 'SWB_FLOW_DUPLICATE_NUMBER'];

function flowFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f));
}

/** Load errors, or, for a flow that loads, everything the linter says (subflows looked up in `flows`). */
function check(file: string, flows: ReadonlyMap<string, FlowDocument> = new Map()): FlowDiagnostic[] {
  const r = loadFlowFile(file);
  return r.ok ? [...r.warnings, ...lintFlow(r.flow, { flows })] : r.errors;
}

function load(text: string): FlowDocument {
  const r = parseFlowText(text, '/flows/test.yaml');
  if (!r.ok) assert.fail(r.errors.map(formatDiagnostic).join('\n'));
  return r.flow;
}

const codes = (ds: FlowDiagnostic[]) => ds.map((d) => d.code);

describe('flow fixtures', () => {
  const good = flowFiles(join(FIXTURES, 'good'));
  const goodFlows = new Map<string, FlowDocument>();
  for (const file of good) {
    const r = loadFlowFile(file);
    if (r.ok) goodFlows.set(r.flow.name, r.flow);
  }

  it('has good flows, and every one loads with no error and no warning', () => {
    assert.ok(good.length >= 4);
    for (const file of good) assert.deepEqual(check(file, goodFlows).map(formatDiagnostic), [], file);
  });

  const bad = flowFiles(join(FIXTURES, 'bad'));
  for (const file of bad) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    it(`bad/${name} breaks exactly the rule it names`, () => {
      const expect = /^# expect: (SWB_FLOW_[A-Z_]+) at (\d+):(\d+)$/m.exec(readFileSync(file, 'utf8').split('\n')[0]);
      assert.ok(expect, 'the first line must be "# expect: SWB_FLOW_… at line:column"');
      const [, code, line, column] = expect;
      const also = /^# also: (SWB_FLOW_[A-Z_]+)/m.exec(readFileSync(file, 'utf8'))?.[1];
      const found = check(file);
      assert.deepEqual([...new Set(codes(found))].sort(), [code, ...(also ? [also] : [])].sort(), found.map(formatDiagnostic).join('\n'));
      assert.ok(
        found.some((d) => d.line === Number(line) && d.column === Number(column)),
        `expected one at ${line}:${column}, got ${found.map(formatDiagnostic).join('; ')}`,
      );
    });
  }

  it('covers every diagnostic code with a bad fixture', () => {
    const covered = new Set(bad.map((f) => /# expect: (\S+)/.exec(readFileSync(f, 'utf8'))?.[1]));
    const missing = Object.keys(FLOW_DIAGNOSTIC_CODES).filter((c) => !covered.has(c) && !NOT_IN_FIXTURES.includes(c));
    assert.deepEqual(missing, []);
    for (const code of LINT_RULE_CODES) assert.ok(code in FLOW_DIAGNOSTIC_CODES, code);
  });

  it('keeps the example of docs/flows.md valid and clean', () => {
    const docs = readFileSync(join(ROOT, 'docs/flows.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    const r = parseFlowText(example, join(FIXTURES, 'good/docs-example.yaml'));
    assert.ok(r.ok, r.ok ? '' : r.errors.map(formatDiagnostic).join('\n'));
    assert.deepEqual(lintFlow(r.flow).map(formatDiagnostic), []);
    assert.deepEqual(r.flow.nodes, loadFlowFile(join(FIXTURES, 'good/demo.yaml')).ok && goodFlows.get('demo')?.nodes);
  });

  it('documents every code in docs/flows.md, and only real ones', () => {
    const docs = readFileSync(join(ROOT, 'docs/flows.md'), 'utf8');
    const mentioned = new Set(docs.match(/SWB_FLOW_[A-Z_]+/g) ?? []);
    assert.deepEqual(Object.keys(FLOW_DIAGNOSTIC_CODES).filter((c) => !mentioned.has(c)), []);
    assert.deepEqual([...mentioned].filter((c) => !(c in FLOW_DIAGNOSTIC_CODES)), []);
  });
});

const HEAD = 'numbers: ["1"]\nescape: { to: bye }\nstart: main\nnodes:\n';
const BYE = '  bye:\n    type: hangup\n';

describe('lintFlow', () => {
  it('counts the escape as a way out of a loop that plays prompts, unless it leads back in', () => {
    const loop = '  main:\n    type: say\n    prompt: Hold.\n    next: main\n';
    assert.deepEqual(codes(lintFlow(load(HEAD + loop + BYE))), []);
    const trapped = load(HEAD.replace('to: bye', 'to: main') + loop);
    assert.deepEqual(codes(lintFlow(trapped)), ['SWB_FLOW_ENDLESS_LOOP']);
  });

  it('reports a silent loop even with an escape, since nobody hears a prompt to press it in', () => {
    const flow = load(HEAD + '  main:\n    type: goto\n    next: other\n  other:\n    type: goto\n    next: main\n' + BYE);
    const found = lintFlow(flow);
    assert.deepEqual(codes(found), ['SWB_FLOW_ENDLESS_LOOP']);
    assert.match(found[0].message, /'main' → 'other' → 'main': it plays nothing/);
  });

  it('does not count a loop as endless when a menu without fallback can end the call', () => {
    const menu = '  main:\n    type: menu\n    prompt: Press 1.\n    options: { "1": main }\n';
    assert.deepEqual(codes(lintFlow(load(HEAD + menu + BYE))), [], 'with an escape, the escape is the fallback');
    const found = lintFlow(load(HEAD.replace('escape: { to: bye }', 'escape: false') + menu + BYE));
    assert.deepEqual(codes(found), ['SWB_FLOW_NO_ESCAPE', 'SWB_FLOW_NO_FALLBACK', 'SWB_FLOW_UNREACHABLE']);
  });

  it('accepts a branch whose last condition is always true', () => {
    const branch = '  main:\n    type: branch\n    conditions:\n      - when: caller == "1"\n        next: bye\n      - when: true\n        next: bye\n';
    assert.deepEqual(codes(lintFlow(load(HEAD + branch + BYE))), []);
    assert.deepEqual(codes(lintFlow(load(HEAD + branch.replace('when: true', 'when: caller == "2"') + BYE))), ['SWB_FLOW_DEAD_END']);
  });

  it('treats a flow with no numbers as a subflow: its path ends return, its variables come from the caller', () => {
    const sub = load('start: ask\nnodes:\n  ask:\n    type: say\n    prompt: Your code is {{ code }}.\n');
    assert.deepEqual(codes(lintFlow(sub)), []);
  });

  it('knows variables set and read by subflows, and names unknown subflows with a suggestion', () => {
    const sub = load('name: pin\nstart: ask\nnodes:\n  ask:\n    type: gather\n    prompt: PIN?\n    into: pin\n    fallback: ask\n    next: ok\n  ok:\n    type: say\n    prompt: Thanks.\n');
    const main = load(HEAD + '  main:\n    type: subflow\n    flow: pin\n    next: done\n  done:\n    type: hangup\n    prompt: Your PIN was {{ pin }}.\n' + BYE);
    assert.deepEqual(codes(lintFlow(main, { flows: new Map([['pin', sub]]) })), []);
    assert.deepEqual(codes(lintFlow(sub)), [], 'a subflow stores for its caller');
    const found = lintFlow(main, { flows: new Map([['pins', sub]]) });
    assert.deepEqual(codes(found), ['SWB_FLOW_UNKNOWN_SUBFLOW', 'SWB_FLOW_UNKNOWN_VARIABLE']);
    assert.match(found[0].message, /did you mean 'pins'/);
    assert.deepEqual(codes(lintFlow(main)), ['SWB_FLOW_UNKNOWN_VARIABLE'], 'without a lookup, subflow names are not checked');
  });

  it('finds subflow cycles through other flows, with a lookup function', () => {
    const a = load('name: a\nnumbers: ["1"]\nescape: { to: bye }\nstart: s\nnodes:\n  s:\n    type: subflow\n    flow: b\n    next: bye\n' + BYE);
    const b = load('name: b\nstart: s\nnodes:\n  s:\n    type: subflow\n    flow: a\n');
    const flows = (name: string) => ({ a, b })[name];
    assert.deepEqual(codes(lintFlow(a, { flows })), ['SWB_FLOW_SUBFLOW_CYCLE']);
  });

  it('treats the escape target as reachable and warns when an option shadows the escape key', () => {
    const flow = load(HEAD + '  main:\n    type: menu\n    prompt: Press 1.\n    options: { "1": bye, "0": bye }\n    fallback: bye\n' + BYE);
    const found = lintFlow(flow);
    assert.deepEqual(codes(found), ['SWB_FLOW_ESCAPE_SHADOWED']);
    assert.equal(found[0].severity, 'warning');
    assert.equal(found[0].file, '/flows/test.yaml');
  });

  it('reports an absent escape differently from escape: false', () => {
    const flow = load('numbers: ["1"]\nstart: main\nnodes:\n  main:\n    type: hangup\n');
    const found = lintFlow(flow);
    assert.deepEqual(found.map((d) => [d.code, d.line, d.column]), [['SWB_FLOW_NO_ESCAPE', 1, 1]]);
    assert.match(found[0].message, /has no escape/);
  });
});
