import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../common/index.js';
import { parseFlowText, type FlowDocument } from '../schema/index.js';
import { SILENT_FLOW_LOGGER, type FlowEvent } from './flow-run-result.js';
import { FlowRunner, type FlowRunnerOptions } from './flow-runner.js';
import { TestCall } from './test-call.js';

const dir = mkdtempSync(join(tmpdir(), 'swb-flow-runtime-'));

function flow(yaml: string, name = 'f'): FlowDocument {
  const r = parseFlowText(yaml, join(dir, `${name}.yaml`));
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.flow;
}

async function run(doc: FlowDocument, actions: string[], options: FlowRunnerOptions = {}, at = '2026-11-21T10:00:00Z') {
  const clock = new FakeClock(Date.parse(at));
  const call = new TestCall(clock, actions);
  const events: FlowEvent[] = [];
  const runner = new FlowRunner({ clock, logger: SILENT_FLOW_LOGGER, ...options });
  const result = await runner.run(doc, call, { onEvent: (e) => events.push(e) });
  return { call, result, events, route: result.path.map((s) => s.node) };
}

const MENU = `
start: main
escape: { key: "0", to: operator }
nodes:
  main:
    type: menu
    prompt: Press 1 for sales.
    options: { "1": sales }
    timeout: 5s
    retries: 1
    invalidPrompt: Not a choice.
    fallback: sorry
  sales: { type: hangup, prompt: Sales. }
  sorry: { type: hangup, prompt: Sorry. }
  operator: { type: hangup, prompt: Operator. }
`;

test('a menu key picks its option; prompts become TTS in the flow voice', async () => {
  const { call, result, route } = await run(flow(MENU), ['1']);
  assert.deepEqual(route, ['main', 'sales']);
  assert.deepEqual(call.plays[0].sources, [{ kind: 'tts', text: 'Press 1 for sales.', voice: 'slt' }]);
  assert.equal(result.disposition, 'hangup');
  assert.equal(call.hungUpByFlow, true);
  assert.deepEqual(call.collects[0], { maxDigits: 1, firstDigitTimeoutMs: 5000 });
  assert.deepEqual(result.inputs.map((i) => [i.node, i.keys, i.reason]), [['main', '1', 'max-digits']]);
  // Live calls show where each call is: the activity follows every node entered.
  assert.deepEqual(call.activities, [{ app: 'f', step: 'main', type: 'menu' }, { app: 'f', step: 'sales', type: 'hangup' }]);
});

test('invalid key, then no key: invalidPrompt, default no-input wording, then the fallback', async () => {
  const { call, route, result } = await run(flow(MENU), ['7', 'timeout']);
  assert.deepEqual(call.heard(), ['Press 1 for sales.', 'Not a choice.', 'Press 1 for sales.', 'Sorry.']);
  assert.deepEqual(route, ['main', 'sorry']);
  assert.equal(result.endedAtMs - result.startedAtMs, 5000, 'one timeout waited');
});

test('retries used up: the escape target without a fallback, a goodbye without either', async () => {
  const noFallback = flow(MENU.replace('    fallback: sorry\n', ''));
  assert.deepEqual((await run(noFallback, ['7', '7'])).route, ['main', 'operator']);
  const nothing = flow(MENU.replace('    fallback: sorry\n', '').replace('escape: { key: "0", to: operator }\n', ''));
  const { call, result } = await run(nothing, ['7', '7']);
  assert.deepEqual(call.heard().slice(-1), ['Goodbye.']);
  assert.equal(call.plays[call.plays.length - 1].bargeIn, false);
  assert.equal(result.disposition, 'hangup');
});

test('the repeat key replays the prompt without counting as a failure', async () => {
  const { call, route } = await run(flow(MENU.replace('retries: 1', 'retries: 0')), ['*', '*', '1']);
  assert.deepEqual(route, ['main', 'sales']);
  assert.equal(call.heard().filter((t) => t === 'Press 1 for sales.').length, 3);
});

test('the escape key leaves a menu; a menu option on the same key wins', async () => {
  assert.deepEqual((await run(flow(MENU), ['0'])).route, ['main', 'operator']);
  const own = flow(MENU.replace('options: { "1": sales }', 'options: { "1": sales, "0": sorry }'));
  assert.deepEqual((await run(own, ['0'])).route, ['main', 'sorry']);
});

const SAY_THEN_MENU = `
start: hello
escape: { key: "0", to: operator }
nodes:
  hello: { type: say, prompt: Hello and welcome., next: main }
  main:
    type: menu
    prompt: Press 1.
    options: { "1": done }
    fallback: done
  done: { type: hangup }
  operator: { type: hangup, prompt: Operator. }
`;

test('a key pressed during a say: the escape key escapes at once, another key is kept for the menu', async () => {
  const escaped = await run(flow(SAY_THEN_MENU), ['!0']);
  assert.deepEqual(escaped.route, ['hello', 'operator']);
  assert.deepEqual(escaped.result.inputs.map((i) => [i.node, i.keys, i.reason]), [['hello', '0', 'escape']]);
  assert.ok(escaped.events.some((e) => e.type === 'escape' && e.from === 'hello' && e.to === 'operator'));
  const typed = await run(flow(SAY_THEN_MENU), ['!1']);
  assert.deepEqual(typed.route, ['hello', 'main', 'done']);
  assert.equal(typed.call.plays.length, 1, 'the menu prompt is skipped: a key was waiting');
  assert.ok(typed.events.some((e) => e.type === 'prompt-skipped'));
  const noEscape = await run(flow(SAY_THEN_MENU.replace('escape: { key: "0", to: operator }\n', '')), ['!1']);
  assert.deepEqual(noEscape.route, ['hello', 'main', 'done']);
});

test('the back key returns to the menu the caller came from; with none before, it is invalid', async () => {
  const doc = flow(`
start: top
nodes:
  top:
    type: menu
    prompt: Top.
    options: { "1": sub }
    backKey: "9"
    retries: 0
    fallback: out
  sub:
    type: menu
    prompt: Sub.
    options: { "1": out }
    backKey: "9"
  out: { type: hangup }
`);
  assert.deepEqual((await run(doc, ['1', '9', '1', '1'])).route, ['top', 'sub', 'top', 'sub', 'out']);
  assert.deepEqual((await run(doc, ['9'])).route, ['top', 'out']);
});

const GATHER = `
start: card
escape: { key: "0", to: operator }
nodes:
  card:
    type: gather
    prompt: Card number.
    minDigits: 4
    maxDigits: 19
    into: card
    validate: { luhn: true }
    sensitive: true
    retries: 1
    fallback: failed
    next: thanks
  thanks: { type: say, prompt: "Thanks, caller {{ caller }}." }
  failed: { type: hangup, prompt: Failed. }
  operator: { type: hangup, prompt: Operator. }
`;

test('gather: a valid card number is stored, masked in inputs and variables', async () => {
  const { call, result, route } = await run(flow(GATHER), ['4111111111111111#']);
  assert.deepEqual(route, ['card', 'thanks']);
  assert.deepEqual(result.variables, { card: '****' });
  assert.deepEqual(result.inputs.map((i) => [i.keys, i.sensitive, i.reason, i.terminator]), [['****', true, 'terminator', '#']]);
  assert.deepEqual(call.collects[0], { maxDigits: 19, terminators: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
  assert.deepEqual(call.heard().slice(-1), ['Thanks, caller +441234567890.']);
  assert.equal(result.disposition, 'hangup', 'the path ended after thanks');
});

test('gather: too short or failing Luhn is invalid; retries then the fallback; no input gets its own wording', async () => {
  const { call, route } = await run(flow(GATHER), ['12#', '4111111111111112#']);
  assert.deepEqual(route, ['card', 'failed']);
  assert.deepEqual(call.heard(), ['Card number.', 'Sorry, that entry is not valid.', 'Card number.', 'Failed.']);
  const silent = await run(flow(GATHER), ['timeout', 'timeout']);
  assert.deepEqual(silent.call.heard().slice(0, 2), ['Card number.', "Sorry, I didn't hear anything."]);
});

test('gather: the escape key alone escapes; inside valid input it is a digit', async () => {
  assert.deepEqual((await run(flow(GATHER), ['0#'])).route, ['card', 'operator']);
  const pin = flow(GATHER.replace('validate: { luhn: true }', 'validate: { pattern: "[0-9]{4}" }').replace('sensitive: true', 'sensitive: false'));
  const r = await run(pin, ['1050#']);
  assert.deepEqual(r.result.variables, { card: '1050' });
  const anyDigits = flow(GATHER.replace('minDigits: 4', 'minDigits: 1').replace('validate: { luhn: true }', 'sensitive: false').replace('    sensitive: true\n', ''));
  assert.deepEqual((await run(anyDigits, ['0#'])).result.variables, { card: '0' }, '"0" is valid here, so it is a digit');
  const retried = await run(pin, ['12345', '0']);
  assert.deepEqual(retried.route, ['card', 'operator'], 'the escape key after an invalid entry');
  assert.deepEqual(retried.result.inputs.map((i) => [i.keys, i.reason]), [['12345', 'timeout'], ['0', 'timeout']]);
});

test('gather drops keys typed before its prompt', async () => {
  const doc = flow(`
start: m
nodes:
  m: { type: menu, prompt: Menu., options: { "1": g }, fallback: g }
  g: { type: gather, prompt: Digits., into: d, maxDigits: 4, retries: 0, fallback: end, next: end }
  end: { type: hangup }
`);
  const { result } = await run(doc, ['15', '99#']);
  assert.deepEqual(result.variables, { d: '99' });
});

test('set, branch and switch read variables, built-ins and the clock', async () => {
  const doc = flow(`
start: s
timezone: Europe/London
schedules:
  office: { hours: { mon-fri: "09:00-17:30" } }
nodes:
  s:
    type: set
    values: { uk: 'startsWith(caller, "+44")', label: '"n" + len(called)' }
    next: b
  b:
    type: branch
    conditions:
      - { when: 'open("office")', next: open }
      - { when: uk and weekday() == "sat", next: weekend }
    otherwise: closed
  open: { type: hangup }
  closed: { type: hangup }
  weekend:
    type: switch
    value: label
    cases: { n4: four, n5: five }
    default: closed
  four: { type: hangup, prompt: "It is {{ now }}." }
  five: { type: hangup }
`);
  const saturday = await run(doc, [], {}, '2026-11-21T10:00:00Z');
  assert.deepEqual(saturday.route, ['s', 'b', 'weekend', 'four']);
  assert.deepEqual(saturday.result.variables, { uk: true, label: 'n4' });
  assert.deepEqual(saturday.call.heard(), ['It is 2026-11-21T10:00:00+00:00.']);
  assert.deepEqual((await run(doc, [], {}, '2026-11-23T10:00:00Z')).route, ['s', 'b', 'open']);
  assert.deepEqual((await run(doc, [], {}, '2026-11-23T17:30:00Z')).route, ['s', 'b', 'closed']);
});

test('templates cannot smuggle markup; say-as and breaks are rendered', async () => {
  const doc = flow(`
start: a
currency: GBP
nodes:
  a:
    type: hangup
    prompt: "Hi {{ caller }}.<break 300ms/>You owe <say-as currency>{{ owed }}</say-as>."
`);
  const clock = new FakeClock(0);
  const call = new TestCall(clock, [], '<break 9s/>');
  await new FlowRunner({ clock, logger: SILENT_FLOW_LOGGER }).run(doc, call, { variables: { owed: '2.50' } });
  assert.deepEqual(call.plays[0].sources, [
    { kind: 'tts', text: 'Hi break 9s/ .', voice: 'slt' },
    { kind: 'silence', durationMs: 300 },
    { kind: 'tts', text: 'You owe two pounds and fifty pence.', voice: 'slt' },
  ]);
});

test('a recorded file plays as a file prompt', async () => {
  writeFileSync(join(dir, 'hello.wav'), 'RIFF');
  const { call } = await run(flow('start: p\nnodes:\n  p: { type: play, file: hello.wav }\n'), []);
  assert.deepEqual(call.plays[0].sources, [{ kind: 'file', path: join(dir, 'hello.wav') }]);
});

test('a loop without caller input ends the call as an error instead of spinning', async () => {
  const doc = flow('start: a\nnodes:\n  a: { type: say, prompt: Hold on., next: b }\n  b: { type: goto, next: a }\n');
  const { call, result } = await run(doc, [], { maxStepsWithoutInput: 50 });
  assert.equal(result.disposition, 'error');
  assert.equal(result.path.length, 51);
  assert.match(result.errors[0].message, /50 steps without caller input/);
  assert.equal(call.hungUpByFlow, true);
});

const FAILING = `
start: bad
escape: { key: "0", to: operator }
nodes:
  bad: { type: set, values: { x: '"a" - 1' }, next: done }
  done: { type: hangup }
  operator: { type: hangup, prompt: Operator. }
`;

test('a failing node is recorded and the call goes to the escape target, else ends as an error', async () => {
  const escaped = await run(flow(FAILING), []);
  assert.deepEqual(escaped.route, ['bad', 'operator']);
  assert.equal(escaped.result.disposition, 'hangup');
  assert.deepEqual(escaped.result.errors.map((e) => [e.node, e.code]), [['bad', 'SWB_ERR_FLOW_EXPRESSION']]);
  const none = await run(flow(FAILING.replace('escape: { key: "0", to: operator }\n', '')), []);
  assert.deepEqual(none.route, ['bad']);
  assert.equal(none.result.disposition, 'error');
  assert.equal(none.call.hungUpByFlow, true);
  const selfFailing = flow(FAILING.replace('to: operator', 'to: bad'));
  assert.equal((await run(selfFailing, [])).result.disposition, 'error', 'an escape target that fails is not retried');
});

test('a caller hanging up is recorded with the node it happened in', async () => {
  const { result, call } = await run(flow(MENU), ['hangup']);
  assert.equal(result.disposition, 'caller-hangup');
  assert.deepEqual(result.callerHangupAt && [result.callerHangupAt.node], ['main']);
  assert.equal(call.hungUpByFlow, false);
  const during = await run(flow(SAY_THEN_MENU), ['hangup!']);
  assert.deepEqual(during.result.callerHangupAt?.node, 'hello');
  assert.deepEqual(during.events[during.events.length - 1], { type: 'end', disposition: 'caller-hangup' });
});

test('subflows run to their end and return; escapes and hangups inside them reach the caller flow', async () => {
  const sub = flow(`
name: sub
start: ask
nodes:
  ask: { type: menu, prompt: Sub menu., options: { "1": note, "2": bye }, fallback: note }
  note: { type: set, values: { visited: "true" } }
  bye: { type: hangup, prompt: Bye from sub. }
`, 'sub');
  const main = flow(`
name: main
start: go
escape: { key: "0", to: operator }
nodes:
  go: { type: subflow, flow: sub, next: after }
  after: { type: say, prompt: "Back, visited {{ visited }}." }
  operator: { type: hangup, prompt: Operator. }
`);
  const resolveFlow = (name: string) => (name === 'sub' ? sub : undefined);
  const returned = await run(main, ['1'], { resolveFlow });
  assert.deepEqual(returned.result.path.map((s) => `${s.flow}/${s.node}`), ['main/go', 'sub/ask', 'sub/note', 'main/after']);
  assert.deepEqual(returned.call.heard().slice(-1), ['Back, visited true.']);
  const escaped = await run(main, ['0'], { resolveFlow });
  assert.deepEqual(escaped.route, ['go', 'ask', 'operator']);
  const hungUp = await run(main, ['2'], { resolveFlow });
  assert.deepEqual(hungUp.route, ['go', 'ask', 'bye']);
  assert.equal(hungUp.result.disposition, 'hangup');
  const unknown = await run(flow('start: missing\nnodes:\n  missing: { type: subflow, flow: nope }\n'), [], { resolveFlow });
  assert.equal(unknown.result.disposition, 'error');
  assert.match(unknown.result.errors[0].message, /No flow named "nope"/);
});
