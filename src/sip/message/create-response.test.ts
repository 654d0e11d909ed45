import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBadRequestFromPartial, createResponse, createResponseFromPartial } from './create-response.js';
import { parseSipMessage } from './parse-sip-message.js';
import { SipParseError } from './sip-parse-error.js';
import type { SipRequest } from './types.js';

const INVITE = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/UDP p2.example.com;branch=z9hG4bK2',
  'Via: SIP/2.0/UDP alice.example.com;branch=z9hG4bK3',
  'Max-Forwards: 68',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'To: Bob <sip:bob@example.com>',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@alice.example.com>',
  'Content-Length: 0',
  '', '',
].join('\r\n');

function invite(text = INVITE): SipRequest {
  const msg = parseSipMessage(Buffer.from(text));
  assert.ok(msg.kind === 'request');
  return msg;
}

function errorOf(text: string): SipParseError {
  try {
    parseSipMessage(Buffer.from(text));
  } catch (err) {
    assert.ok(err instanceof SipParseError);
    return err;
  }
  assert.fail('expected a parse error');
}

test('copies Via fields in order, From, To, Call-ID and CSeq, and nothing else (§8.2.6.2)', () => {
  const res = createResponse(invite(), 486, undefined, { toTag: 'a6c85cf' });
  assert.equal(res.status, 486);
  assert.equal(res.reason, 'Busy Here');
  assert.deepEqual(res.headers.getAll('Via'), [
    'SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/UDP p2.example.com;branch=z9hG4bK2',
    'SIP/2.0/UDP alice.example.com;branch=z9hG4bK3',
  ]);
  assert.equal(res.headers.get('From'), 'Alice <sip:alice@example.com>;tag=1928301774');
  assert.equal(res.headers.get('To'), 'Bob <sip:bob@example.com>;tag=a6c85cf');
  assert.equal(res.headers.get('Call-ID'), 'a84b4c76e66710');
  assert.equal(res.headers.get('CSeq'), '314159 INVITE');
  assert.equal(res.headers.has('Contact'), false);
  assert.equal(res.headers.has('Max-Forwards'), false);
});

test('an existing To tag is kept, and a 100 Trying gets none', () => {
  const tagged = invite(INVITE.replace('To: Bob <sip:bob@example.com>', 'To: Bob <sip:bob@example.com>;tag=existing'));
  assert.equal(createResponse(tagged, 200, 'OK', { toTag: 'new' }).headers.get('To'), 'Bob <sip:bob@example.com>;tag=existing');
  assert.equal(createResponse(invite(), 100, undefined, { toTag: 'x' }).headers.get('To'), 'Bob <sip:bob@example.com>');
  assert.equal(createResponse(invite(), 100).reason, 'Trying');
});

test('extra headers, a body and its Content-Type are added', () => {
  const body = Buffer.from('v=0\r\n');
  const res = createResponse(invite(), 200, 'Fine', { headers: [['Contact', '<sip:ivr@192.0.2.10>']], body, contentType: 'application/sdp' });
  assert.equal(res.reason, 'Fine');
  assert.equal(res.headers.get('Contact'), '<sip:ivr@192.0.2.10>');
  assert.equal(res.headers.get('Content-Type'), 'application/sdp');
  assert.equal(res.body, body);
});

test('reason phrases default by code, then by class', () => {
  assert.equal(createResponse(invite(), 404).reason, 'Not Found');
  assert.equal(createResponse(invite(), 499).reason, 'Bad Request');
  assert.throws(() => createResponse(invite(), 99), RangeError);
  assert.throws(() => createResponse(invite(), 700), RangeError);
});

test('a 400 is built from what a broken request still had', () => {
  const err = errorOf(INVITE.replace('CSeq: 314159 INVITE', 'CSeq: 314159 OPTIONS'));
  const res = createBadRequestFromPartial(err, 'CSeq method mismatch', { toTag: 't1' });
  assert.ok(res);
  assert.equal(res.status, 400);
  assert.equal(res.reason, 'CSeq method mismatch');
  assert.equal(res.headers.getAll('Via').length, 2);
  assert.equal(res.headers.get('CSeq'), '314159 OPTIONS');
  assert.equal(res.headers.get('To'), 'Bob <sip:bob@example.com>;tag=t1');
});

test('505 for an unsupported version and 513 for a too large request', () => {
  const version = errorOf(INVITE.replace('SIP/2.0\r\n', 'SIP/3.0\r\n'));
  assert.equal(createBadRequestFromPartial(version, 'Version Not Supported')?.status, 505);
  let tooLarge: unknown;
  try {
    const big = INVITE.replace('Content-Length: 0', 'Content-Length: 1000') + 'x'.repeat(1000);
    parseSipMessage(Buffer.from(big), { maxBytes: 1000 });
  } catch (err) {
    tooLarge = err;
  }
  assert.ok(tooLarge instanceof SipParseError);
  assert.equal(createBadRequestFromPartial(tooLarge, 'Message Too Large')?.status, 513);
});

test('never answers a response, an ACK, or a request missing a core header', () => {
  const response = errorOf('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b.example>;tag=1\r\n'
    + 'To: <sip:c@d.example>\r\nCall-ID: x\r\nCSeq: 99999999999 INVITE\r\n\r\n');
  assert.equal(response.partial?.kind, 'response');
  assert.equal(createBadRequestFromPartial(response, 'x'), undefined);
  const ack = errorOf(INVITE.replace(/INVITE/g, 'ACK').replace('CSeq: 314159 ACK', 'CSeq: 314159 BYE'));
  assert.equal(ack.partial?.method, 'ACK');
  assert.equal(createBadRequestFromPartial(ack, 'x'), undefined);
  const noCallId = errorOf(INVITE.replace('Call-ID: a84b4c76e66710\r\n', ''));
  assert.equal(createBadRequestFromPartial(noCallId, 'x'), undefined);
  assert.equal(createResponseFromPartial(new SipParseError('no partial'), 400), undefined);
});
