import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSipMessage, type SipRequest } from '../message/index.js';
import { capabilityHeaders, checkInboundRequest, mediaType } from './request-checks.js';

function request(method: string, uri = 'sip:ivr@192.0.2.1', extra: string[] = []): SipRequest {
  const text = [
    `${method} ${uri} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK1',
    'Max-Forwards: 70',
    'From: <sip:a@192.0.2.9>;tag=1',
    'To: <sip:ivr@192.0.2.1>',
    'Call-ID: c1',
    `CSeq: 1 ${method}`,
    ...extra,
    'Content-Length: 0',
  ].join('\r\n');
  return parseSipMessage(Buffer.from(`${text}\r\n\r\n`)) as SipRequest;
}

test('§8.2.1: unknown method → 501, known but unsupported → 405, both with Allow', () => {
  const unknown = checkInboundRequest(request('FROBNICATE'), []);
  assert.equal(unknown?.status, 501);
  assert.match(unknown?.headers[0][1] ?? '', /INVITE, ACK, CANCEL, BYE, OPTIONS/);
  for (const m of ['REGISTER', 'SUBSCRIBE', 'PUBLISH', 'MESSAGE']) {
    const r = checkInboundRequest(request(m), []);
    assert.equal(r?.status, 405, m);
    assert.equal(r?.headers[0][0], 'Allow');
  }
  assert.equal(checkInboundRequest(request('INVITE'), []), undefined);
});

test('§8.2.2.1: Request-URI scheme other than sip/sips/tel → 416', () => {
  assert.equal(checkInboundRequest(request('OPTIONS', 'mailto:ivr@example.com'), [])?.status, 416);
  assert.equal(checkInboundRequest(request('OPTIONS', 'tel:+15551234'), []), undefined);
});

test('Max-Forwards 0 → 483', () => {
  const r = request('INVITE');
  r.headers.set('Max-Forwards', '0');
  assert.equal(checkInboundRequest(r, [])?.status, 483);
});

test('§8.2.2.3: Require with unknown option-tags → 420 listing them in Unsupported; known tags pass', () => {
  const r = request('INVITE', undefined, ['Require: 100rel, timer', 'Require: foo']);
  const failure = checkInboundRequest(r, ['timer']);
  assert.equal(failure?.status, 420);
  assert.deepEqual(failure?.headers, [['Unsupported', '100rel, foo']]);
  assert.equal(checkInboundRequest(request('INVITE', undefined, ['Require: timer']), ['timer']), undefined);
  assert.equal(checkInboundRequest(request('CANCEL', undefined, ['Require: foo']), []), undefined, 'CANCEL exempt');
});

test('helpers: media type without parameters, capability headers', () => {
  assert.equal(mediaType('Application/SDP; charset=utf-8'), 'application/sdp');
  assert.equal(mediaType(undefined), undefined);
  assert.deepEqual(capabilityHeaders(['timer']).map(([n]) => n), ['Allow', 'Accept', 'Supported']);
  assert.deepEqual(capabilityHeaders([]).map(([n]) => n), ['Allow', 'Accept']);
});
