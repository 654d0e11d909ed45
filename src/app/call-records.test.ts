import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallState, type CallInfo } from '../call/index.js';
import type { FlowOutcome, FlowRunResult, FlowSpeechTurn } from '../flow/index.js';
import { toCallRecord } from './call-records.js';

const info: CallInfo = {
  id: 'c1', callerId: '5551234', calledUser: 'demo', state: CallState.Ended,
  startedAtMs: 1000, answeredAtMs: 1100, endedAtMs: 9000, endReason: 'local-bye',
};

function run(disposition: FlowRunResult['disposition'], outcomes: FlowOutcome[] = [], transcript: FlowSpeechTurn[] = []): FlowRunResult {
  return {
    callId: 'c1', flow: 'demo', revision: 'r1', disposition, path: [{ flow: 'demo', node: 'main', type: 'menu', atMs: 1200 }],
    pathTruncated: false, variables: { pin: '****' }, inputs: [], errors: [], outcomes, startedAtMs: 1100, endedAtMs: 9000,
    transcript, speechFailures: transcript.filter((t) => t.failure).length,
  };
}

function transfer(result: Extract<FlowOutcome, { type: 'transfer' }>['result']): FlowOutcome {
  return { type: 'transfer', flow: 'demo', node: 'sales', target: 'sip:200@pbx', method: 'bridge', result, atMs: 3000 };
}
const voicemail: FlowOutcome = { type: 'voicemail', flow: 'demo', node: 'vm', id: 'vm-1', mailbox: 'demo', durationMs: 8000, atMs: 5000 };
const callback: FlowOutcome = { type: 'callback', flow: 'demo', node: 'cb', id: 'cb-1', queue: 'sales', number: '5551234', window: 'today', atMs: 6000 };
const survey: FlowOutcome = { type: 'survey', flow: 'demo', node: 'csat', question: 'q1', answer: 5, atMs: 7000 };

test('a flow that hung up served the caller; a caller hanging up inside it abandoned it', () => {
  const served = toCallRecord(info, run('hangup'));
  assert.equal(served.disposition, 'self-served');
  assert.equal(served.flow, 'demo');
  assert.deepEqual(served.variables, { pin: '****' }, 'masked values are stored masked');
  assert.equal(served.answeredAtMs, 1100);
  assert.equal(toCallRecord({ ...info, endReason: 'remote-bye' }, run('caller-hangup')).disposition, 'abandoned');
  assert.equal(toCallRecord(info, run('error')).disposition, 'error');
});

test('a call that never reached its application is recorded from the call facts alone', () => {
  const { answeredAtMs: _unused, ...unanswered } = info;
  const cancelled = toCallRecord({ ...unanswered, endReason: 'cancelled' }, undefined);
  assert.equal(cancelled.disposition, 'abandoned');
  assert.equal(cancelled.answeredAtMs, undefined);
  assert.deepEqual(cancelled.path, []);
  assert.equal(toCallRecord({ ...info, endReason: 'error' }, undefined).disposition, 'error');
});

test('what the caller got decides the disposition: transferred, then voicemail, then callback', () => {
  assert.equal(toCallRecord(info, run('caller-hangup', [transfer('bridged')])).disposition, 'transferred');
  assert.equal(toCallRecord(info, run('hangup', [transfer('referred')])).disposition, 'transferred');
  assert.equal(toCallRecord(info, run('hangup', [transfer('no-answer'), voicemail])).disposition, 'voicemail');
  assert.equal(toCallRecord(info, run('hangup', [callback, voicemail])).disposition, 'voicemail');
  assert.equal(toCallRecord(info, run('error', [transfer('busy'), callback])).disposition, 'callback');
  assert.equal(toCallRecord(info, run('caller-hangup', [transfer('failed')])).disposition, 'abandoned', 'a failed transfer is not one');
  assert.equal(toCallRecord(info, run('hangup', [survey])).disposition, 'self-served', 'answering a survey is self-service');
});

test('the record keeps the outcomes in order, survey answers included', () => {
  const outcomes = [transfer('busy'), voicemail, survey];
  const record = toCallRecord(info, run('hangup', outcomes));
  assert.deepEqual(record.outcomes, outcomes);
  assert.deepEqual(toCallRecord(info, undefined).outcomes, []);
});

test('what the caller said is kept turn by turn, as the run reported it', () => {
  const turns: FlowSpeechTurn[] = [
    { kind: 'ask', status: 'no-match', text: 'pizza', value: null, confidence: 0.2, failure: 'no-match', flow: 'demo', node: 'ask', sensitive: false, atMs: 2000 },
    { kind: 'ask', status: 'match', text: 'billing please', value: 'department', intent: 'department', slots: { department: 'billing' }, confidence: 0.9, flow: 'demo', node: 'ask', sensitive: false, atMs: 4000 },
  ];
  assert.deepEqual(toCallRecord(info, run('hangup', [], turns)).transcript, turns);
  assert.deepEqual(toCallRecord(info, undefined).transcript, [], 'a call that never reached a flow said nothing');
});
