import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RtcpParseError, encodeRtcpCompound, ntpMiddle32, parseRtcpCompound, wallMsToNtp, type RtcpPacket,
} from './rtcp-packet.js';

// Captured packets as dissected by Wireshark: an SR and SDES compound of an RTSP camera stream, and a receiver's
// RR (cumulative lost -1 from a duplicate) followed by its BYE.
const CAPTURED_SR = '80c8000660ef152be98aa31c75cbee80281c163c00000080000156ba';
const CAPTURED_SDES = '81ca000560ef152b010b7368616f2d6c656e6f766f000000';
const CAPTURED_RR = '81c900074229847360ef152b00ffffff0001bc6f00000041a31f39800000adb3';
const CAPTURED_BYE = '81cb000142298473';

test('captured SR + SDES compound parses to the dissected values and re-encodes byte for byte', () => {
  const bytes = Buffer.from(CAPTURED_SR + CAPTURED_SDES, 'hex');
  const packets = parseRtcpCompound(bytes);
  assert.deepEqual(packets, [
    { type: 'sr', ssrc: 0x60ef152b, ntpSeconds: 3918177052, ntpFraction: 1976299136, rtpTimestamp: 672929340, packetCount: 128, octetCount: 87738, reports: [] },
    { type: 'sdes', chunks: [{ ssrc: 0x60ef152b, items: [{ type: 1, text: 'shao-lenovo' }] }] },
  ]);
  assert.deepEqual(encodeRtcpCompound(packets), bytes);
});

test('captured RR + BYE: signed cumulative loss, LSR/DLSR, and byte-exact re-encoding', () => {
  const bytes = Buffer.from(CAPTURED_RR + CAPTURED_BYE, 'hex');
  const packets = parseRtcpCompound(bytes);
  assert.deepEqual(packets, [
    { type: 'rr', ssrc: 0x42298473, reports: [{ ssrc: 0x60ef152b, fractionLost: 0, cumulativeLost: -1, highestSeq: 113775, jitter: 65, lastSr: 0xa31f3980, delaySinceLastSr: 44467 }] },
    { type: 'bye', ssrcs: [0x42298473] },
  ]);
  assert.deepEqual(encodeRtcpCompound(packets), bytes);
});

test('BYE with reason, SDES with several items and chunks, and unknown packet types round-trip', () => {
  const packets: RtcpPacket[] = [
    { type: 'rr', ssrc: 1, reports: [] },
    { type: 'sdes', chunks: [
      { ssrc: 1, items: [{ type: 1, text: 'ivr@example.com' }, { type: 6, text: 'switchboard' }] },
      { ssrc: 2, items: [{ type: 1, text: 'abcd' }] },
    ] },
    { type: 'other', packetType: 204, count: 3, body: Buffer.from('0000000158595a5a', 'hex') },
    { type: 'bye', ssrcs: [1, 2], reason: 'call ended' },
  ];
  const bytes = encodeRtcpCompound(packets);
  assert.equal(bytes.length % 4, 0);
  assert.deepEqual(parseRtcpCompound(bytes), packets);
});

test('padding on the last packet is honoured', () => {
  const bye = Buffer.from('a1cb000242298473' + '00000004', 'hex');
  assert.deepEqual(parseRtcpCompound(bye), [{ type: 'bye', ssrcs: [0x42298473] }]);
});

test('malformed compound packets throw RtcpParseError with a reason', () => {
  const cases: Array<[string, string]> = [
    ['80c8', 'header-too-short'],
    ['40c8000142298473', 'bad-version'],
    ['80c8000642298473', 'length-past-end'],
    ['81c9000142298473', 'count-past-end'],
    ['81ca000242298473010b7368', 'sdes-item-past-end'],
    ['81cb000242298473' + '09616263', 'bye-reason-past-end'],
    ['a1cb000142298473', 'padding-too-large'],
    [CAPTURED_BYE + '80', 'header-too-short'],
  ];
  for (const [hex, reason] of cases) {
    assert.throws(
      () => parseRtcpCompound(Buffer.from(hex, 'hex')),
      (e: unknown) => e instanceof RtcpParseError && e.reason === reason && e.code === 'SWB_ERR_RTP_PARSE',
      hex,
    );
  }
});

test('NTP conversion of wall time and the LSR middle 32 bits (RFC 3550 §4, §6.4.1)', () => {
  const ntp = wallMsToNtp(Date.UTC(2024, 1, 29, 6, 30, 52, 500));
  assert.equal(ntp.seconds, 3918177052);
  assert.equal(ntp.fraction, 0x80000000);
  assert.equal(ntpMiddle32(ntp.seconds, ntp.fraction), ((3918177052 & 0xffff) * 65536 + 0x8000) >>> 0);
});
