import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDtmfInfoBody, parseDtmfPlain, parseDtmfRelay, parseDtmfRelayBody } from './dtmf-relay-info.js';

test('application/dtmf-relay with CRLF, as Cisco and Asterisk send it', () => {
  assert.deepEqual(parseDtmfRelay('Signal=1\r\nDuration=160\r\n'), { ok: true, value: { digit: '1', durationMs: 160 } });
});

test('application/dtmf-relay: LF, spaces, key case, order, # and event codes for * and #', () => {
  assert.deepEqual(parseDtmfRelay('duration = 250\nSIGNAL = #\n'), { ok: true, value: { digit: '#', durationMs: 250 } });
  assert.deepEqual(parseDtmfRelay('Signal=10'), { ok: true, value: { digit: '*' } });
  assert.deepEqual(parseDtmfRelay('Signal=11\r\nDuration=abc'), { ok: true, value: { digit: '#' } });
  assert.deepEqual(parseDtmfRelay('Signal=d'), { ok: true, value: { digit: 'D' } });
});

test('application/dtmf-relay: missing or bad Signal is refused with a reason', () => {
  const none = parseDtmfRelay('Duration=100');
  assert.equal(none.ok, false);
  const flash = parseDtmfRelay('Signal=16');
  assert.equal(flash.ok, false);
  assert.equal(parseDtmfRelay('Signal=12x').ok, false);
});

test('application/dtmf is just the digit', () => {
  assert.deepEqual(parseDtmfPlain('5'), { ok: true, value: { digit: '5' } });
  assert.deepEqual(parseDtmfPlain(' *\r\n'), { ok: true, value: { digit: '*' } });
  assert.equal(parseDtmfPlain('55').ok, false);
});

test('dispatch by Content-Type ignores parameters and case; other types are not DTMF', () => {
  assert.deepEqual(parseDtmfInfoBody('Application/DTMF-Relay; charset=utf-8', 'Signal=9'), { ok: true, value: { digit: '9' } });
  assert.deepEqual(parseDtmfInfoBody('application/dtmf', '0'), { ok: true, value: { digit: '0' } });
  assert.equal(parseDtmfInfoBody('application/sdp', 'v=0'), undefined);
});

test('parseDtmfRelayBody gives just the digit, or undefined', () => {
  assert.equal(parseDtmfRelayBody('application/dtmf-relay', 'Signal=*\r\nDuration=100'), '*');
  assert.equal(parseDtmfRelayBody('application/dtmf', 'x'), undefined);
  assert.equal(parseDtmfRelayBody('text/plain', '1'), undefined);
});
