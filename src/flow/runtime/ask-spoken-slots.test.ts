import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../common/index.js';
import type { RecognitionResult } from '../../speech/index.js';
import { parseFlowText, type FlowDocument } from '../schema/index.js';
import { SILENT_FLOW_LOGGER } from './flow-run-result.js';
import { FlowRunner } from './flow-runner.js';
import { TestCall } from './test-call.js';

/** Monday 23 November 2026, 23:30 UTC: already Tuesday the 24th in Auckland. */
const LATE_MONDAY_UTC = Date.UTC(2026, 10, 23, 23, 30);

function load(yaml: string): FlowDocument {
  const r = parseFlowText(yaml, '/flows/spoken.yaml');
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`).join('\n'));
  return r.flow;
}

async function run(doc: FlowDocument, actions: string[], listenResults: RecognitionResult[] = []) {
  const clock = new FakeClock(LATE_MONDAY_UTC);
  const call = new TestCall(clock, actions);
  call.listenResults = listenResults.map((result) => ({ kind: 'speech', result }));
  const result = await new FlowRunner({ clock, logger: SILENT_FLOW_LOGGER }).run(doc, call);
  return { call, result, route: result.path.map((s) => s.node) };
}

function flow(head = ''): FlowDocument {
  return load(`numbers: ["1"]
${head}escape: { to: operator }
slots:
  day: { type: date }
  born: { type: date, prefer: past }
  total: { type: amount, max: 500 }
  account: { type: digits, minLength: 4, maxLength: 4 }
intents:
  rebook: { examples: ["{day}", "deliver it on {day}", "deliver it {day}"] }
  birthday: { examples: ["i was born on {born}"] }
  pay: { examples: ["pay {total}", "pay {total} from {account}"] }
start: ask
nodes:
  ask:
    type: ask
    prompt: What can I do?
    intents: { rebook: done, birthday: done, pay: done }
  done: { type: hangup, prompt: Done. }
  operator: { type: hangup, prompt: Operator. }
`);
}

/** A recognizer's match, for answers a script cannot produce (an engine with no slots, a value the grammar let by). */
function heard(value: string, text: string, slots?: Record<string, string>): RecognitionResult {
  return {
    status: 'match', value, text, confidence: 0.95, ...(slots ? { slots } : {}), nBest: [],
    speechStartMs: 0, speechEndMs: 0, decidedAtMs: 0, truncated: false,
  };
}

test('a date slot is stored resolved, from the caller\'s day in the flow\'s timezone on the run\'s clock', async () => {
  const utc = await run(flow(), ['say:tomorrow']);
  assert.equal(utc.result.variables.day, '2026-11-24');
  const auckland = await run(flow('timezone: Pacific/Auckland\n'), ['say:tomorrow']);
  assert.equal(auckland.result.variables.day, '2026-11-25', 'already Tuesday there');
  const weeks = await run(flow('timezone: Pacific/Auckland\n'), ['say:deliver it on next friday']);
  assert.equal(weeks.result.variables.day, '2026-12-04', 'the Friday of next week, seen from Tuesday');
  assert.deepEqual(weeks.route, ['ask', 'done']);
  assert.deepEqual(weeks.result.transcript.map((t) => [t.intent, t.slots, t.failure]), [['rebook', { day: '2026-12-04' }, undefined]]);
});

test('prefer decides which way a day without a year goes', async () => {
  assert.equal((await run(flow(), ['say:deliver it march third'])).result.variables.day, '2027-03-03');
  assert.equal((await run(flow(), ['say:i was born on march third'])).result.variables.born, '2026-03-03');
});

test('amount and digits slots are stored as the recognizer read them', async () => {
  const { result, call } = await run(flow(), ['say:pay forty two dollars fifty from four one one two']);
  assert.deepEqual([result.variables.total, result.variables.account], ['42.50', '4112']);
  assert.deepEqual(call.listens[0].grammar.kind === 'options' && call.listens[0].grammar.slots, {
    day: { kind: 'date' }, born: { kind: 'date' }, total: { kind: 'amount', maxAmount: 500 }, account: { kind: 'digits', minLength: 4, maxLength: 4 },
  });
});

test('a day that does not resolve is not valid: a failure, asked again, nothing stored', async () => {
  const { route, result, call } = await run(flow(), ['say:february twenty ninth', 'say:tomorrow']);
  assert.deepEqual(route, ['ask', 'done']);
  assert.deepEqual(result.transcript.map((t) => [t.slots, t.failure]), [[{ day: '--02-29' }, 'invalid'], [{ day: '2026-11-24' }, undefined]]);
  assert.equal(result.speechFailures, 1);
  assert.deepEqual(call.heard().slice(0, 3), ['What can I do?', "Sorry, I didn't catch that.", 'What can I do?']);
});

test('an amount above max, or a required slot the recognizer did not fill, is not valid', async () => {
  const { route, result } = await run(flow(), [], [heard('pay', 'pay nine hundred dollars', { total: '900.00' }), heard('pay', 'pay')]);
  assert.deepEqual(route, ['ask', 'operator']);
  assert.deepEqual(result.transcript.map((t) => [t.slots, t.failure]), [[{ total: '900.00' }, 'invalid'], [{}, 'invalid']]);
  assert.equal(result.variables.total, undefined);
});

test('an engine that fills no slots leaves them to the intent matcher, which resolves dates the same way', async () => {
  const { result } = await run(flow('timezone: Pacific/Auckland\n'), [], [heard('rebook', 'deliver it tomorrow')]);
  assert.equal(result.variables.day, '2026-11-25');
});

test('the default confirmation says a date as a date and an amount as money in the flow\'s currency', async () => {
  const date = await run(flow(), ['say:deliver it on next friday@0.5', 'say:yes']);
  assert.deepEqual(date.call.heard(), ['What can I do?', 'Did you say Friday, December fourth, twenty twenty-six?', 'Done.']);
  assert.equal(date.result.variables.day, '2026-12-04');
  const money = await run(flow('currency: GBP\n'), ['say:pay $42.50@0.5', 'say:no', 'silence']);
  assert.deepEqual(money.call.heard().slice(0, 3), ['What can I do?', 'Did you say forty-two pounds and fifty pence?', "Sorry about that. Let's try again."]);
  assert.equal(money.result.variables.total, undefined, 'a denied answer stores nothing');
});
