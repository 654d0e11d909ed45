import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  formatDiagnostic,
  loadFlowFile,
  parseFlowText,
  positionOf,
  type FlowDiagnostic,
  type FlowDocument,
  type FlowLoadResult,
} from './index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const GOOD = join(ROOT, 'test/fixtures/flows/good');

function ok(r: FlowLoadResult): FlowDocument {
  if (!r.ok) assert.fail(`expected the flow to load:\n${r.errors.map(formatDiagnostic).join('\n')}`);
  return r.flow;
}

function errors(r: FlowLoadResult): FlowDiagnostic[] {
  if (r.ok) assert.fail('expected the flow to be refused');
  return r.errors;
}

const at = (d: FlowDiagnostic) => `${d.line}:${d.column} ${d.code}`;

const MINIMAL = `start: main
nodes:
  main:
    type: hangup
`;

describe('loadFlowFile', () => {
  it('loads the docs example with durations in ms, defaults applied and file-relative paths', () => {
    const flow = ok(loadFlowFile(join(GOOD, 'demo.yaml')));
    assert.equal(flow.name, 'demo');
    assert.deepEqual(flow.numbers, ['demo']);
    assert.equal(flow.timezone, 'Europe/London');
    assert.equal(flow.currency, 'USD');
    assert.deepEqual(flow.escape, { key: '0', to: 'operator' });
    assert.equal(flow.file, join(GOOD, 'demo.yaml'));
    assert.match(flow.revision, /^[0-9a-f]{12}$/);
    const main = flow.nodes.main;
    assert.equal(main.type, 'menu');
    if (main.type !== 'menu') return;
    assert.equal(main.timeoutMs, 8000);
    assert.equal(main.retries, 3);
    assert.equal(main.repeatKey, '*');
    assert.equal(main.bargeIn, true);
    assert.deepEqual(main.options, { 1: 'time', 2: 'digits' });
    assert.deepEqual(main.prompt, [{ kind: 'say', text: 'For the time, press 1. To hear your digits read back, press 2.' }]);
    const digits = flow.nodes.digits;
    assert.equal(digits.type, 'gather');
    if (digits.type !== 'gather') return;
    assert.equal(digits.timeoutMs, 5000);
    assert.equal(digits.interDigitTimeoutMs, 3000);
    assert.equal(digits.minDigits, 1);
    assert.equal(digits.terminator, '#');
    assert.equal(digits.sensitive, false);
  });

  it('normalizes every prompt form, play files to absolute paths, schedules to minutes', () => {
    const flow = ok(loadFlowFile(join(GOOD, 'office.yaml')));
    const wav = join(GOOD, 'audio/hello.wav');
    assert.deepEqual(flow.nodes.welcome, { id: 'welcome', type: 'play', prompt: [{ kind: 'play', file: wav }], next: 'hours', bargeIn: false });
    const account = flow.nodes.account;
    assert.ok(account.type === 'gather');
    assert.deepEqual(account.prompt, [{ kind: 'play', file: wav }, { kind: 'say', text: 'Please enter your account number, then press pound.' }]);
    assert.deepEqual(account.validate, { pattern: '[0-9]{6,10}', luhn: true });
    assert.equal(account.sensitive, true);
    assert.deepEqual(account.invalidPrompt, [{ kind: 'say', text: 'That is not a valid account number.' }]);
    const office = flow.schedules.office;
    assert.equal(office.timezone, 'Europe/London');
    assert.deepEqual(office.hours.mon, [{ startMinute: 540, endMinute: 750 }, { startMinute: 810, endMinute: 1050 }]);
    assert.deepEqual(office.hours.fri, office.hours.mon);
    assert.deepEqual(office.hours.sat, [{ startMinute: 600, endMinute: 780 }]);
    assert.deepEqual(office.hours.sun, []);
    assert.deepEqual(office.holidays, ['2026-12-25', '2026-12-26']);
    assert.equal(flow.schedules.helpdesk.timezone, 'America/New_York');
    assert.deepEqual(flow.schedules.helpdesk.hours.sun, [{ startMinute: 0, endMinute: 1440 }]);
    const survey = flow.nodes.survey;
    assert.ok(survey.type === 'menu');
    assert.deepEqual(survey.options, { 1: 'thanks', 2: 'thanks' });
    assert.equal(survey.repeatKey, '#');
    assert.equal(survey.backKey, '*');
    assert.deepEqual(flow.nodes.route, { id: 'route', type: 'switch', value: 'tier', cases: { true: 'gold', false: 'standard' }, default: 'standard' });
  });

  it('loads JSON with the same positions machinery', () => {
    const flow = ok(loadFlowFile(join(GOOD, 'support.json')));
    assert.equal(flow.nodes.main.type, 'menu');
    assert.deepEqual(flow.escape, { key: '0', to: 'agent' });
    assert.deepEqual(flow.positions.nodes.billing, { line: 14, column: 5 });
    const bad = errors(parseFlowText('{\n  "start": "main",\n  "nodes": { "main": { "type": "hangup", "promt": "x" } }\n}\n', 'x.json'));
    assert.deepEqual(bad.map(at), ['3:42 SWB_FLOW_UNKNOWN_KEY']);
  });

  it('keeps positions of nodes and values, and points inside single-line strings', () => {
    const flow = ok(loadFlowFile(join(GOOD, 'demo.yaml')));
    assert.deepEqual(flow.positions.nodes.time, { line: 21, column: 3 });
    assert.deepEqual(positionOf(flow, ['nodes', 'time', 'next']), { line: 24, column: 11 });
    assert.deepEqual(positionOf(flow, ['nodes', 'time', 'prompt'], 4), { line: 23, column: 17 });
    assert.deepEqual(positionOf(flow, ['nodes', 'time', 'no-such-key']), positionOf(flow, ['nodes', 'time']));
  });

  it('freezes the document, so a reload can never change a running call', () => {
    const flow = ok(parseFlowText(MINIMAL, 'min.yaml'));
    assert.ok(Object.isFrozen(flow) && Object.isFrozen(flow.nodes.main) && Object.isFrozen(flow.positions.paths));
    assert.throws(() => {
      (flow as { start: string }).start = 'other';
    }, TypeError);
  });

  it('names the flow after its file and applies flow-level defaults', () => {
    const flow = ok(parseFlowText(MINIMAL, '/srv/flows/after-hours.yml'));
    assert.equal(flow.name, 'after-hours');
    assert.equal(flow.voice, 'slt');
    assert.equal(flow.timezone, 'UTC');
    assert.equal(flow.escape, false);
    assert.deepEqual(flow.numbers, []);
    assert.deepEqual(flow.nodes.main, { id: 'main', type: 'hangup', prompt: [] });
  });

  it('reports every problem at once, each at its key or value', () => {
    const text = `name: broken
timezone: Mars/Olympus
start: mian
nodes:
  main:
    type: menu
    promt: Hello
    options:
      "1": nowhere
    timeout: soon
  other:
    type: sai
  third:
    type: gather
    prompt: PIN please.
    into: pin
    minDigits: 6
    maxDigits: 4
    next: main
`;
    const found = errors(parseFlowText(text, 'flows/broken.yaml'));
    assert.deepEqual(found.map(at), [
      '2:11 SWB_FLOW_INVALID_TIMEZONE',
      '3:8 SWB_FLOW_UNKNOWN_NODE',
      '7:5 SWB_FLOW_UNKNOWN_KEY',
      '10:14 SWB_FLOW_INVALID_DURATION',
      '12:11 SWB_FLOW_UNKNOWN_NODE_TYPE',
      '17:16 SWB_FLOW_INVALID_VALUE',
    ]);
    assert.equal(formatDiagnostic(found[1]), "flows/broken.yaml:3:8: error SWB_FLOW_UNKNOWN_NODE: start 'mian' is not a node (did you mean 'main'?)");
    assert.match(found[2].message, /unknown key 'promt' in menu node 'main' \(did you mean 'prompt'\?\)/);
    assert.match(found[4].message, /did you mean 'say'/);
  });

  it('checks references of nodes that are valid even when others are not', () => {
    const text = `start: main
nodes:
  main:
    type: say
    prompt: Hi
    next: broken
  broken:
    type: say
  loose:
    type: say
    prompt: Bye
    next: gone
`;
    assert.deepEqual(errors(parseFlowText(text, 'f.yaml')).map(at), ['7:3 SWB_FLOW_MISSING_KEY', '12:11 SWB_FLOW_UNKNOWN_NODE']);
  });

  it('reports syntax errors with their position and never half-loads', () => {
    const found = errors(parseFlowText('start: main\nnodes:\n  main: { type: hangup\n', 'f.yaml'));
    assert.ok(found.length > 0);
    assert.ok(found.every((d) => d.code === 'SWB_FLOW_SYNTAX' && d.line >= 3));
  });

  it('refuses keys that are the same once loaded and files that are not mappings', () => {
    const dup = errors(parseFlowText('start: main\nnodes:\n  main:\n    type: menu\n    prompt: x\n    options:\n      1: main\n      "1": main\n', 'f.yaml'));
    assert.deepEqual(dup.map(at), ['8:7 SWB_FLOW_SYNTAX']);
    assert.deepEqual(errors(parseFlowText('', 'f.yaml')).map(at), ['1:1 SWB_FLOW_INVALID_VALUE']);
    assert.deepEqual(errors(parseFlowText('- a\n- b\n', 'f.yaml')).map(at), ['1:1 SWB_FLOW_INVALID_VALUE']);
  });

  it('checks expressions and prompt templates with positions inside the text', () => {
    const text = `start: main
nodes:
  main:
    type: set
    values:
      total: 'count + '
    next: speak
  speak:
    type: hangup
    prompt: "Total: {{ total ) }}"
`;
    assert.deepEqual(errors(parseFlowText(text, 'f.yaml')).map(at), ['6:23 SWB_FLOW_INVALID_EXPRESSION', '10:30 SWB_FLOW_INVALID_EXPRESSION']);
  });

  it('explains a bad escape by the shape it was meant to have', () => {
    const escape = (value: string) => errors(parseFlowText(`escape: ${value}\n${MINIMAL}`, 'f.yaml'));
    assert.deepEqual(escape('true').map((d) => [d.code, d.message]), [['SWB_FLOW_INVALID_VALUE', `'escape': expected false or { key: "0", to: node }`]]);
    assert.deepEqual(escape('{ key: "0" }').map(at), ['1:1 SWB_FLOW_MISSING_KEY']);
    assert.deepEqual(escape('{ key: 11, to: main }').map(at), ['1:16 SWB_FLOW_INVALID_KEY']);
    assert.deepEqual(ok(parseFlowText(`escape: { key: "#", to: main }\n${MINIMAL}`, 'f.yaml')).escape, { key: '#', to: 'main' });
  });

  it('lets an option take the default repeat key, but not one written out', () => {
    const menu = (extra: string) => `start: m\nnodes:\n  m:\n    type: menu\n    prompt: x\n    options:\n      "*": m\n${extra}`;
    const flow = ok(parseFlowText(menu(''), 'f.yaml'));
    assert.ok(flow.nodes.m.type === 'menu' && flow.nodes.m.repeatKey === null);
    assert.deepEqual(errors(parseFlowText(menu('    repeatKey: "*"\n'), 'f.yaml')).map(at), ['8:16 SWB_FLOW_KEY_CONFLICT']);
    const off = ok(parseFlowText(menu('    repeatKey: false\n'), 'f.yaml'));
    assert.ok(off.nodes.m.type === 'menu' && off.nodes.m.repeatKey === null);
  });

  it('takes a play node from file or prompt, not both and not neither', () => {
    const play = (body: string) => `start: p\nnodes:\n  p:\n    type: play\n${body}`;
    assert.deepEqual(errors(parseFlowText(play(''), join(GOOD, 'x.yaml'))).map(at), ['3:3 SWB_FLOW_MISSING_KEY']);
    const both = errors(parseFlowText(play('    file: audio/hello.wav\n    prompt: hi\n'), join(GOOD, 'x.yaml')));
    assert.deepEqual(both.map((d) => d.code), ['SWB_FLOW_INVALID_VALUE']);
    const fromPrompt = ok(parseFlowText(play('    prompt: [{ play: audio/hello.wav }]\n'), join(GOOD, 'x.yaml')));
    assert.deepEqual(fromPrompt.nodes.p.type === 'play' && fromPrompt.nodes.p.prompt, [{ kind: 'play', file: join(GOOD, 'audio/hello.wav') }]);
  });

  it('returns an error result for a file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swb-flow-'));
    try {
      const found = errors(loadFlowFile(join(dir, 'missing.yaml')));
      assert.deepEqual(found.map((d) => [d.code, d.line, d.column]), [['SWB_FLOW_FILE_UNREADABLE', 1, 1]]);
      writeFileSync(join(dir, 'ok.yaml'), MINIMAL);
      assert.equal(ok(loadFlowFile(join(dir, 'ok.yaml'))).name, 'ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
