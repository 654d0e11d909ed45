import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiverStatistics } from './receiver-statistics.js';
import type { RtcpReportBlock } from './rtcp-packet.js';

const block = (): RtcpReportBlock => ({ ssrc: 0, fractionLost: 0, cumulativeLost: 0, highestSeq: 0, jitter: 0, lastSr: 0, delaySinceLastSr: 0 });

test('in-order stream: nothing lost, zero jitter when packets arrive exactly paced', () => {
  const s = new ReceiverStatistics();
  s.reset(0xabc);
  for (let i = 0; i < 100; i++) s.onPacket(1000 + i, 5000 + i * 160, i * 20, true);
  assert.equal(s.cumulativeLost, 0);
  assert.equal(s.jitterMs, 0);
  assert.equal(s.extendedHighestSeq, 1099);
  const b = s.fillReportBlock(block(), 2000);
  assert.deepEqual([b.ssrc, b.fractionLost, b.cumulativeLost, b.highestSeq], [0xabc, 0, 0, 1099]);
});

test('first packets are on probation (RFC 3550 A.1 MIN_SEQUENTIAL)', () => {
  const s = new ReceiverStatistics();
  assert.equal(s.onPacket(10, 0, 0, true), false);
  assert.equal(s.onPacket(11, 160, 20, true), true);
  assert.equal(s.packetsReceived, 1);
});

test('loss: cumulative count and the fraction of the last interval (A.3)', () => {
  const s = new ReceiverStatistics();
  for (let seq = 0; seq < 10; seq++) s.onPacket(seq, seq * 160, seq * 20, true);
  s.fillReportBlock(block(), 200);
  for (let seq = 10; seq < 20; seq++) if (seq % 4 !== 0) s.onPacket(seq, seq * 160, seq * 20, true);
  const b = s.fillReportBlock(block(), 400);
  assert.equal(b.cumulativeLost, 2);
  assert.equal(b.fractionLost, Math.floor((2 * 256) / 10));
  const again = s.fillReportBlock(block(), 420);
  assert.equal(again.fractionLost, 0);
});

test('sequence wrap counts a cycle in the extended highest sequence number', () => {
  const s = new ReceiverStatistics();
  for (let i = 0; i < 10; i++) s.onPacket((65530 + i) & 0xffff, i * 160, i * 20, true);
  assert.equal(s.extendedHighestSeq, 65536 + 3);
  assert.equal(s.cumulativeLost, 0);
});

test('a large jump is accepted only when the next packet confirms it (source restart)', () => {
  const s = new ReceiverStatistics();
  for (let i = 0; i < 5; i++) s.onPacket(100 + i, i * 160, i * 20, true);
  assert.equal(s.onPacket(40000, 0, 200, true), false);
  assert.equal(s.onPacket(40001, 160, 220, true), true);
  assert.equal(s.extendedHighestSeq, 40001);
});

test('interarrival jitter follows A.8: alternating 0/10 ms delay converges towards 10 ms', () => {
  const s = new ReceiverStatistics();
  for (let i = 0; i < 400; i++) s.onPacket(i, i * 160, i * 20 + (i % 2 ? 10 : 0), true);
  assert.ok(s.jitterMs > 9 && s.jitterMs <= 10, String(s.jitterMs));
  const b = s.fillReportBlock(block(), 9000);
  assert.equal(b.jitter, Math.floor(s.jitterMs * 8));
});

test('packets without valid timing (telephone-events) do not move the jitter', () => {
  const s = new ReceiverStatistics();
  for (let i = 0; i < 50; i++) s.onPacket(i, 777, i * 20, false);
  assert.equal(s.jitterMs, 0);
});

test('LSR and DLSR come from the last SR received (§6.4.1)', () => {
  const s = new ReceiverStatistics();
  s.onSenderReport(0x12345678, 1000);
  const b = s.fillReportBlock(block(), 1500);
  assert.equal(b.lastSr, 0x12345678);
  assert.equal(b.delaySinceLastSr, 32768);
});
