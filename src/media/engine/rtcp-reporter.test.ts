import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiverStatistics, encodeRtcpCompound, ntpMiddle32, parseRtcpCompound, wallMsToNtp } from '../rtcp/index.js';
import { RtcpReporter } from './rtcp-reporter.js';

const WALL = Date.UTC(2025, 0, 1);

test('SR + SDES while sending, RR + SDES while not; a report block once the peer has sent', () => {
  const r = new RtcpReporter(0x1234, 'cname@x');
  const peer = new ReceiverStatistics();
  peer.reset(0xbeef);
  const sr = parseRtcpCompound(r.buffer.subarray(0, r.buildReport(true, 160_000, 250, 40_000, peer, WALL, 0)));
  assert.deepEqual(sr, [
    { type: 'sr', ssrc: 0x1234, ...(({ seconds, fraction }) => ({ ntpSeconds: seconds, ntpFraction: fraction }))(wallMsToNtp(WALL)), rtpTimestamp: 160_000, packetCount: 250, octetCount: 40_000, reports: [] },
    { type: 'sdes', chunks: [{ ssrc: 0x1234, items: [{ type: 1, text: 'cname@x' }] }] },
  ]);
  for (let i = 0; i < 10; i++) peer.onPacket(i, i * 160, i * 20, true);
  const rr = parseRtcpCompound(r.buffer.subarray(0, r.buildReport(false, 0, 0, 0, peer, WALL, 200)));
  assert.equal(rr[0].type, 'rr');
  if (rr[0].type === 'rr') {
    assert.equal(rr[0].reports.length, 1);
    assert.equal(rr[0].reports[0].ssrc, 0xbeef);
    assert.equal(rr[0].reports[0].highestSeq, 9);
  }
  const bye = parseRtcpCompound(r.buffer.subarray(0, r.buildBye()));
  assert.deepEqual(bye.map((p) => p.type), ['rr', 'bye']);
});

test('the peer\'s SR feeds LSR; its report about us gives the round-trip time; BYE is noticed', () => {
  const r = new RtcpReporter(0x1234, 'c');
  const peer = new ReceiverStatistics();
  peer.reset(0xbeef);
  const ntp = wallMsToNtp(WALL);
  r.handle(encodeRtcpCompound([{ type: 'sr', ssrc: 0xbeef, ntpSeconds: ntp.seconds, ntpFraction: ntp.fraction, rtpTimestamp: 0, packetCount: 1, octetCount: 160, reports: [] }]), peer, WALL, 1000);
  const block = peer.fillReportBlock({ ssrc: 0, fractionLost: 0, cumulativeLost: 0, highestSeq: 0, jitter: 0, lastSr: 0, delaySinceLastSr: 0 }, 1250);
  assert.equal(block.lastSr, ntpMiddle32(ntp.seconds, ntp.fraction));
  assert.equal(block.delaySinceLastSr, 65536 / 4);

  // We sent an SR at WALL; the peer held it 100 ms and its RR arrives at WALL + 180 ms: RTT 80 ms.
  const rr = { type: 'rr' as const, ssrc: 0xbeef, reports: [{ ssrc: 0x1234, fractionLost: 0, cumulativeLost: 0, highestSeq: 0, jitter: 0, lastSr: ntpMiddle32(ntp.seconds, ntp.fraction), delaySinceLastSr: 6554 }] };
  r.handle(encodeRtcpCompound([rr, { type: 'bye', ssrcs: [0xbeef] }]), peer, WALL + 180, 2000);
  assert.ok(r.rttMs !== undefined && Math.abs(r.rttMs - 80) < 0.2, String(r.rttMs));
  assert.equal(r.byeReceived, true);
  assert.equal(r.reportsReceived, 2);
  assert.throws(() => r.handle(Buffer.from([0x80]), peer, WALL, 0));
});

test('RTCP destination: SDP port, RTP+1 at a latched NAT address, then the learned RTCP source', () => {
  const r = new RtcpReporter(1, 'c');
  r.setSdpDestination('10.0.0.1', 4001);
  const latch = { latched: false, address: '10.0.0.1', port: 4000 };
  assert.equal(r.chooseDestination(latch, '10.0.0.1'), true);
  assert.deepEqual([r.address, r.port], ['10.0.0.1', 4001]);
  assert.equal(r.chooseDestination({ latched: true, address: '203.0.113.9', port: 50000 }, '10.0.0.1'), true);
  assert.deepEqual([r.address, r.port], ['203.0.113.9', 50001]);
  r.learnDestination('203.0.113.9', 50123);
  r.setSdpDestination('10.0.0.1', 4001);
  r.chooseDestination(latch, '10.0.0.1');
  assert.deepEqual([r.address, r.port], ['203.0.113.9', 50123]);
  r.forgetLearnedDestination();
  r.setSdpDestination('10.0.0.1', 0);
  assert.equal(r.chooseDestination(latch, '10.0.0.1'), false);
});
