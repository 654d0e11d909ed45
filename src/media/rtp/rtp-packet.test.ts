import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RTP_PARSE_OK, RtpPacketView, RtpParseError, encodeRtpPacket, parseRtpPacket, writeRtpHeader,
} from './rtp-packet.js';
import { readPcapFixture } from '../../../test/support/pcap-reader.js';

test('parses a captured telephone-event packet (sip-tester dtmf_2833_1.pcap)', () => {
  const [first] = readPcapFixture('dtmf_2833_1.pcap');
  assert.equal(first.payload.toString('hex'), '80e51f30000033e00e05384e010a0000');
  const view = new RtpPacketView();
  assert.equal(view.parse(first.payload), RTP_PARSE_OK);
  assert.equal(view.marker, true);
  assert.equal(view.payloadType, 101);
  assert.equal(view.sequenceNumber, 0x1f30);
  assert.equal(view.timestamp, 0x33e0);
  assert.equal(view.ssrc, 0x0e05384e);
  assert.equal(view.payloadOffset, 12);
  assert.equal(view.payloadLength, 4);
});

test('captured PCMA packets round-trip byte for byte through the header writer (g711a.pcap)', () => {
  const packets = readPcapFixture('g711a.pcap');
  assert.ok(packets.length > 100);
  const view = new RtpPacketView();
  const out = Buffer.alloc(1500);
  for (const p of packets) {
    assert.equal(view.parse(p.payload), RTP_PARSE_OK);
    assert.equal(view.payloadType, 8);
    const at = writeRtpHeader(out, 0, view.payloadType, view.marker, view.sequenceNumber, view.timestamp, view.ssrc);
    p.payload.copy(out, at, view.payloadOffset, view.payloadOffset + view.payloadLength);
    assert.deepEqual(out.subarray(0, at + view.payloadLength), p.payload);
  }
});

test('the view is reused: a second parse overwrites every field', () => {
  const view = new RtpPacketView();
  const a = encodeRtpPacket({ payloadType: 0, marker: true, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrc: [9], payload: Buffer.alloc(160) });
  const b = encodeRtpPacket({ payloadType: 8, sequenceNumber: 65535, timestamp: 0xffffffff, ssrc: 0x80000000, payload: Buffer.alloc(4) });
  assert.equal(view.parse(a), RTP_PARSE_OK);
  assert.equal(view.parse(b), RTP_PARSE_OK);
  assert.deepEqual(
    [view.payloadType, view.marker, view.sequenceNumber, view.timestamp, view.ssrc, view.csrcCount, view.payloadLength],
    [8, false, 65535, 0xffffffff, 0x80000000, 0, 4],
  );
});

test('CSRC list, header extension and padding are located and round-trip', () => {
  const payload = Buffer.from('abcdef', 'latin1');
  const ext = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const bytes = encodeRtpPacket({
    payloadType: 96, sequenceNumber: 7, timestamp: 8, ssrc: 9, csrc: [0x11111111, 0xfffffffe],
    extension: { profile: 0xbede, data: ext }, payload, paddingLength: 3,
  });
  assert.equal(bytes[0], 0x80 | 0x20 | 0x10 | 2);
  const view = parseRtpPacket(bytes);
  assert.equal(view.csrcCount, 2);
  assert.deepEqual([view.csrc[0], view.csrc[1]], [0x11111111, 0xfffffffe]);
  assert.equal(view.extensionProfile, 0xbede);
  assert.deepEqual(bytes.subarray(view.extensionOffset, view.extensionOffset + view.extensionLength), ext);
  assert.equal(view.paddingLength, 3);
  assert.deepEqual(bytes.subarray(view.payloadOffset, view.payloadOffset + view.payloadLength), payload);
});

test('malformed packets are rejected with a named reason', () => {
  const good = encodeRtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: Buffer.alloc(8) });
  const cases: Array<[string, Buffer, string]> = [
    ['empty', Buffer.alloc(0), 'header-too-short'],
    ['truncated header', good.subarray(0, 11), 'header-too-short'],
    ['version 1', Buffer.from([0x40, ...good.subarray(1)]), 'bad-version'],
    ['version 0 (STUN-like)', Buffer.from([0x00, ...good.subarray(1)]), 'bad-version'],
    ['CSRC count past end', Buffer.from([0x83, ...good.subarray(1, 12), 0, 0, 0, 1]), 'csrc-past-end'],
    ['extension preamble past end', Buffer.from([0x90, ...good.subarray(1, 12), 0xbe, 0xde]), 'extension-past-end'],
    ['extension length past end', Buffer.from([0x90, ...good.subarray(1, 12), 0xbe, 0xde, 0, 2, 1, 2, 3, 4]), 'extension-past-end'],
    ['padding count zero', Buffer.from([0xa0, ...good.subarray(1, 12), 1, 2, 0]), 'padding-zero'],
    ['padding larger than packet', Buffer.from([0xa0, ...good.subarray(1, 12), 1, 2, 9]), 'padding-too-large'],
    ['padding bit with no room', Buffer.from([0xa0, ...good.subarray(1, 12)]), 'padding-too-large'],
  ];
  const view = new RtpPacketView();
  for (const [name, bytes, reason] of cases) {
    assert.equal(view.parse(bytes), reason, name);
    assert.throws(() => parseRtpPacket(bytes), (e: unknown) => e instanceof RtpParseError && e.reason === reason && e.code === 'SWB_ERR_RTP_PARSE', name);
  }
});

test('a length shorter than the buffer limits the parse (datagram inside a larger receive buffer)', () => {
  const bytes = encodeRtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: Buffer.alloc(10), paddingLength: 2 });
  const big = Buffer.concat([bytes, Buffer.alloc(100, 0xee)]);
  const view = new RtpPacketView();
  assert.equal(view.parse(big, bytes.length), RTP_PARSE_OK);
  assert.equal(view.payloadLength, 10);
  assert.equal(view.parse(bytes, bytes.length + 1), 'header-too-short');
});

test('random garbage never throws from parse (fuzz)', () => {
  let seed = 12345;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
  const view = new RtpPacketView();
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    const len = rnd() % 64;
    const buf = Buffer.alloc(len);
    for (let j = 0; j < len; j++) buf[j] = rnd() & 0xff;
    if (len > 0) buf[0] = (buf[0] & 0x3f) | 0x80;
    if (view.parse(buf) === RTP_PARSE_OK) {
      accepted++;
      assert.ok(view.payloadOffset + view.payloadLength + view.paddingLength === len);
    }
  }
  assert.ok(accepted > 0);
});
