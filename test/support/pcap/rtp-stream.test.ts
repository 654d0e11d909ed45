import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPcapUdp } from './pcap-reader.js';
import { decodeRtp, parseRtp } from './rtp-decoder.js';
import { buildRtpPcap, RtpStreamBuilder } from './rtp-stream-builder.js';

function sine(hz: number, ms: number, amp = 8000): Int16Array {
  const n = (8000 * ms) / 1000;
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.round(amp * Math.sin((2 * Math.PI * hz * i) / 8000));
  return s;
}

test('one stream: consecutive sequence numbers, one SSRC, 20 ms timestamps, marker on talkspurt starts', () => {
  const b = new RtpStreamBuilder({ ssrc: 0x11223344, firstSeq: 65534, firstTimestamp: 0xfffffe00, startTimeSec: 100 });
  b.audio(sine(440, 50)).gap(100).silence(40);
  const rtp = readPcapUdp(b.toPcap()).map((d) => ({ d, r: parseRtp(d.payload)! }));
  assert.equal(rtp.length, 5, '50 ms → 3 packets (last padded), then 2 of silence');
  assert.deepEqual(rtp.map((x) => x.r.seq), [65534, 65535, 0, 1, 2], 'sequence wraps at 16 bits');
  assert.deepEqual(rtp.map((x) => x.r.timestamp), [0, 160, 320, 1280, 1440].map((t) => (0xfffffe00 + t) >>> 0), 'gap advances the clock');
  assert.deepEqual(rtp.map((x) => x.r.marker), [true, false, false, true, false]);
  assert.ok(rtp.every((x) => x.r.ssrc === 0x11223344 && x.r.payloadType === 0 && x.r.payload.length === 160));
  assert.deepEqual(rtp.map((x) => Math.round((x.d.timeSec - 100) * 1000)), [0, 20, 40, 160, 180], 'send times follow the RTP clock');
  assert.equal(b.durationMs, 200);
});

test('RFC 4733 digit: updates with growing duration, marker on the first, three end packets, one start timestamp', () => {
  const b = new RtpStreamBuilder({ ssrc: 1, firstSeq: 10, firstTimestamp: 1000, dtmfPayloadType: 96, dtmfDurationMs: 100, dtmfVolume: 12 });
  b.dtmf('#');
  const pkts = readPcapUdp(b.toPcap()).map((d) => parseRtp(d.payload)!);
  assert.equal(pkts.length, 5 + 3);
  assert.ok(pkts.every((p) => p.payloadType === 96 && p.timestamp === 1000 && p.payload.length === 4));
  assert.deepEqual(pkts.map((p) => p.marker), [true, false, false, false, false, false, false, false]);
  assert.deepEqual(pkts.map((p) => p.payload[0]), new Array(8).fill(11), '# is event 11');
  assert.deepEqual(pkts.map((p) => p.payload[1] >> 7), [0, 0, 0, 0, 0, 1, 1, 1], 'E bit on the last three');
  assert.deepEqual(pkts.map((p) => p.payload[1] & 0x3f), new Array(8).fill(12));
  assert.deepEqual(pkts.map((p) => p.payload.readUInt16BE(2)), [160, 320, 480, 640, 800, 800, 800, 800]);
  assert.throws(() => new RtpStreamBuilder().dtmf('x'), /bad DTMF digit/);
});

test('decodeRtp puts audio back at arrival time and lists each digit once', () => {
  const tone = sine(1000, 200);
  const built = buildRtpPcap([{ kind: 'audio', samples: tone }, { kind: 'silence', ms: 100 }, { kind: 'dtmf', digits: '1*' }, { kind: 'audio', samples: tone }], { startTimeSec: 50 });
  const got = decodeRtp(readPcapUdp(built.pcap));
  assert.equal(got.ssrcs.length, 1);
  assert.equal(got.packets, built.packets);
  assert.deepEqual(got.digits.map((d) => d.digit), ['1', '*']);
  assert.ok(Math.abs(got.digits[0].atSec - 0.3) < 1e-6, 'first digit starts after 200 ms tone + 100 ms silence');
  let maxErr = 0;
  for (let i = 0; i < tone.length; i++) maxErr = Math.max(maxErr, Math.abs(got.samples[i] - tone[i]));
  assert.ok(maxErr < 300, `G.711 round trip error ${maxErr}`);
  const secondAt = Math.round((built.durationMs - 200) * 8);
  assert.ok(Math.abs(got.samples[secondAt + 2] - tone[2]) < 300, 'second tone placed after the digits');
  assert.equal(decodeRtp(readPcapUdp(built.pcap), { dstPort: 1 }).packets, 0, 'port selector filters');
});

test('parseRtp skips CSRCs, header extension and padding, and rejects RTCP and non-v2', () => {
  const p = Buffer.from('b1' + '08' + '0001' + '00000002' + '00000003' + 'aaaaaaaa' + 'bede0001' + '11223344' + 'cafe' + '0002', 'hex');
  const r = parseRtp(p)!;
  assert.equal(r.payloadType, 8);
  assert.equal(r.payload.toString('hex'), 'cafe');
  assert.equal(parseRtp(Buffer.from('80c800000000000000000000', 'hex')), undefined);
  assert.equal(parseRtp(Buffer.from('400000000000000000000000', 'hex')), undefined);
});
