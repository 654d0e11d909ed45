import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '../codec/index.js';
import { WavRecorder, type RecordingOptions, type RecordingResult } from './wav-recorder.js';

const dir = mkdtempSync(join(tmpdir(), 'swb-rec-'));
let n = 0;

function start(options: Partial<RecordingOptions>): { rec: WavRecorder; done: Promise<RecordingResult>; path: string } {
  const path = options.path ?? join(dir, `r${n++}.wav`);
  let resolve!: (r: RecordingResult) => void;
  const done = new Promise<RecordingResult>((r) => { resolve = r; });
  const rec = new WavRecorder({ maxDurationMs: 60_000, ...options, path, onDone: resolve }, 0);
  return { rec, done, path };
}

function frame(level: number): Int16Array {
  const pcm = new Int16Array(160);
  for (let i = 0; i < 160; i++) pcm[i] = i % 2 ? level : -level;
  return pcm;
}

test('max duration: stops at exactly maxDurationMs of audio; header patched with the real size', async () => {
  const { rec, done, path } = start({ maxDurationMs: 1000 });
  const speech = frame(1000);
  for (let i = 0; i < 60; i++) rec.pushPcm(speech, 160, i * 160, i * 20);
  const result = await done;
  assert.deepEqual(result, { reason: 'max-duration', durationMs: 1000, path });
  const wav = readWav(readFileSync(path));
  assert.equal(wav.sampleRate, 8000);
  assert.equal(wav.pcm.length, 8000);
  assert.equal(wav.pcm[1], 1000);
  assert.equal(rec.active, false);
});

test('max duration also ends on the tick when the caller sends nothing', async () => {
  const { rec, done } = start({ maxDurationMs: 500 });
  rec.onTick(480);
  assert.equal(rec.active, true);
  rec.onTick(500);
  const result = await done;
  assert.equal(result.reason, 'max-duration');
  assert.equal(result.durationMs, 0);
});

test('end on silence trims the trailing silence to a short tail', async () => {
  const { rec, done, path } = start({ endOnSilenceMs: 2000 });
  let ts = 0;
  let now = 0;
  for (let i = 0; i < 50; i++, ts += 160, now += 20) rec.pushPcm(frame(2000), 160, ts, now);
  for (let i = 0; i < 100; i++, ts += 160, now += 20) {
    rec.pushPcm(frame(10), 160, ts, now);
    rec.onTick(now);
  }
  const result = await done;
  assert.equal(result.reason, 'silence');
  assert.equal(result.durationMs, 1000 + 200);
  assert.equal(readWav(readFileSync(path)).pcm.length, 1200 * 8);
});

test('a listed digit ends the recording and is reported; others are ignored', async () => {
  const { rec, done } = start({ endOnDigits: '#*' });
  rec.pushPcm(frame(500), 160, 0, 0);
  assert.equal(rec.onDigit('1'), false);
  assert.equal(rec.onDigit('#'), true);
  const result = await done;
  assert.equal(result.reason, 'digit');
  assert.equal(result.digit, '#');
  assert.equal(result.durationMs, 20);
});

test('timestamp gaps are filled with silence; late packets are dropped', async () => {
  const { rec, done, path } = start({});
  rec.pushPcm(frame(700), 160, 1000, 0);
  rec.pushPcm(frame(700), 160, 1000 + 480, 60);
  rec.pushPcm(frame(700), 160, 1000 + 160, 61);
  rec.stop('hangup');
  const result = await done;
  assert.equal(result.reason, 'hangup');
  assert.equal(result.durationMs, 80);
  const pcm = readWav(readFileSync(path)).pcm;
  assert.equal(pcm.length, 640);
  assert.ok(pcm.subarray(160, 480).every((s) => s === 0));
  assert.equal(Math.abs(pcm[500]), 700);
});

test('an unwritable path ends with reason error instead of throwing', async () => {
  const { rec, done } = start({ path: join(dir, 'missing-dir', 'x.wav') });
  rec.pushPcm(frame(100), 160, 0, 0);
  rec.stop('stopped');
  const result = await done;
  assert.equal(result.reason, 'error');
  assert.ok(result.error);
});
