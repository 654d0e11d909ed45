import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSipMessage } from './parse-sip-message.js';
import { serializeSipMessage } from './serialize-sip-message.js';
import { SipHeaders } from './headers.js';
import type { SipRequest } from './types.js';
import { readRepoFile } from './repo-fixtures.js';

function fixture(name: string): Buffer {
  return readRepoFile('test', 'fixtures', 'sip', name);
}

test('golden fixtures: parse → serialize is byte-identical for canonical messages', () => {
  for (const name of ['invite-with-sdp.sip', 'register.sip', 'response-200-ok.sip', 'options-compact.canonical.sip']) {
    const data = fixture(name);
    assert.equal(serializeSipMessage(parseSipMessage(data)).toString('latin1'), data.toString('latin1'), name);
  }
});

test('golden fixture: compact forms, folding and bare LF come out canonical with CRLF', () => {
  const out = serializeSipMessage(parseSipMessage(fixture('options-compact.sip')));
  assert.equal(out.toString('latin1'), fixture('options-compact.canonical.sip').toString('latin1'));
});

test('parse → serialize → parse gives the same model', () => {
  const first = parseSipMessage(fixture('invite-with-sdp.sip'));
  const second = parseSipMessage(serializeSipMessage(first));
  assert.deepEqual(second, first);
});

function request(headers: Array<[string, string]>, body = ''): SipRequest {
  return { kind: 'request', method: 'MESSAGE', uri: 'sip:bob@example.com', headers: new SipHeaders(headers), body: Buffer.from(body) };
}

test('Content-Length is computed from the body, in place of a stale value or last', () => {
  const stale = request([['Call-ID', 'x'], ['l', '999'], ['Subject', 'hi']], 'héllo');
  assert.equal(serializeSipMessage(stale).toString('utf8'),
    'MESSAGE sip:bob@example.com SIP/2.0\r\nCall-ID: x\r\nContent-Length: 6\r\nSubject: hi\r\n\r\nhéllo');
  const none = request([['i', 'x']]);
  assert.equal(serializeSipMessage(none).toString('utf8'), 'MESSAGE sip:bob@example.com SIP/2.0\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n');
});

test('a binary body is written untouched', () => {
  const body = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
  const msg = { ...request([['Call-ID', 'x']]), body };
  const out = serializeSipMessage(msg);
  assert.deepEqual(out.subarray(out.length - body.length), body);
});

test('CR or LF in a value or the start line is refused (header injection)', () => {
  assert.throws(() => serializeSipMessage(request([['Subject', 'a\r\nVia: evil']])), TypeError);
  assert.throws(() => serializeSipMessage({ ...request([]), uri: 'sip:a@b\r\nX: y' }), TypeError);
  assert.throws(() => serializeSipMessage({ kind: 'response', status: 200, reason: 'OK\n', headers: new SipHeaders(), body: Buffer.alloc(0) }), TypeError);
  assert.throws(() => serializeSipMessage(request([['Bad Name', 'x']])), TypeError);
});

test('an empty header value is written without trailing space', () => {
  assert.match(serializeSipMessage(request([['Subject', '']])).toString(), /\r\nSubject:\r\n/);
});
