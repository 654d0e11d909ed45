import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../common/index.js';
import { parseFlowText, type FlowDocument } from '../schema/index.js';
import { SILENT_FLOW_LOGGER } from './flow-run-result.js';
import { FlowRunner } from './flow-runner.js';
import { TestCall } from './test-call.js';

function load(yaml: string): FlowDocument {
  const r = parseFlowText(yaml, '/flows/inputs.yaml');
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`).join('\n'));
  return r.flow;
}

async function run(doc: FlowDocument, actions: string[], setup: (call: TestCall) => void = () => {}) {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
  const call = new TestCall(clock, actions);
  setup(call);
  const result = await new FlowRunner({ clock, logger: SILENT_FLOW_LOGGER }).run(doc, call);
  return { call, result, route: result.path.map((s) => s.node) };
}

const menu = (input: string) => load(`numbers: ["1"]
escape: { to: operator }
speech: { failures: 2 }
start: main
nodes:
  main:
    type: menu
    prompt: Welcome.
    input: ${input}
    options:
      "1": { to: billing, say: For billing, speech: [billing, bills] }
      "2": { to: sales, say: For sales, speech: [sales, buy something] }
    retries: 2
    fallback: sorry
  billing: { type: hangup, prompt: Billing. }
  sales: { type: hangup, prompt: Sales. }
  sorry: { type: hangup, prompt: Sorry. }
  operator: { type: hangup, prompt: Operator. }
`);

test('menu input both: a phrase chooses its option, the labels say what to say or press', async () => {
  const { call, route, result } = await run(menu('both'), ['say:buy something']);
  assert.deepEqual(route, ['main', 'sales']);
  assert.deepEqual(call.heard(), ['Welcome.', 'For billing, say billing or press 1.', 'For sales, say sales or press 2.', 'Sales.']);
  const grammar = call.listens[0].grammar;
  assert.equal(grammar.kind, 'options');
  assert.deepEqual(grammar.kind === 'options' && grammar.options.slice(0, 2), [{ value: '1', phrases: ['billing', 'bills'] }, { value: '2', phrases: ['sales', 'buy something'] }]);
  assert.equal(grammar.kind === 'options' && grammar.options[2].value, '@person', 'asking for a person is always understood where one can be reached');
  assert.deepEqual(call.listens[0].keys, { maxDigits: 1, firstDigitTimeoutMs: 5000 });
  assert.deepEqual(result.transcript.map((t) => [t.kind, t.value]), [['menu', '2']]);
});

test('asking for a person goes to the operator route at once, marks the call frustrated and the transfer urgent', async () => {
  const doc = load(`numbers: ["1"]
escape: { to: operator }
start: main
nodes:
  main:
    type: menu
    prompt: Welcome.
    input: speech
    options:
      "1": { to: billing, say: For billing, speech: [billing] }
  billing: { type: hangup, prompt: Billing. }
  operator: { type: transfer, to: "sip:operator@pbx.example.com", failed: sorry }
  sorry: { type: hangup, prompt: Sorry. }
`);
  const { call, route, result } = await run(doc, ['say:representative']);
  assert.deepEqual(route, ['main', 'operator']);
  assert.equal(result.variables.frustrated, true);
  assert.equal(result.speechFailures, 0, 'not a failure: the caller said what they want');
  assert.deepEqual(result.transcript.map((t) => [t.kind, t.text, t.value, t.frustrated]), [['person', 'representative', '@person', true]]);
  assert.deepEqual(call.transfers[0].headers.find(([name]) => name === 'Priority'), ['Priority', 'urgent']);

  const calm = await run(doc, ['say:billing']);
  assert.equal(calm.result.variables.frustrated, undefined, 'not set for a calm caller (reads false in expressions)');
  assert.deepEqual(calm.result.transcript.map((t) => [t.sentiment, t.frustrated]), [[0, false]]);
});

test('without a way to a person, the person option is not offered', async () => {
  const doc = load(`numbers: ["1"]
escape: false
start: main
nodes:
  main:
    type: menu
    prompt: Welcome.
    input: speech
    options:
      "1": { to: billing, say: For billing, speech: [billing] }
    fallback: billing
  billing: { type: hangup, prompt: Billing. }
`);
  const { call } = await run(doc, ['say:billing']);
  const grammar = call.listens[0].grammar;
  assert.deepEqual(grammar.kind === 'options' && grammar.options.map((o) => o.value), ['1']);
});

test('menu input both: keys still choose', async () => {
  const { route, result } = await run(menu('both'), ['1']);
  assert.deepEqual(route, ['main', 'billing']);
  assert.deepEqual(result.inputs.map((i) => [i.node, i.keys]), [['main', '1']]);
});

test('menu speech: a failed answer is a try of the menu and a speech failure; the speech limit comes first', async () => {
  const twice = await run(menu('speech'), ['say:pizza', 'silence']);
  assert.deepEqual(twice.route, ['main', 'operator'], 'two speech failures: the operator route (the escape) before the menu fallback');
  assert.deepEqual(twice.call.heard().slice(0, 4), ['Welcome.', 'For billing, say billing.', 'For sales, say sales.', "Sorry, I didn't catch that."]);
  const doc = load(`numbers: ["1"]
escape: false
speech: { failures: 5 }
start: main
nodes:
  main:
    type: menu
    prompt: Welcome.
    input: speech
    options:
      "1": { to: done, speech: [billing] }
    retries: 1
    fallback: sorry
  done: { type: hangup }
  sorry: { type: hangup, prompt: Sorry. }
`);
  const retries = await run(doc, ['noise', 'noise']);
  assert.deepEqual(retries.route, ['main', 'sorry'], 'with a higher speech limit the menu retries run out first');
  assert.equal(retries.result.speechFailures, 2);
});

test('menu speech: only the escape key works; other keys are invalid choices', async () => {
  const { route, call } = await run(menu('speech'), ['1', '0']);
  assert.deepEqual(route, ['main', 'operator']);
  assert.ok(call.heard().includes('Sorry, that is not a valid choice.'));
});

test('menu without speech input on the call: a DTMF menu worded for keys', async () => {
  const { route, call } = await run(menu('speech'), ['2'], (c) => {
    c.speech = 'unavailable';
  });
  assert.deepEqual(route, ['main', 'sales']);
  assert.deepEqual(call.heard(), ['Welcome.', 'For billing, press 1.', 'For sales, press 2.', 'Sales.']);
});

const GATHER = `numbers: ["1"]
escape: { to: operator }
speech: { failures: 3 }
start: card
nodes:
  card:
    type: gather
    prompt: Your card number?
    input: INPUT
    minDigits: 12
    maxDigits: 19
    validate: { luhn: true }
    sensitive: true
    into: card
    fallback: sorry
    next: done
  done: { type: hangup, prompt: Thanks. }
  sorry: { type: hangup, prompt: Sorry. }
  operator: { type: hangup, prompt: Operator. }
`;

test('gather speech: spoken digits pass the same checks (Luhn); the transcript is masked when sensitive', async () => {
  const doc = load(GATHER.replace('INPUT', 'speech'));
  const bad = 'say:four one one one one one one one one one one one one one one two';
  const good = 'say:four one one one one one one one one one one one one one one one';
  const { route, result, call } = await run(doc, [bad, good]);
  assert.deepEqual(route, ['card', 'done']);
  assert.equal(result.variables.card, '****');
  assert.deepEqual(call.listens[0].grammar, { kind: 'digits', minLength: 12, maxLength: 19 });
  assert.deepEqual(result.transcript.map((t) => [t.status, t.text, t.value, t.failure, t.sensitive]), [
    ['match', '****', '****', 'invalid', true],
    ['match', '****', '****', undefined, true],
  ]);
  assert.ok(call.heard().includes('Sorry, that entry is not valid.'));
  assert.equal(result.speechFailures, 1);
});

test('gather both: keys are collected as in a keys gather; "oh" is a spoken zero', async () => {
  const doc = load(GATHER.replace('INPUT', 'both').replace('validate: { luhn: true }', 'validate: { pattern: "4[0-9]+" }').replace('sensitive: true', 'sensitive: false'));
  const keyed = await run(doc, ['4111111111111112#']);
  assert.equal(keyed.result.variables.card, '4111111111111112');
  assert.deepEqual(keyed.call.listens[0].keys, { maxDigits: 19, terminators: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
  const spoken = await run(doc, ['say:four oh one two three four five six seven eight nine oh']);
  assert.equal(spoken.result.variables.card, '401234567890');
});

test('gather speech without speech input on the call: a keys gather', async () => {
  const doc = load(GATHER.replace('INPUT', 'speech'));
  const { result, call } = await run(doc, ['4111111111111111#'], (c) => {
    c.speech = 'unavailable';
  });
  assert.equal(result.variables.card, '****');
  assert.deepEqual(call.heard(), ['Your card number?', 'Thanks.']);
  assert.equal(call.collects[0].maxDigits, 19);
});
