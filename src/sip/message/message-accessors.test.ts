import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCSeq, getCallId, getFromTag, getToTag, getTopVia, getVias } from './message-accessors.js';
import { SipHeaders } from './headers.js';
import { SipParseError } from './sip-parse-error.js';
import type { SipRequest } from './types.js';

function request(headers: Array<[string, string]>): SipRequest {
  return { kind: 'request', method: 'INVITE', uri: 'sip:b@example.com', headers: new SipHeaders(headers), body: Buffer.alloc(0) };
}

test('accessors read the core fields', () => {
  const msg = request([
    ['v', 'SIP/2.0/UDP a.example.com;branch=z9hG4bKa, SIP/2.0/UDP b.example.com;branch=z9hG4bKb'],
    ['Via', 'SIP/2.0/TCP c.example.com;branch=z9hG4bKc'],
    ['f', '"A" <sip:a@example.com>;tag=from1'],
    ['t', 'sip:b@example.com;tag=to1'],
    ['i', 'call-1'],
    ['CSeq', '7 INVITE'],
  ]);
  assert.equal(getTopVia(msg)?.host, 'a.example.com');
  assert.deepEqual(getVias(msg).map((v) => v.params.get('branch')), ['z9hG4bKa', 'z9hG4bKb', 'z9hG4bKc']);
  assert.deepEqual(getCSeq(msg), { seq: 7, method: 'INVITE' });
  assert.equal(getCallId(msg), 'call-1');
  assert.equal(getFromTag(msg), 'from1');
  assert.equal(getToTag(msg), 'to1');
});

test('absent fields give undefined; malformed ones throw SipParseError', () => {
  const empty = request([]);
  assert.equal(getTopVia(empty), undefined);
  assert.equal(getCSeq(empty), undefined);
  assert.equal(getCallId(empty), undefined);
  assert.equal(getFromTag(empty), undefined);
  assert.equal(getToTag(request([['To', '<sip:b@example.com>']])), undefined);
  assert.throws(() => getTopVia(request([['Via', 'garbage']])), SipParseError);
  assert.throws(() => getCSeq(request([['CSeq', 'x INVITE']])), SipParseError);
});
