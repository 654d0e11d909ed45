import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallState, type CallInfo } from '../call/index.js';
import type { FlowRunResult } from '../flow/index.js';
import { toCallRecord } from './call-records.js';

const info: CallInfo = {
  id: 'c1', callerId: '5551234', calledUser: 'demo', state: CallState.Ended,
  startedAtMs: 1000, answeredAtMs: 1100, endedAtMs: 9000, endReason: 'local-bye',
};

function run(disposition: FlowRunResult['disposition']): FlowRunResult {
  return {
    callId: 'c1', flow: 'demo', revision: 'r1', disposition, path: [{ flow: 'demo', node: 'main', type: 'menu', atMs: 1200 }],
    pathTruncated: false, variables: { pin: '****' }, inputs: [], errors: [], startedAtMs: 1100, endedAtMs: 9000,
  };
}

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
