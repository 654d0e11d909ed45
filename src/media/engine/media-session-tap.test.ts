/**
 * The audio tap of an in-process MediaSession, fed real RTP over loopback UDP; the pacer runs on a FakeClock, so
 * the gap filling is driven tick by tick.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, PcmRing, isSwitchboardError } from '../../common/index.js';
import { MULAW_TO_LINEAR, linearToMuLaw } from '../codec/index.js';
import { encodeRtpPacket } from '../rtp/index.js';
import { MediaEngine } from './media-engine.js';
import type { MediaSession } from './media-session.js';
import type { MediaSessionConfig } from './media-session-config.js';
import { RtpPeer, settle } from '../../../test/support/rtp-peer.js';

const FRAME = 160;

function config(port: number): MediaSessionConfig {
  return { remoteAddress: '127.0.0.1', remotePort: port, codec: 'pcmu', payloadType: 0, telephoneEventPt: 101, direction: 'sendrecv' };
}

async function fixture(t: TestContext): Promise<{ clock: FakeClock; e: MediaEngine; open: () => Promise<RtpPeer> }> {
  const clock = new FakeClock();
  const base = 20000 + 2 * Math.floor(Math.random() * 15000);
  const e = new MediaEngine({ bindHost: '127.0.0.1', portMin: base, portMax: base + 99, latching: true, clock });
  const peers: RtpPeer[] = [];
  t.after(async () => {
    await e.close();
    await Promise.all(peers.map((p) => p.close()));
  });
  return { clock, e, open: async () => { const p = await RtpPeer.open(); peers.push(p); return p; } };
}

async function run(clock: FakeClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 20) {
    clock.advance(20);
    await settle(undefined, 4);
  }
}

/** A 440 Hz tone as PCMU frames: what the caller sends. */
function tone(frames: number): Buffer {
  const out = Buffer.alloc(frames * FRAME);
  for (let i = 0; i < out.length; i++) out[i] = linearToMuLaw(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  return out;
}

function decoded(ulaw: Buffer): number[] {
  return Array.from(ulaw, (byte) => MULAW_TO_LINEAR[byte]);
}

/** The caller: sends frame `index` of `ulaw` as one RTP packet (timestamp from `slot`) and waits for its arrival. */
async function sendFrame(peer: RtpPeer, s: MediaSession, ulaw: Buffer, index: number, slot: number): Promise<void> {
  const received = s.stats().packetsReceived;
  const payload = ulaw.subarray(index * FRAME, (index + 1) * FRAME);
  peer.send(encodeRtpPacket({ payloadType: 0, sequenceNumber: slot, timestamp: slot * FRAME, ssrc: 0x7a9, payload }), s.localPort);
  await settle(() => s.stats().packetsReceived === received + 1);
}

function drain(ring: PcmRing): number[] {
  const out = new Int16Array(ring.available());
  ring.read(out);
  return [...out];
}

test('tone packets from the caller come out of the ring decoded, in order, one frame per packet, no silence added', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port));
  const ring = PcmRing.create(16_000);
  s.startAudioTap(ring.buffer);
  const ulaw = tone(25);
  for (let i = 0; i < 25; i++) {
    await sendFrame(peer, s, ulaw, i, i);
    await run(clock, 20);
  }
  const samples = drain(ring);
  assert.equal(samples.length, 25 * FRAME);
  assert.deepEqual(samples, decoded(ulaw));
  assert.equal(ring.dropped(), 0);
});

test('200 ms without packets becomes 1600 zero samples, written by the pacer ticks during the gap', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port));
  const ring = PcmRing.create(16_000);
  s.startAudioTap(ring.buffer);
  const ulaw = tone(10);
  for (let i = 0; i < 5; i++) {
    await sendFrame(peer, s, ulaw, i, i);
    await run(clock, 20);
  }
  await run(clock, 200);
  const duringGap = ring.available() - 5 * FRAME;
  assert.ok(Math.abs(duringGap - 1600) <= FRAME, `${duringGap} samples of silence by the end of the gap`);
  for (let i = 5; i < 10; i++) {
    await sendFrame(peer, s, ulaw, i, i + 10);
    await run(clock, 20);
  }
  const samples = drain(ring);
  const zeros = samples.length - 10 * FRAME;
  const expected = [...decoded(ulaw.subarray(0, 5 * FRAME)), ...new Array<number>(zeros).fill(0), ...decoded(ulaw.subarray(5 * FRAME))];
  assert.deepEqual(samples, expected);
  assert.ok(Math.abs(zeros - 1600) <= FRAME, `${zeros} zero samples`);
  const ticks = e.stats().pacer.ticks;
  assert.ok(Math.abs(samples.length - ticks * FRAME) <= FRAME, `${samples.length} samples after ${ticks} ticks: the ring keeps wall time`);
});

test('stopAudioTap closes the ring and nothing more is written; a second tap replaces the first; close() closes the ring', async (t) => {
  const { clock, e, open } = await fixture(t);
  const s = await e.createSession();
  const peer = await open();
  s.configure(config(peer.port));
  const ulaw = tone(8);
  const first = PcmRing.create(16_000);
  s.startAudioTap(first.buffer);
  await sendFrame(peer, s, ulaw, 0, 0);
  const second = PcmRing.create(16_000);
  s.startAudioTap(second.buffer);
  assert.equal(first.closed, true, 'the replaced ring is closed');
  await sendFrame(peer, s, ulaw, 1, 1);
  assert.deepEqual(drain(first), decoded(ulaw.subarray(0, FRAME)));
  assert.deepEqual(drain(second), decoded(ulaw.subarray(FRAME, 2 * FRAME)));

  s.stopAudioTap();
  s.stopAudioTap();
  assert.equal(second.closed, true);
  await sendFrame(peer, s, ulaw, 2, 2);
  await run(clock, 200);
  assert.equal(second.available(), 0, 'no audio and no silence after stop');

  const third = PcmRing.create(16_000);
  s.startAudioTap(third.buffer);
  await sendFrame(peer, s, ulaw, 3, 3);
  assert.equal(third.available(), FRAME);
  await s.close();
  assert.equal(third.closed, true, 'close() ends the tap');
});

test('a bridged session still taps the caller\'s audio while relaying it to the other leg', async (t) => {
  const { clock, e, open } = await fixture(t);
  const a = await e.createSession();
  const b = await e.createSession();
  const caller = await open();
  const agent = await open();
  a.configure(config(caller.port));
  b.configure(config(agent.port));
  a.bridgeTo(b);
  const ring = PcmRing.create(16_000);
  a.startAudioTap(ring.buffer);
  const ulaw = tone(4);
  for (let i = 0; i < 4; i++) {
    await sendFrame(caller, a, ulaw, i, i);
    await run(clock, 20);
  }
  await settle(() => agent.received.length === 4);
  assert.equal(agent.received.length, 4, 'relayed to the agent');
  assert.deepEqual(drain(ring), decoded(ulaw));
});

test('startAudioTap on a closed session throws SWB_ERR_MEDIA_STATE; a buffer that is not a ring throws RangeError', async (t) => {
  const { e } = await fixture(t);
  const s = await e.createSession();
  assert.throws(() => s.startAudioTap(new SharedArrayBuffer(8)), RangeError);
  await s.close();
  const ring = PcmRing.create(160);
  assert.throws(() => s.startAudioTap(ring.buffer), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE'));
  assert.equal(ring.closed, false);
  s.stopAudioTap();
});
