import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RELATCH_PACKETS, RtpSourceLatch } from './rtp-source-latch.js';

test('latches to the first source, then only a new SSRC sending in sequence moves it', () => {
  const l = new RtpSourceLatch(true);
  l.reset('10.0.0.1', 4000);
  assert.deepEqual([l.address, l.port, l.latched], ['10.0.0.1', 4000, false]);
  assert.equal(l.accept('198.51.100.7', 31000, 0xa, 1), true);
  assert.deepEqual([l.address, l.port, l.latched], ['198.51.100.7', 31000, true]);
  assert.equal(l.accept('198.51.100.7', 31000, 0xb, 9), true, 'same source may change SSRC');
  assert.equal(l.accept('192.0.2.66', 5000, 0xb, 10), false, 'same SSRC from elsewhere is not a new source');
  assert.equal(l.accept('192.0.2.66', 5000, 0xc, 500), false);
  assert.equal(l.accept('192.0.2.66', 5000, 0xc, 502), false, 'a gap restarts the probation');
  for (let i = 1; i < RELATCH_PACKETS - 1; i++) assert.equal(l.accept('192.0.2.66', 5000, 0xc, 502 + i), false);
  assert.equal(l.accept('192.0.2.66', 5000, 0xc, 502 + RELATCH_PACKETS - 1), true);
  assert.deepEqual([l.address, l.port], ['192.0.2.66', 5000]);
  assert.equal(l.accept('198.51.100.7', 31000, 0xb, 11), false, 'the old source is now the stranger');
});

test('interleaved spoofed packets from two strangers never complete a probation', () => {
  const l = new RtpSourceLatch(true);
  l.reset('10.0.0.1', 4000);
  l.accept('10.0.0.1', 4000, 1, 1);
  for (let i = 0; i < 20; i++) {
    assert.equal(l.accept('192.0.2.1', 6000, 77, i), false);
    assert.equal(l.accept('192.0.2.2', 6000, 78, i), false);
  }
  assert.deepEqual([l.address, l.port], ['10.0.0.1', 4000]);
});

test('latching off: only the SDP address is accepted (any port) and the destination stays', () => {
  const l = new RtpSourceLatch(false);
  l.reset('10.0.0.1', 4000);
  assert.equal(l.accept('10.0.0.1', 4999, 1, 1), true);
  assert.equal(l.accept('10.0.0.2', 4000, 1, 2), false);
  assert.deepEqual([l.address, l.port, l.latched], ['10.0.0.1', 4000, false]);
});

test('reset (new remote address in a re-INVITE) starts learning again', () => {
  const l = new RtpSourceLatch(true);
  l.reset('10.0.0.1', 4000);
  l.accept('198.51.100.7', 31000, 1, 1);
  l.reset('10.0.0.9', 4100);
  assert.deepEqual([l.address, l.port, l.latched], ['10.0.0.9', 4100, false]);
  assert.equal(l.accept('198.51.100.8', 32000, 2, 1), true);
  assert.equal(l.port, 32000);
});

test('receive-only latching accepts the learned source but keeps sending to the SDP address', () => {
  const latch = new RtpSourceLatch(true, false);
  latch.reset('127.0.0.1', 20000);
  assert.equal(latch.accept('127.0.0.2', 20000, 0x1234, 1), true, 'first packet from another address is accepted');
  assert.equal(latch.latched, true);
  assert.deepEqual([latch.sourceAddress, latch.sourcePort], ['127.0.0.2', 20000]);
  assert.deepEqual([latch.address, latch.port], ['127.0.0.1', 20000], 'RTP still goes to the SDP address');
  assert.equal(latch.accept('127.0.0.2', 20000, 0x1234, 2), true);
  assert.equal(latch.accept('127.0.0.9', 4000, 0x1234, 3), false, 'a stranger with the same SSRC is ignored');
});
