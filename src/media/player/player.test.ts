import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { FRAME_BYTES, Prompt, type PromptData } from './prompt.js';
import { PLAY_AUDIO, PLAY_IDLE, PLAY_SILENCE, PlaybackQueue, type PlaybackEndReason } from './playback-queue.js';
import { ALAW_SILENCE, ALAW_TO_MULAW, MULAW_SILENCE, MULAW_TO_LINEAR, encodeG711, linearToALaw, linearToMuLaw } from '../codec/index.js';

function tone(samples: number, rate: number, hz = 440): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate));
  return pcm;
}

test('fromPcm at 8 kHz encodes both laws once and pads the last frame with silence', () => {
  const pcm = tone(250, 8000);
  const p = Prompt.fromPcm(pcm, 8000, 'beep');
  assert.equal(p.frameCount, 2);
  assert.equal(p.durationMs, 40);
  assert.equal(p.pcmu.length, 2 * FRAME_BYTES);
  assert.deepEqual(p.pcmu.subarray(0, 250), Buffer.from(encodeG711('pcmu', pcm)));
  assert.deepEqual(p.pcma.subarray(0, 250), Buffer.from(encodeG711('pcma', pcm)));
  assert.ok(p.pcmu.subarray(250).every((b) => b === MULAW_SILENCE));
  assert.ok(p.pcma.subarray(250).every((b) => b === ALAW_SILENCE));
  assert.equal(p.pcmu[10], linearToMuLaw(pcm[10]));
  assert.equal(p.pcma[10], linearToALaw(pcm[10]));
  const decoded = p.pcm8k;
  assert.equal(decoded.length, 320);
  assert.equal(decoded[10], MULAW_TO_LINEAR[p.pcmu[10]]);
  assert.ok(Math.abs(decoded[10] - pcm[10]) < Math.abs(pcm[10]) / 16 + 8);
});

test('fromPcm resamples other rates to 8 kHz (1 s at 16 kHz is 50 frames)', () => {
  const p = Prompt.fromPcm(tone(16000, 16000), 16000, 'hd');
  assert.equal(p.frameCount, 50);
  assert.equal(p.durationMs, 1000);
});

test('fromG711 derives the other law; concat plays prompts back to back', () => {
  const a = Prompt.fromG711('pcma', Buffer.alloc(160, ALAW_SILENCE), 'a');
  assert.ok(a.pcmu.every((b) => b === ALAW_TO_MULAW[ALAW_SILENCE]));
  assert.ok(Math.abs(MULAW_TO_LINEAR[a.pcmu[0]]) <= 8);
  const b = Prompt.fromPcm(tone(320, 8000), 8000, 'b');
  const c = Prompt.concat([a, b]);
  assert.equal(c.name, 'a+b');
  assert.equal(c.frameCount, 3);
  assert.deepEqual(c.pcmu.subarray(160), b.pcmu);
  assert.deepEqual(c.pcma.subarray(0, 160), a.pcma);
});

test('prompt data is shared memory: passing it to another thread does not copy', async () => {
  const p = Prompt.fromPcm(tone(160, 8000), 8000, 'x');
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<PromptData>((resolve) => port2.once('message', resolve));
  port1.postMessage(p.toData());
  const copy = Prompt.fromData(await received);
  port1.close();
  p.pcmu[0] = 0x42;
  assert.equal(copy.pcmu[0], 0x42);
  assert.equal(copy.name, 'x');
});

test('queue: frames in order, silence items, onDone on the tick after the last frame, no gap to the next request', () => {
  const q = new PlaybackQueue();
  const p = Prompt.fromPcm(tone(320, 8000), 8000);
  const log: string[] = [];
  q.enqueue([{ kind: 'prompt', prompt: p }, { kind: 'silence', durationMs: 30 }], { onDone: (r) => log.push(`1:${r}`) });
  q.enqueue([{ kind: 'prompt', prompt: p }], { onDone: (r) => log.push(`2:${r}`) });
  const steps: string[] = [];
  for (let i = 0; i < 7; i++) {
    const s = q.next('pcmu');
    steps.push(s === PLAY_AUDIO ? `A${q.frameOffset / FRAME_BYTES}` : s === PLAY_SILENCE ? 'S' : 'idle');
    if (s === PLAY_AUDIO) assert.equal(q.frameSource, p.pcmu);
  }
  assert.deepEqual(steps, ['A0', 'A1', 'S', 'S', 'A0', 'A1', 'idle']);
  assert.deepEqual(log, ['1:finished', '2:finished']);
  assert.equal(q.playing, false);
});

test('queue: an onDone that queues more audio continues on the same tick', () => {
  const q = new PlaybackQueue();
  const p = Prompt.fromPcm(tone(160, 8000), 8000);
  let rounds = 0;
  const again = (): void => {
    if (++rounds < 3) q.enqueue([{ kind: 'prompt', prompt: p }], { onDone: again });
  };
  q.enqueue([{ kind: 'prompt', prompt: p }], { onDone: again });
  const steps = Array.from({ length: 4 }, () => q.next('pcma'));
  assert.deepEqual(steps, [PLAY_AUDIO, PLAY_AUDIO, PLAY_AUDIO, PLAY_IDLE]);
  assert.equal(rounds, 3);
});

test('queue: stop ends the playing and the queued requests with the reason given', () => {
  const q = new PlaybackQueue();
  const p = Prompt.fromPcm(tone(1600, 8000), 8000);
  const log: Array<[number, PlaybackEndReason]> = [];
  q.enqueue([{ kind: 'prompt', prompt: p }], { onDone: (r) => log.push([1, r]) });
  q.enqueue([{ kind: 'prompt', prompt: p }], { onDone: (r) => log.push([2, r]) });
  q.next('pcmu');
  q.stop('interrupted');
  assert.deepEqual(log, [[1, 'interrupted'], [2, 'interrupted']]);
  assert.equal(q.next('pcmu'), PLAY_IDLE);
  q.enqueue([{ kind: 'silence', durationMs: 20 }], { onDone: (r) => log.push([3, r]) });
  q.stop('stopped');
  assert.deepEqual(log[2], [3, 'stopped']);
});
