import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSwitchboardError } from '../../common/index.js';
import { parseFlowText, type FlowDocument } from '../schema/index.js';
import { parseGoldenCase, renderGoldenCase } from './golden-case.js';
import { formatRoute, simulateFlow } from './simulate-flow.js';

const dir = mkdtempSync(join(tmpdir(), 'swb-simulate-'));
writeFileSync(join(dir, 'hold.wav'), 'RIFF');

function flow(yaml: string, name = 'f'): FlowDocument {
  const r = parseFlowText(yaml, join(dir, `${name}.yaml`));
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.flow;
}

const at = new Date('2026-11-21T10:00:00Z');

const PAY = flow(`
start: intro
nodes:
  intro: { type: play, prompt: [{ play: hold.wav }, "One moment.<break 250ms/>"], next: menu }
  menu: { type: menu, prompt: Press 1 to pay., options: { "1": card }, timeout: 3s, retries: 0, fallback: bye }
  card:
    type: gather
    prompt: Card number.
    into: card
    sensitive: true
    validate: { luhn: true }
    retries: 0
    fallback: bye
    next: bye
  bye: { type: hangup, prompt: Bye. }
`);

test('the transcript shows prompts, pauses, files, keys (masked when sensitive), time and the route', async () => {
  const t = await simulateFlow(PAY, { inputs: ['timeout', '1', '4111111111111111#'], startTime: at });
  assert.deepEqual(t.lines, [
    '[00:00.000] -> intro (play)',
    '[00:00.000] PLAY: hold.wav',
    '[00:00.000] SAY: One moment.',
    '[00:00.000] PAUSE 250ms',
    '[00:00.000] -> menu (menu)',
    '[00:00.000] SAY: Press 1 to pay.',
    '[00:03.000] NO KEY (timeout)',
    '[00:03.000] -> bye (hangup)',
    '[00:03.000] SAY: Bye.',
    '[00:03.000] HANGUP',
    '[00:03.000] END: hangup',
    'ROUTE: intro > menu > bye',
    'UNUSED INPUTS: 1,4111111111111111#',
  ]);
  const paid = await simulateFlow(PAY, { inputs: ['1', '4111111111111111#'], startTime: at });
  assert.ok(paid.lines.includes('[00:00.000] KEYS: **** then #'), paid.text);
  assert.ok(!paid.text.includes('4111'), 'card digits never appear');
  assert.ok(paid.text.endsWith('VARS: card="****"\n'));
});

test('keys beyond what a menu needs are typed ahead (a gather drops them); inputs running out hang up', async () => {
  const t = await simulateFlow(PAY, { inputs: ['14111111111111111#'], startTime: at });
  assert.ok(t.lines.includes('[00:00.000] KEYS: 1'));
  assert.ok(t.lines.includes('[00:00.000] SAY: Card number.'), 'the gather dropped the keys typed before it');
  assert.ok(t.lines.includes('[00:00.000] CALLER HANGS UP (no more inputs)'), t.text);
  assert.equal(t.result.disposition, 'caller-hangup');
  assert.equal(t.result.callerHangupAt?.node, 'card');
});

test('digits without a terminator end at the inter-digit timeout on the fake clock', async () => {
  const doc = flow('start: g\nnodes:\n  g: { type: gather, prompt: Go., into: x, interDigitTimeout: 2s, next: e }\n  e: { type: hangup }\n');
  const t = await simulateFlow(doc, { inputs: ['42'], startTime: at });
  assert.ok(t.lines.includes('[00:02.000] KEYS: 42 then timeout'), t.text);
  assert.equal(t.result.path[1].atMs - t.result.path[0].atMs, 2000);
});

test('bad inputs are refused before the call starts', async () => {
  await assert.rejects(simulateFlow(PAY, { inputs: ['1', 'later'], startTime: at }),
    (e: unknown) => isSwitchboardError(e, 'SWB_ERR_FLOW_SIMULATION') && /"later"/.test(e.message));
});

test('subflow nodes are written flow/node in the route', async () => {
  const sub = flow('name: sub\nstart: s\nnodes:\n  s: { type: say, prompt: Inside. }\n', 'sub');
  const main = flow('name: main\nstart: a\nnodes:\n  a: { type: subflow, flow: sub, next: b }\n  b: { type: hangup }\n', 'main');
  const t = await simulateFlow(main, { inputs: [], startTime: at, flows: [sub] });
  assert.equal(formatRoute(t.result), 'a > sub/s > b');
  assert.ok(t.lines.includes('[00:00.000] -> sub/s (say)'));
});

test('golden case headers parse, render back, and are checked', async () => {
  const text = '# about: x\n# inputs: 1, 2#\n# at: 2026-11-21T10:00:00Z\n# to: demo\nbody\n';
  const c = parseGoldenCase(text, 'c.txt');
  assert.deepEqual(c, { about: 'x', inputs: ['1', '2#'], at, to: 'demo' });
  const t = await simulateFlow(PAY, { inputs: c.inputs, startTime: c.at });
  assert.equal(renderGoldenCase(c, t), `# about: x\n# inputs: 1,2#\n# at: 2026-11-21T10:00:00.000Z\n# to: demo\n${t.text}`);
  assert.throws(() => parseGoldenCase('# inputs: 1\n', 'c'), /needs "# at:/);
  assert.throws(() => parseGoldenCase('# at: 2026-01-01T00:00:00Z\n', 'c'), /needs "# inputs:/);
  assert.throws(() => parseGoldenCase('# input: 1\n', 'c'), /unknown header "input"/);
  assert.throws(() => parseGoldenCase('# inputs:\n# at: someday\n', 'c'), /is not a time/);
});

test('keys typed ahead carry from one menu to the next, skipping its prompt', async () => {
  const doc = flow(`
start: a
nodes:
  a: { type: menu, prompt: First., options: { "1": b }, fallback: z }
  b: { type: menu, prompt: Second., options: { "2": z }, fallback: z }
  z: { type: hangup }
`);
  const t = await simulateFlow(doc, { inputs: ['12'], startTime: at });
  assert.deepEqual(t.lines.slice(0, 6), [
    '[00:00.000] -> a (menu)', '[00:00.000] SAY: First.', '[00:00.000]   (interrupted by a key)', '[00:00.000] KEYS: 1',
    '[00:00.000] -> b (menu)', '[00:00.000] SAY: Second. [skipped: a key is waiting]',
  ]);
  assert.equal(formatRoute(t.result), 'a > b > z');
});

test('lookup nodes answer from the scripted lookups: JSON, bad JSON, timeout on the fake clock', async () => {
  const doc = flow(`
start: account
nodes:
  account:
    type: lookup
    http: { url: "https://crm.example.com/c?phone={{ caller }}", timeout: 2s, retries: 1 }
    into: { name: customer.name }
    next: hello
    error: sorry
  hello: { type: hangup, prompt: "Hello {{ name }}." }
  sorry: { type: hangup, prompt: Sorry. }
`, 'lookup');
  const ok = await simulateFlow(doc, { inputs: [], startTime: at, from: '+1 555', lookups: { account: { customer: { name: 'Ada' } } } });
  assert.deepEqual(ok.result.path.map((s) => s.node), ['account', 'hello']);
  assert.ok(ok.lines.some((l) => l.endsWith('LOOKUP GET https://crm.example.com/c?phone=%2B1%20555 -> 200 {"customer":{"name":"Ada"}}')), ok.text);
  assert.ok(ok.lines.some((l) => l.endsWith('SAY: Hello Ada.')), ok.text);
  const bad = await simulateFlow(doc, { inputs: [], startTime: at, lookups: { account: '{not json' } });
  assert.deepEqual(bad.result.path.map((s) => s.node), ['account', 'sorry']);
  const slow = await simulateFlow(doc, { inputs: [], startTime: at, lookups: { account: 'timeout' } });
  assert.deepEqual(slow.result.path.map((s) => s.node), ['account', 'sorry']);
  assert.equal(slow.lines.filter((l) => l.endsWith('-> timeout')).length, 2, 'one retry');
  assert.equal(slow.result.endedAtMs - slow.result.startedAtMs, 4000, 'two 2s timeouts on the fake clock');
  const none = await simulateFlow(doc, { inputs: [], startTime: at });
  assert.deepEqual(none.result.path.map((s) => s.node), ['account', 'sorry']);
});
