/**
 * WorkerMediaEngine over real sockets on 127.0.0.1, against a local MediaEngine in the test's thread. The workers'
 * pacers run on real time (a fake clock cannot cross threads), so these tests wait for real and keep prompts short.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { PcmRing, isSwitchboardError } from '../../common/index.js';
import { MULAW_TO_LINEAR, linearToMuLaw, readWav } from '../codec/index.js';
import { encodeRtpPacket } from '../rtp/index.js';
import { MediaEngine, type MediaCloseCause, type MediaSessionConfig, type MediaSessionLike } from '../engine/index.js';
import { Prompt, type PlaybackEndReason } from '../player/index.js';
import type { RecordingResult } from '../recorder/index.js';
import type { RemoteMediaSession } from './remote-media-session.js';
import { WorkerMediaEngine } from './worker-media-engine.js';

function config(port: number, extra: Partial<MediaSessionConfig> = {}): MediaSessionConfig {
  return { remoteAddress: '127.0.0.1', remotePort: port, codec: 'pcmu', payloadType: 0, telephoneEventPt: 101, direction: 'sendrecv', ...extra };
}

function testPrompt(frames: number, seed: number): Prompt {
  const pcm = new Int16Array(frames * 160);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(6000 * Math.sin(i / (5 + seed)) + 2000 * Math.sin(i / 3.1));
  return Prompt.fromPcm(pcm, 8000, `test-${seed}`);
}

/** Polls until `done()` holds; fails the test after `ms`. */
async function until(done: () => boolean, what: string, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A worker engine (capturing its Worker objects) and a local engine, on disjoint random port ranges. */
async function fixture(t: TestContext, workers = 2): Promise<{ remote: WorkerMediaEngine; local: MediaEngine; threads: Worker[] }> {
  const base = 20000 + 2 * Math.floor(Math.random() * 14000);
  const threads: Worker[] = [];
  const remote = await WorkerMediaEngine.start({
    bindHost: '127.0.0.1', portMin: base, portMax: base + 199, latching: true, workers, statsIntervalMs: 100,
    createWorker: (url, options) => {
      const w = new Worker(url, options);
      threads.push(w);
      return w;
    },
  });
  const local = new MediaEngine({ bindHost: '127.0.0.1', portMin: base + 200, portMax: base + 299, latching: true });
  t.after(async () => {
    await local.close();
    await remote.close();
  });
  return { remote, local, threads };
}

async function pair(remote: WorkerMediaEngine, local: MediaEngine): Promise<[RemoteMediaSession, MediaSessionLike]> {
  const w = await remote.createSession();
  const l = await local.createSession();
  w.configure(config(l.localPort));
  l.configure(config(w.localPort));
  return [w, l];
}

/** The recording contains `prompt` (µ-law decoded) frame-aligned, somewhere after the comfort silence. */
function assertRecordedIntact(path: string, prompt: Prompt): void {
  const pcm = readWav(readFileSync(path)).pcm;
  const expected = Int16Array.from(prompt.pcmu, (byte) => MULAW_TO_LINEAR[byte]);
  for (let at = 0; at + expected.length <= pcm.length; at += 160) {
    if (pcm[at] === expected[0] && pcm.subarray(at, at + expected.length).every((v, i) => v === expected[i])) return;
  }
  assert.fail(`the ${prompt.frameCount}-frame prompt is not in the ${pcm.length}-sample recording`);
}

function record(session: MediaSessionLike, path: string): Promise<RecordingResult> {
  return new Promise((resolve) => session.startRecording({ path, maxDurationMs: 10_000, onDone: resolve }));
}

test('a prompt played in a worker arrives intact at a local session, and back: the worker records what the local one plays', async (t) => {
  const { remote, local } = await fixture(t);
  const [w, l] = await pair(remote, local);
  const dir = mkdtempSync(join(tmpdir(), 'swb-worker-'));
  const heardLocally = record(l, join(dir, 'local.wav'));
  const heardInWorker = record(w, join(dir, 'worker.wav'));
  const toLocal = testPrompt(12, 1);
  const toWorker = testPrompt(9, 2);
  const ends: string[] = [];
  w.play([{ kind: 'silence', durationMs: 40 }, { kind: 'prompt', prompt: toLocal }], { onDone: (r) => ends.push(`worker:${r}`) });
  l.play([{ kind: 'prompt', prompt: toWorker }], { onDone: (r) => ends.push(`local:${r}`) });
  await until(() => ends.length === 2, 'both plays to finish');
  assert.deepEqual(ends.sort(), ['local:finished', 'worker:finished']);
  await new Promise((r) => setTimeout(r, 100));
  l.stopRecording();
  w.stopRecording();
  const [a, b] = await Promise.all([heardLocally, heardInWorker]);
  assert.equal(a.reason, 'stopped');
  assert.equal(b.reason, 'stopped', 'the worker\'s recording result comes back through onDone');
  assertRecordedIntact(a.path, toLocal);
  assertRecordedIntact(b.path, toWorker);

  await w.close();
  const st = w.stats();
  assert.ok(st.packetsSent >= 14 && st.packetsReceived >= 9, `final counters come back on close (${st.packetsSent} sent)`);
});

test('DTMF sent by the local session reaches the worker session\'s onDtmf; INFO digits go the same way; bad input throws at once', async (t) => {
  const { remote, local } = await fixture(t);
  const [w, l] = await pair(remote, local);
  const heard: Array<[string, string]> = [];
  w.onDtmf((digit, source) => heard.push([digit, source]));
  l.sendDtmf('1#', 60);
  await until(() => heard.length === 2, 'two RFC 4733 digits');
  w.injectDtmf('5', 'info');
  await until(() => heard.length === 3, 'the injected digit');
  assert.deepEqual(heard, [['1', 'rfc4733'], ['#', 'rfc4733'], ['5', 'info']]);

  const fresh = await remote.createSession();
  assert.throws(() => fresh.sendDtmf('1'), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE'), 'sendDtmf before configure');
  assert.throws(() => w.sendDtmf('x'), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_DTMF_INVALID'));
  assert.throws(() => w.configure(config(0)), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE') && /remotePort/.test((err as Error).message));
});

test('stopPlayback ends the playing and the queued request with interrupted; close ends a later one with stopped', async (t) => {
  const { remote, local } = await fixture(t);
  const [w] = await pair(remote, local);
  const ends: Array<[number, PlaybackEndReason]> = [];
  const long = testPrompt(200, 3);
  w.play([{ kind: 'prompt', prompt: long }], { onDone: (r) => ends.push([1, r]) });
  w.play([{ kind: 'prompt', prompt: long }], { onDone: (r) => ends.push([2, r]) });
  await new Promise((r) => setTimeout(r, 60));
  w.stopPlayback();
  await until(() => ends.length === 2, 'both requests to end');
  assert.deepEqual(ends, [[1, 'interrupted'], [2, 'interrupted']]);

  w.play([{ kind: 'prompt', prompt: long }], { onDone: (r) => ends.push([3, r]) });
  const causes: MediaCloseCause[] = [];
  w.onClose((cause) => causes.push(cause));
  await w.close();
  assert.deepEqual(ends[2], [3, 'stopped'], 'close resolves after the playback ended');
  assert.deepEqual(causes, ['closed']);
  assert.throws(() => w.play([]), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE'));
});

test('close() releases the ports (they can be bound again) and the engine stops counting the session', async (t) => {
  const { remote } = await fixture(t, 1);
  const s = await remote.createSession();
  assert.equal((await remote.refreshStats()).portsInUse, 1);
  await s.close();
  const st = await remote.refreshStats();
  assert.equal(st.portsInUse, 0);
  assert.equal(st.sessions, 0);
  for (const port of [s.localPort, s.localPort + 1]) {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
});

test('sessions spread over the workers; a bridge needs both legs in one worker (createSession({ near })) and relays between them', async (t) => {
  const { remote, local, threads } = await fixture(t);
  const a = await remote.createSession();
  const apart = await remote.createSession();
  const st = await remote.refreshStats();
  assert.deepEqual(st.workers.map((w) => w.sessions), [1, 1], 'the second session goes to the emptier worker');
  assert.equal(threads.length, 2);
  assert.equal(st.workers[0].portMax + 1, st.workers[1].portMin, 'adjacent, disjoint sub-ranges');
  assert.throws(() => a.bridgeTo(apart), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE') && /near/.test((err as Error).message));

  const b = await remote.createSession({ near: a });
  const caller = await local.createSession();
  const agent = await local.createSession();
  a.configure(config(caller.localPort));
  caller.configure(config(a.localPort));
  b.configure(config(agent.localPort));
  agent.configure(config(b.localPort));
  a.bridgeTo(b);
  const heard: string[] = [];
  agent.onDtmf((digit) => heard.push(digit));
  caller.sendDtmf('9', 60);
  await until(() => heard.length === 1, 'the caller\'s digit relayed through the bridge in the worker');
  assert.deepEqual(heard, ['9']);
});

test('a worker that dies ends its sessions (failed, plays stopped, recording error) without disturbing this thread; it is restarted', async (t) => {
  const { remote, local, threads } = await fixture(t, 2);
  const [w] = await pair(remote, local);
  const survivor = await remote.createSession();
  const index = w.link.workerIndex;
  assert.notEqual(survivor.link.workerIndex, index);
  const causes: MediaCloseCause[] = [];
  w.onClose((cause) => causes.push(cause));
  survivor.onClose((cause) => causes.push(cause));
  const ends: PlaybackEndReason[] = [];
  w.play([{ kind: 'prompt', prompt: testPrompt(200, 4) }], { onDone: (r) => ends.push(r) });
  const recording = record(w, join(mkdtempSync(join(tmpdir(), 'swb-worker-')), 'lost.wav'));
  const tap = PcmRing.create(16_000);
  w.startAudioTap(tap.buffer);
  await new Promise((r) => setTimeout(r, 60));

  await threads[index].terminate();
  await until(() => causes.length === 1, 'the session to fail');
  assert.deepEqual(causes, ['failed']);
  assert.deepEqual(ends, ['stopped']);
  const r = await recording;
  assert.equal(r.reason, 'error');
  assert.ok(isSwitchboardError(r.error, 'SWB_ERR_MEDIA_WORKER'));
  assert.equal(w.closed, true);
  assert.equal(tap.closed, true, 'the audio tap\'s ring is closed');
  await w.close();
  assert.throws(() => w.play([]), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE'));
  assert.equal(survivor.closed, false, 'sessions of the other worker live on');
  assert.equal(remote.stats().workers[index].alive, false);

  await until(() => remote.stats().workers[index].alive, 'the worker to be restarted', 3000);
  assert.equal(threads.length, 3);
  assert.equal(remote.stats().workers[index].restarts, 1);
  const again = await remote.createSession();
  assert.equal(again.link.workerIndex, index, 'the restarted (empty) worker takes the next session');
});

test('an uncaught exception in a worker is logged, not rethrown here: its sessions fail and close() still resolves', async (t) => {
  const base = 20000 + 2 * Math.floor(Math.random() * 14000);
  // A real media worker that also throws, uncaught, when told to close a session.
  const crashOnClose = (url: URL, options: WorkerOptions): Worker => new Worker(`
    require('node:worker_threads').parentPort.on('message', (m) => { if (m.t === 'close') throw new Error('boom'); });
    import(${JSON.stringify(url.href)});
  `, { ...options, eval: true });
  const remote = await WorkerMediaEngine.start({ bindHost: '127.0.0.1', portMin: base, portMax: base + 99, latching: true, workers: 1, createWorker: crashOnClose });
  t.after(() => remote.close());
  const a = await remote.createSession();
  const b = await remote.createSession();
  const causes: MediaCloseCause[] = [];
  b.onClose((cause) => causes.push(cause));
  await a.close();
  await until(() => causes.length === 1, 'the other session to fail');
  assert.deepEqual(causes, ['failed']);
  assert.equal(remote.stats().workers[0].alive, false);
  await assert.rejects(remote.createSession(), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_WORKER'));
});

/** Reads everything the ring has into `into`, as numbers. */
function drainInto(ring: PcmRing, into: number[]): void {
  const chunk = new Int16Array(ring.available());
  ring.read(chunk);
  for (const v of chunk) into.push(v);
}

test('audio tap in a worker: the caller\'s tone packets come out of the ring on this thread; silence keeps time; stop and close end it', async (t) => {
  const { remote } = await fixture(t, 1);
  const caller = createSocket('udp4');
  await new Promise<void>((resolve) => caller.bind(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => caller.close(() => resolve())));
  const w = await remote.createSession();
  w.configure(config(caller.address().port));
  const ring = PcmRing.create(16_000);
  w.startAudioTap(ring.buffer);
  const frames = 10;
  const ulaw = Buffer.from(Array.from({ length: frames * 160 }, (_, i) => linearToMuLaw(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)))));
  const got: number[] = [];
  for (let i = 0; i < frames; i++) {
    const payload = ulaw.subarray(i * 160, (i + 1) * 160);
    caller.send(encodeRtpPacket({ payloadType: 0, sequenceNumber: i, timestamp: i * 160, ssrc: 0x5eed, payload }), w.localPort, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 20));
    drainInto(ring, got);
  }
  const audible = (): number[][] => {
    const out: number[][] = [];
    for (let at = 0; at + 160 <= got.length; at += 160) {
      const f = got.slice(at, at + 160);
      if (f.some((v) => v !== 0)) out.push(f);
    }
    return out;
  };
  await until(() => { drainInto(ring, got); return audible().length >= frames; }, 'the tone in the ring');
  assert.equal(got.length % 160, 0, 'received audio and gap silence come in whole frames');
  assert.deepEqual(audible().flat(), Array.from(ulaw, (byte) => MULAW_TO_LINEAR[byte]), 'the tone, decoded, in order (any silence only between frames)');

  const afterTone = got.length;
  await new Promise((r) => setTimeout(r, 300));
  drainInto(ring, got);
  assert.ok(got.length - afterTone >= 1200, `the worker's ticks keep writing silence while the caller is quiet (${got.length - afterTone} samples in 300 ms)`);
  assert.ok(got.slice(afterTone).every((v) => v === 0));

  w.stopAudioTap();
  assert.equal(ring.closed, true, 'closed at once on this thread');
  await new Promise((r) => setTimeout(r, 50));
  ring.read(new Int16Array(ring.available()));
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(ring.available(), 0, 'the worker writes nothing after stop');

  const second = PcmRing.create(16_000);
  w.startAudioTap(second.buffer);
  await until(() => second.available() > 0, 'the second tap to fill with silence');
  await w.close();
  assert.equal(second.closed, true, 'close() ends the tap');
  assert.throws(() => w.startAudioTap(PcmRing.create(160).buffer), (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_STATE'));
});

test('start rejects with SWB_ERR_MEDIA_WORKER, naming the cause, when a worker cannot build its engine', async () => {
  await assert.rejects(
    WorkerMediaEngine.start({ bindHost: '127.0.0.1', portMin: 600, portMax: 699, latching: true, workers: 2 }),
    (err: unknown) => isSwitchboardError(err, 'SWB_ERR_MEDIA_WORKER') && /1024/.test(String((err.cause as Error | undefined)?.message)),
  );
});
