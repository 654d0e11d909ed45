import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, isSwitchboardError } from '../../common/index.js';
import { MULAW_TO_ALAW, MULAW_TO_LINEAR, ALAW_TO_MULAW, readWav } from '../codec/index.js';
import { RtpPacketView, RTP_PARSE_OK, encodeRtpPacket } from '../rtp/index.js';
import { TelephoneEventView, eventToDigit } from '../dtmf/index.js';
import { parseRtcpCompound } from '../rtcp/index.js';
import { Prompt, type PlaybackEndReason } from '../player/index.js';
import type { RecordingResult } from '../recorder/index.js';
import { MediaEngine } from './media-engine.js';
import type { MediaSession } from './media-session.js';
import type { MediaSessionConfig } from './media-session-config.js';
import { RtpPeer, settle } from '../../../test/support/rtp-peer.js';
import { readPcapFixture } from '../../../test/support/pcap-reader.js';

function engine(clock: FakeClock, options: { latching?: boolean; rtpTimeoutMs?: number; comfortSilence?: boolean } = {}): MediaEngine {
  const base = 20000 + 2 * Math.floor(Math.random() * 15000);
  return new MediaEngine({ bindHost: '127.0.0.1', portMin: base, portMax: base + 99, latching: options.latching ?? true, clock, ...options });
}

function config(port: number, extra: Partial<MediaSessionConfig> = {}): MediaSessionConfig {
  return { remoteAddress: '127.0.0.1', remotePort: port, codec: 'pcmu', payloadType: 0, telephoneEventPt: 101, direction: 'sendrecv', ...extra };
}

function parse(data: Buffer): RtpPacketView {
  const v = new RtpPacketView();
  assert.equal(v.parse(data), RTP_PARSE_OK);
  return v;
}

function payload(data: Buffer): Buffer {
  const v = parse(data);
  return data.subarray(v.payloadOffset, v.payloadOffset + v.payloadLength);
}

/** An engine on a fake clock plus UDP peers, all closed when the test ends (pass or fail). */
async function fixture(t: TestContext, options: Parameters<typeof engine>[1] = {}): Promise<{
  clock: FakeClock; e: MediaEngine; open: (address?: string) => Promise<RtpPeer>;
}> {
  const clock = new FakeClock();
  const e = engine(clock, options);
  const peers: RtpPeer[] = [];
  t.after(async () => {
    await e.close();
    await Promise.all(peers.map((p) => p.close()));
  });
  return { clock, e, open: async (address?: string) => { const p = await RtpPeer.open(address); peers.push(p); return p; } };
}

/** Moves the fake clock tick by tick, letting the loopback deliver after each one. */
async function run(clock: FakeClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 20) {
    clock.advance(20);
    await settle(undefined, 4);
  }
}

function testPrompt(frames: number): Prompt {
  const pcm = new Int16Array(frames * 160);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(6000 * Math.sin(i / 7) + 2000 * Math.sin(i / 3.1));
  return Prompt.fromPcm(pcm, 8000, 'test');
}

function audio(ssrc: number, seq: number, ts: number, pt = 0, fill = 0x55): Buffer {
  return encodeRtpPacket({ payloadType: pt, sequenceNumber: seq & 0xffff, timestamp: ts, ssrc, payload: Buffer.alloc(160, fill) });
}

test('two sessions: a prompt played by one is received intact by the other (recorded)', async (t) => {
  const { clock, e } = await fixture(t);
  const a = await e.createSession();
  const b = await e.createSession();
  a.configure(config(b.localPort));
  b.configure(config(a.localPort));
  const prompt = testPrompt(25);
  const dir = mkdtempSync(join(tmpdir(), 'swb-media-'));
  let recording: RecordingResult | undefined;
  b.startRecording({ path: join(dir, 'b.wav'), maxDurationMs: 60_000, onDone: (r) => { recording = r; } });
  const ends: PlaybackEndReason[] = [];
  a.play([{ kind: 'prompt', prompt }], { onDone: (r) => ends.push(r) });
  await run(clock, 25 * 20 + 60);
  assert.deepEqual(ends, ['finished']);
  b.stopRecording();
  await settle(() => recording !== undefined);
  assert.equal(recording?.reason, 'stopped');
  const pcm = readWav(readFileSync(join(dir, 'b.wav'))).pcm;
  const expected = Int16Array.from(prompt.pcmu, (byte) => MULAW_TO_LINEAR[byte]);
  assert.ok(pcm.length >= expected.length);
  assert.deepEqual(pcm.subarray(0, expected.length), expected);
  assert.equal(a.stats().packetsSent, b.stats().packetsReceived);
  assert.equal(b.stats().packetsLost, 0);
});

test('outgoing stream: marker on the first packet only, seq +1 and timestamp +160 per tick, comfort silence when idle', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port, { codec: 'pcma', payloadType: 8 }));
  s.play([{ kind: 'prompt', prompt: testPrompt(2) }]);
  await run(clock, 100);
  await settle(() => peer.received.length >= 5);
  const pkts = peer.take().map((d) => parse(d.data));
  assert.equal(pkts.length, 5);
  assert.deepEqual(pkts.map((p) => p.marker), [true, false, false, false, false]);
  for (let i = 1; i < pkts.length; i++) {
    assert.equal(pkts[i].sequenceNumber, (pkts[0].sequenceNumber + i) & 0xffff);
    assert.equal(pkts[i].timestamp, (pkts[0].timestamp + 160 * i) >>> 0);
    assert.equal(pkts[i].payloadType, 8);
    assert.equal(pkts[i].ssrc, pkts[0].ssrc);
  }
});

test('latching: sends to the SDP address until RTP arrives from 127.0.0.2, then to that source; strangers are ignored', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const sdpTarget = await open('127.0.0.1');
  const real = await open('127.0.0.2');
  const stranger = await open('127.0.0.1');
  s.configure(config(sdpTarget.port));
  await run(clock, 40);
  assert.equal(sdpTarget.take().length, 2);

  real.send(audio(0x1111, 1, 160, 13), s.localPort);
  await settle(undefined, 10);
  assert.equal(s.stats().latched, false, 'a payload type that was not negotiated does not latch');

  real.send(audio(0x1111, 2, 320), s.localPort);
  await settle(() => s.stats().packetsReceived === 1);
  await run(clock, 40);
  await settle(() => real.received.length >= 2);
  assert.equal(sdpTarget.take().length, 0);
  assert.equal(real.take().length, 2);
  assert.deepEqual([s.stats().remoteAddress, s.stats().remotePort], ['127.0.0.2', real.port]);

  stranger.send(audio(0x1111, 3, 480), s.localPort);
  stranger.send(audio(0x2222, 100, 0), s.localPort);
  await settle(() => s.stats().ignoredFromUnexpectedSource === 2);
  assert.equal(s.stats().ignoredFromUnexpectedSource, 2);
  assert.equal(s.stats().remoteAddress, '127.0.0.2');

  for (let i = 101; i < 104; i++) stranger.send(audio(0x2222, i, (i - 100) * 160), s.localPort);
  await settle(() => s.stats().remotePort === stranger.port);
  assert.equal(s.stats().remotePort, stranger.port, 'a new SSRC sending in sequence re-latches');
});

test('latching off: only the SDP address is accepted and the destination never moves', async (t) => {
  const { clock, e, open } = await fixture(t, { latching: false });
  const s = await e.createSession();
  const sdpTarget = await open('127.0.0.1');
  const other = await open('127.0.0.2');
  s.configure(config(sdpTarget.port));
  other.send(audio(7, 1, 0), s.localPort);
  sdpTarget.send(audio(8, 1, 0), s.localPort);
  await settle(() => s.stats().packetsReceived === 1 && s.stats().ignoredFromUnexpectedSource === 1);
  assert.equal(s.stats().packetsReceived, 1);
  assert.equal(s.stats().ignoredFromUnexpectedSource, 1);
  await run(clock, 20);
  await settle(() => sdpTarget.received.length === 1);
  assert.equal(other.received.length, 0);
});

test('PCMU↔PCMA bridge: audio transcoded by table, telephone-events relayed with the other leg\'s payload type', async (t) => {
  const { clock, e, open } = await fixture(t);
  const a = await e.createSession();
  const b = await e.createSession();
  const pa = await open();
  const pb = await open();
  a.configure(config(pa.port));
  b.configure(config(pb.port, { codec: 'pcma', payloadType: 8, telephoneEventPt: 96 }));
  a.bridgeTo(b);
  await run(clock, 40);
  assert.equal(pb.take().length, 0, 'a bridged leg sends only relayed media');
  pa.take();

  const ulaw = Buffer.from(Array.from({ length: 160 }, (_, i) => (i * 37) & 0xff));
  pa.send(encodeRtpPacket({ payloadType: 0, sequenceNumber: 5, timestamp: 1000, ssrc: 0xaa, payload: ulaw }), a.localPort);
  pa.send(encodeRtpPacket({ payloadType: 101, marker: true, sequenceNumber: 6, timestamp: 1160, ssrc: 0xaa, payload: Buffer.from('050a00a0', 'hex') }), a.localPort);
  await settle(() => pb.received.length === 2);
  const [voice, event] = pb.take().map((d) => d.data);
  const v = parse(voice);
  assert.equal(v.payloadType, 8);
  assert.equal(v.marker, true);
  assert.deepEqual(payload(voice), Buffer.from(ulaw.map((x) => MULAW_TO_ALAW[x])));
  const ev = parse(event);
  assert.equal(ev.payloadType, 96);
  assert.equal(ev.timestamp, (v.timestamp + 160) >>> 0);
  assert.equal(ev.ssrc, v.ssrc);
  assert.deepEqual(payload(event), Buffer.from('050a00a0', 'hex'));

  const alaw = Buffer.alloc(160, 0x2a);
  pb.send(encodeRtpPacket({ payloadType: 8, sequenceNumber: 9, timestamp: 0, ssrc: 0xbb, payload: alaw }), b.localPort);
  await settle(() => pa.received.length === 1);
  const back = pa.take()[0].data;
  assert.equal(parse(back).payloadType, 0);
  assert.deepEqual(payload(back), Buffer.alloc(160, ALAW_TO_MULAW[0x2a]));

  b.unbridge();
  await run(clock, 20);
  await settle(() => pb.received.length === 1);
  assert.equal(parse(pb.take()[0].data).marker, true, 'own stream resumes as a new talkspurt');
});

test('captured RFC 4733 key press (with its 3 end packets) is reported once; INFO digits use the same listeners', async (t) => {
  const { e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port));
  const digits: Array<[string, string]> = [];
  s.onDtmf((d, src) => digits.push([d, src]));
  for (const p of readPcapFixture('dtmf_2833_1.pcap')) peer.send(p.payload, s.localPort);
  await settle(() => digits.length > 0 && s.stats().packetsReceived === 10);
  s.injectDtmf('#', 'info');
  assert.deepEqual(digits, [['1', 'rfc4733'], ['#', 'info']]);
  assert.throws(() => s.injectDtmf('x', 'info'), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_DTMF_INVALID'));
});

test('sendDtmf: telephone-events on the negotiated payload type, audio paused, then playback resumes', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port));
  s.play([{ kind: 'prompt', prompt: testPrompt(50) }]);
  await run(clock, 20);
  s.sendDtmf('7', 60);
  await run(clock, 20 * 9);
  await settle(() => peer.received.length >= 10);
  const pkts = peer.take().map((d) => d.data);
  const kinds = pkts.map((d) => {
    const v = parse(d);
    if (v.payloadType === 0) return 'audio';
    const ev = new TelephoneEventView();
    ev.parse(d, v.payloadOffset, v.payloadLength);
    return `${eventToDigit(ev.event)}${v.marker ? 'M' : ''}${ev.end ? 'E' : ''}:${ev.duration}`;
  });
  assert.deepEqual(kinds, ['audio', '7M:160', '7:320', '7E:480', '7E:480', '7E:480', 'audio', 'audio', 'audio', 'audio']);
});

test('garbage datagrams are counted and dropped; valid RTP still flows; the pacer keeps ticking', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port));
  for (let i = 0; i < 200; i++) peer.send(Buffer.from([0x80 | (i & 0x0f), 0, 1, 2, 3, 4, 5]), s.localPort);
  peer.send(Buffer.from('this is not RTP at all'), s.localPort);
  peer.send(audio(9, 1, 0), s.localPort);
  await settle(() => s.stats().malformedPackets === 201 && s.stats().packetsReceived === 1);
  assert.equal(s.stats().malformedPackets, 201);
  assert.equal(s.stats().packetsReceived, 1);
  await run(clock, 40);
  assert.equal(e.stats().pacer.ticks, 2);
  assert.equal(e.stats().pacer.memberErrors, 0);
});

test('hold (recvonly) stops sending; unhold resumes with a marker; RTCP SR with CNAME about every 5 s', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  const rtcpPeer = await open();
  s.configure(config(peer.port, { remoteRtcpPort: rtcpPeer.port }));
  await run(clock, 40);
  s.configure(config(peer.port, { remoteRtcpPort: rtcpPeer.port, direction: 'recvonly' }));
  await run(clock, 60);
  await settle(undefined, 10);
  assert.equal(peer.take().length, 2);
  s.configure(config(peer.port, { remoteRtcpPort: rtcpPeer.port }));
  await run(clock, 20);
  await settle(() => peer.received.length === 1);
  assert.equal(parse(peer.take()[0].data).marker, true);
  await run(clock, 7600);
  await settle(() => rtcpPeer.received.length >= 1);
  const reports = rtcpPeer.take();
  assert.ok(reports.length >= 1 && reports.length <= 4, String(reports.length));
  const compound = parseRtcpCompound(reports[reports.length - 1].data);
  assert.equal(compound[0].type, 'sr');
  assert.equal(compound[1].type, 'sdes');
  if (compound[0].type === 'sr' && compound[1].type === 'sdes') {
    assert.equal(compound[1].chunks[0].ssrc, compound[0].ssrc);
    assert.match(compound[1].chunks[0].items[0].text, /^switchboard-/);
    assert.ok(compound[0].packetCount > 0 && compound[0].packetCount <= s.stats().packetsSent);
  }
});

test('close: playback ends with stopped, a recording is saved first, RTCP BYE sent, ports released, session leaves the pacer', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  const rtcpPeer = await open();
  s.configure(config(peer.port, { remoteRtcpPort: rtcpPeer.port }));
  const ends: PlaybackEndReason[] = [];
  s.play([{ kind: 'prompt', prompt: testPrompt(10) }], { onDone: (r) => ends.push(r) });
  let recording: RecordingResult | undefined;
  s.startRecording({ path: join(mkdtempSync(join(tmpdir(), 'swb-media-')), 'hangup.wav'), maxDurationMs: 10_000, onDone: (r) => { recording = r; } });
  peer.send(audio(5, 1, 0), s.localPort);
  await settle(() => s.stats().packetsReceived === 1);
  await run(clock, 40);
  assert.equal(e.stats().portsInUse, 1);
  await s.close();
  assert.equal(recording?.reason, 'hangup', 'close resolves after the recording is on disk');
  assert.equal(recording?.durationMs, 20);
  assert.deepEqual(ends, ['stopped']);
  assert.equal(e.stats().portsInUse, 0);
  assert.equal(e.stats().sessions, 0);
  assert.equal(e.stats().pacer.members, 0);
  assert.equal(e.stats().packetsSent, 2);
  // The first periodic report is due 1–250 ticks after creation, so now and then one goes out before the BYE.
  const isBye = (data: Buffer): boolean => parseRtcpCompound(data).some((p) => p.type === 'bye');
  await settle(() => rtcpPeer.received.some((r) => isBye(r.data)));
  const received = rtcpPeer.take();
  assert.deepEqual(parseRtcpCompound(received[received.length - 1].data).map((p) => p.type), ['rr', 'bye'], 'the BYE comes last');
  assert.equal(received.filter((r) => isBye(r.data)).length, 1);
  assert.throws(() => s.play([]), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE'));
});

test('RTP timeout fires once when an expected peer goes quiet; recording ends on a listed digit', async (t) => {
  const { clock, e, open } = await fixture(t, { rtpTimeoutMs: 1000 });
  const s: MediaSession = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port));
  let timeouts = 0;
  s.onRtpTimeout(() => timeouts++);
  let result: RecordingResult | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'swb-media-'));
  s.startRecording({ path: join(dir, 'vm.wav'), maxDurationMs: 30_000, endOnDigits: '#', onDone: (r) => { result = r; } });
  assert.throws(() => s.startRecording({ path: join(dir, 'x.wav'), maxDurationMs: 1, onDone: () => undefined }),
    (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE'));
  for (let i = 0; i < 5; i++) peer.send(audio(3, i, i * 160), s.localPort);
  await settle(() => s.stats().packetsReceived === 5);
  await run(clock, 1000);
  assert.equal(timeouts, 1);
  await run(clock, 200);
  assert.equal(timeouts, 1);
  s.injectDtmf('#', 'info');
  await settle(() => result !== undefined);
  assert.equal(result?.reason, 'digit');
  assert.equal(result?.durationMs, 100);
});

test('configure validates every field at once', async (t) => {
  const { e } = await fixture(t);
  const s = await e.createSession();
  assert.throws(
    () => s.configure({ remoteAddress: '', remotePort: 0, codec: 'opus' as never, payloadType: 200, direction: 'sideways' as never }),
    (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE') && /remoteAddress.*remotePort.*codec.*payloadType.*direction/.test((err as Error).message),
  );
});

test('without telephone-event, digits are sent as in-band tones and detected in-band by the other session', async (t) => {
  const { clock, e } = await fixture(t);
  const a = await e.createSession();
  const b = await e.createSession();
  a.configure(config(b.localPort, { telephoneEventPt: undefined }));
  b.configure(config(a.localPort, { telephoneEventPt: undefined }));
  const heard: Array<[string, string]> = [];
  b.onDtmf((d, src) => heard.push([d, src]));
  a.sendDtmf('3#', 80);
  await run(clock, 600);
  assert.deepEqual(heard, [['3', 'inband'], ['#', 'inband']]);
  assert.equal(a.stats().packetsSent, 30);
});

test('after a stalled event loop playback keeps real time: two missed frames are sent late, older ones dropped', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port));
  const prompt = testPrompt(20);
  let doneAtMs: number | undefined;
  const startMs = clock.nowMs();
  s.play([{ kind: 'prompt', prompt }], { onDone: () => { doneAtMs = clock.nowMs(); } });
  await run(clock, 60);
  clock.stall(100);
  await settle(undefined, 4);
  await run(clock, 400);
  const packets = peer.take().map((p) => ({ view: parse(p.data), body: payload(p.data) }));
  const ts = packets.map((p) => p.view.timestamp);
  const gaps = ts.slice(1).map((v, i) => (v - ts[i]) >>> 0);
  assert.ok(gaps.every((g) => g > 0), `timestamps only increase: ${gaps.join(',')}`);
  assert.deepEqual(gaps.filter((g) => g !== 160), [480], 'one gap where the two oldest missed frames were dropped');
  // Each packet of the prompt carries the frame of its own time slot: nothing shifted by the stall.
  const t0 = packets.findIndex((p) => p.body.equals(prompt.pcmu.subarray(0, 160)));
  assert.ok(t0 >= 0, 'the prompt\'s first frame was sent');
  let checked = 0;
  for (const p of packets.slice(t0)) {
    const slot = ((p.view.timestamp - ts[t0]) >>> 0) / 160;
    if (slot >= 20) break;
    assert.ok(p.body.equals(prompt.pcmu.subarray(slot * 160, slot * 160 + 160)), `frame ${slot} sent in its own slot`);
    checked++;
  }
  assert.equal(checked, 18, '20 frames of prompt, 2 dropped');
  assert.ok(doneAtMs !== undefined, 'the prompt finished');
  assert.ok(doneAtMs - startMs <= 20 * 20 + 40, `the 400 ms prompt ended on time (${doneAtMs - startMs} ms), not stretched by the stall`);
});
