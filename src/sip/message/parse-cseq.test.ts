import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCSeq, parseCSeq } from './parse-cseq.js';
import { SipParseError } from './sip-parse-error.js';

test('CSeq number and method, with leading zeros and any LWS', () => {
  assert.deepEqual(parseCSeq('314159 INVITE'), { seq: 314159, method: 'INVITE' });
  assert.deepEqual(parseCSeq('0009 \t INVITE'), { seq: 9, method: 'INVITE' });
  assert.deepEqual(parseCSeq(`${'0'.repeat(100)}4294967295 RE%47IST%45R`), { seq: 4294967295, method: 'RE%47IST%45R' });
  assert.equal(formatCSeq({ seq: 2, method: 'BYE' }), '2 BYE');
});

test('bad CSeq values are rejected', () => {
  for (const bad of ['', 'INVITE', '1', '1INVITE', '4294967296 INVITE', '36893488147419103232 REGISTER', '-1 INVITE',
    '1 INVITE extra', '1 INV"ITE', '1.5 INVITE']) {
    assert.throws(() => parseCSeq(bad), SipParseError, bad);
  }
});
