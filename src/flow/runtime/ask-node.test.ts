import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../common/index.js';
import type { RecognitionResult } from '../../speech/index.js';
import { parseFlowText, type FlowDocument } from '../schema/index.js';
import { SILENT_FLOW_LOGGER, type FlowEvent, type FlowLogger } from './flow-run-result.js';
import { FlowRunner } from './flow-runner.js';
import { TestCall } from './test-call.js';

function load(yaml: string): FlowDocument {
  const r = parseFlowText(yaml, '/flows/speech.yaml');
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`).join('\n'));
  return r.flow;
}

/** A logger that keeps its warnings, to see what the runner says (and how often). */
function warnings(): { logger: FlowLogger; lines: string[] } {
  const lines: string[] = [];
  const nothing = (): void => {};
  return { lines, logger: { debug: nothing, info: nothing, error: nothing, warn: (_o, msg) => lines.push(msg) } };
}

async function run(doc: FlowDocument, actions: string[], setup: (call: TestCall) => void = () => {}, runner?: FlowRunner) {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
  const call = new TestCall(clock, actions);
  setup(call);
  const events: FlowEvent[] = [];
  const r = runner ?? new FlowRunner({ clock, logger: SILENT_FLOW_LOGGER });
  const result = await r.run(doc, call, { onEvent: (e) => events.push(e) });
  return { call, clock, result, events, route: result.path.map((s) => s.node) };
}

const HEAD = `numbers: ["1"]
escape: { to: operator }
speech: { failures: 2 }
slots:
  department: { type: enum, values: { billing: [bills, invoice], sales: [buy] } }
intents:
  department:
    examples: ["{department}", "put me through to {department}"]
  operatorPlease:
    examples: ["an operator", "a person"]
`;
const TAIL = `  route: { type: hangup, prompt: "To {{ department }}." }
  human: { type: hangup, prompt: A person. }
  menu:
    type: menu
    prompt: Press 1 for billing.
    options: { "1": billing }
    fallback: operator
  billing: { type: set, values: { department: '"billing"' }, next: route }
  operator: { type: hangup, prompt: Operator. }
`;
const ASK = `${HEAD}start: ask
nodes:
  ask:
    type: ask
    prompt: Which department?
    intents: { department: route, operatorPlease: human }
    keys: menu
${TAIL}`;

test('a confident answer stores the slot as its canonical value and goes to the intent\'s node', async () => {
  const { call, result, route } = await run(load(ASK), ['say:put me through to invoice']);
  assert.deepEqual(route, ['ask', 'route']);
  assert.equal(result.variables.department, 'billing');
  assert.deepEqual(call.heard(), ['Which department?', 'To billing.']);
  assert.deepEqual(call.listens[0].grammar.kind, 'options');
  assert.deepEqual(call.listens[0].recognition, { noInputTimeoutMs: 5000 });
  assert.deepEqual(result.transcript.map((t) => [t.node, t.kind, t.status, t.text, t.intent, t.slots, t.confidence, t.failure]), [
    ['ask', 'ask', 'match', 'put me through to invoice', 'department', { department: 'billing' }, 1, undefined],
  ]);
  assert.equal(result.speechFailures, 0);
});

test('an intent without slots goes to its node with nothing stored', async () => {
  const { result, route } = await run(load(ASK), ['say:a person']);
  assert.deepEqual(route, ['ask', 'human']);
  assert.equal(result.variables.department, undefined);
});

test('a low-confidence answer is confirmed: yes goes on, the default question names the slot value', async () => {
  const { call, route, result } = await run(load(ASK), ['say:bills@0.4', 'say:yes']);
  assert.deepEqual(route, ['ask', 'route']);
  assert.deepEqual(call.heard(), ['Which department?', 'Did you say billing?', 'To billing.']);
  assert.deepEqual(call.listens[1].grammar, { kind: 'yes-no' });
  assert.deepEqual(result.transcript.map((t) => [t.kind, t.value]), [['ask', 'department'], ['confirm', 'yes']]);
});

test('a denied confirmation is a failure: asked again after the try-again wording, nothing stored meanwhile', async () => {
  const doc = load(ASK.replace('    keys: menu\n', '    keys: menu\n    confirm: "Did you want {{ department }}?"\n'));
  const { call, route, result, events } = await run(doc, ['say:buy@0.3', '2', 'say:billing']);
  assert.deepEqual(route, ['ask', 'route']);
  assert.deepEqual(call.heard(), ['Which department?', 'Did you want sales?', "Sorry about that. Let's try again.", 'Which department?', 'To billing.']);
  assert.equal(result.speechFailures, 1);
  assert.deepEqual(events.filter((e) => e.type === 'speech-failure').map((e) => e.type === 'speech-failure' && [e.reason, e.count, e.limit]), [['denied', 1, 2]]);
  assert.deepEqual(result.inputs.map((i) => [i.node, i.keys]), [['ask', '2']], 'the key that denied is an input of the ask');
});

test('the key 1 confirms as yes does', async () => {
  const { route, result } = await run(load(ASK), ['say:sales@0.5', '1']);
  assert.deepEqual(route, ['ask', 'route']);
  assert.equal(result.variables.department, 'sales');
});

test('two failures of any kind reach the operator route: the escape target by default', async () => {
  const { call, route, result } = await run(load(ASK), ['say:pizza', 'silence']);
  assert.deepEqual(route, ['ask', 'operator']);
  assert.deepEqual(call.heard(), ['Which department?', "Sorry, I didn't catch that.", 'Which department?', 'Operator.']);
  assert.deepEqual(result.transcript.map((t) => [t.status, t.failure]), [['no-match', 'no-match'], ['no-input', 'no-input']]);
  assert.equal(result.speechFailures, 2);
  const quiet = await run(load(ASK), ['silence', 'noise']);
  assert.deepEqual(quiet.call.heard(), ['Which department?', "Sorry, I didn't hear anything.", 'Which department?', 'Operator.']);
  assert.equal(quiet.clock.wallMs() - Date.UTC(2026, 10, 23, 10), 5000, 'silence waits out the no-input time');
});

test('speech.operator names the operator route; failures: 3 allows three', async () => {
  const doc = load(ASK.replace('speech: { failures: 2 }', 'speech: { failures: 3, operator: human }'));
  assert.deepEqual((await run(doc, ['noise', 'noise', 'noise'])).route, ['ask', 'human']);
  assert.deepEqual((await run(doc, ['noise', 'noise', 'say:sales'])).route, ['ask', 'route']);
});

test('one counter per call: a failure at one ask and one at another reach the limit together', async () => {
  const doc = load(`${HEAD}start: first
nodes:
  first:
    type: ask
    prompt: First?
    intents: { department: second }
  second:
    type: ask
    prompt: Second?
    intents: { operatorPlease: human }
${TAIL}`);
  const { route, result } = await run(doc, ['say:pizza', 'say:sales', 'silence']);
  assert.deepEqual(route, ['first', 'second', 'operator']);
  assert.deepEqual(result.transcript.map((t) => [t.node, t.failure ?? 'ok']), [['first', 'no-match'], ['first', 'ok'], ['second', 'no-input']]);
});

test('a recognized intent whose words carry no slot value does not fit: a failure (invalid)', async () => {
  const match: RecognitionResult = {
    status: 'match', value: 'department', text: 'put me through to', confidence: 0.9, nBest: [], speechStartMs: 0, speechEndMs: 0, decidedAtMs: 0, truncated: false,
  };
  const { route, result } = await run(load(ASK), ['say:billing'], (call) => {
    call.listenResults = [{ kind: 'speech', result: match }];
  });
  assert.deepEqual(route, ['ask', 'route']);
  assert.deepEqual(result.transcript.map((t) => t.failure), ['invalid', undefined]);
});

test('a key during the question goes to the keys node, where the key is still waiting', async () => {
  const { route, result, call } = await run(load(ASK), ['1']);
  assert.deepEqual(route, ['ask', 'menu', 'billing', 'route']);
  assert.deepEqual(result.inputs.map((i) => [i.node, i.keys]), [['menu', '1']]);
  assert.equal(call.listens[0].keys, undefined, 'the keys are left for the menu');
  assert.deepEqual(call.heard(), ['Which department?', 'To billing.'], 'the menu prompt is skipped: a key is waiting');
});

test('the escape key during the question escapes', async () => {
  const { route, result } = await run(load(ASK), ['0']);
  assert.deepEqual(route, ['ask', 'operator']);
  assert.deepEqual(result.inputs.map((i) => [i.node, i.keys, i.reason]), [['ask', '0', 'escape']]);
});

test('without speech the ask goes to its keys node, and the runner says once per flow version that it runs DTMF-only', async () => {
  const doc = load(ASK);
  const log = warnings();
  const runner = new FlowRunner({ clock: new FakeClock(0), logger: log.logger });
  const unavailable = await run(doc, ['1'], (call) => {
    call.speech = 'unavailable';
  }, runner);
  assert.deepEqual(unavailable.route, ['ask', 'menu', 'billing', 'route']);
  assert.deepEqual(unavailable.call.heard(), ['Press 1 for billing.', 'To billing.']);
  const again = await run(doc, ['1'], (call) => {
    call.speech = 'unavailable';
  }, runner);
  assert.deepEqual(again.route, ['ask', 'menu', 'billing', 'route']);
  assert.deepEqual(log.lines, ['speech unavailable: speech runs DTMF-only']);
  await run(load(ASK), ['1'], (call) => {
    call.speech = 'unavailable';
  }, runner);
  assert.equal(log.lines.length, 2, 'a new version of the flow is reported again');
});

test('without speech and without keys, the ask takes the operator route', async () => {
  const { route } = await run(load(ASK.replace('    keys: menu\n', '')), [], (call) => {
    call.speech = 'unavailable';
  });
  assert.deepEqual(route, ['ask', 'operator']);
});

test('without a keys node a key is an invalid answer, counted as a speech failure', async () => {
  const { route, result, call } = await run(load(ASK.replace('    keys: menu\n', '')), ['5', '7']);
  assert.deepEqual(route, ['ask', 'operator']);
  assert.deepEqual(call.listens[0].keys, { maxDigits: 1, firstDigitTimeoutMs: 5000 });
  assert.deepEqual(result.inputs.map((i) => i.keys), ['5', '7']);
  assert.equal(result.speechFailures, 2);
});

test('minConfidence is the recognizer threshold: an answer below it is not understood', async () => {
  const doc = load(ASK.replace('speech: { failures: 2 }', 'speech: { failures: 2, minConfidence: 0.5, timeout: 3s }'));
  const { route, call, result } = await run(doc, ['say:sales@0.45', 'say:sales@0.55', 'say:yes']);
  assert.deepEqual(call.listens[0].recognition, { noInputTimeoutMs: 3000, confidenceThreshold: 0.5 });
  assert.deepEqual(route, ['ask', 'route']);
  assert.deepEqual(result.transcript.map((t) => [t.status, t.confidence]), [['no-match', 0.45], ['match', 0.55], ['match', 1]]);
});

test('a caller hanging up while the question plays ends the run as a caller hangup', async () => {
  const { result } = await run(load(ASK), ['hangup']);
  assert.equal(result.disposition, 'caller-hangup');
  assert.equal(result.callerHangupAt?.node, 'ask');
});
