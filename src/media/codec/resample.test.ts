import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../../common/index.js';
import { Resampler, resamplePcm } from './resample.js';

function sine(frequencyHz: number, sampleRate: number, seconds: number, amplitude = 10000): Int16Array {
  const out = new Int16Array(Math.round(sampleRate * seconds));
  for (let n = 0; n < out.length; n++) out[n] = Math.round(amplitude * Math.sin((2 * Math.PI * frequencyHz * n) / sampleRate));
  return out;
}

/** RMS over the middle half, away from the edges where the filter sees the zeros outside the buffer. */
function middleRms(pcm: Int16Array): number {
  let sum = 0;
  const from = pcm.length >> 2;
  const to = pcm.length - from;
  for (let i = from; i < to; i++) sum += pcm[i] * pcm[i];
  return Math.sqrt(sum / (to - from));
}

/** Amplitude of the `frequencyHz` component over the middle half (DFT term). */
function componentAmplitude(pcm: Int16Array, frequencyHz: number, sampleRate: number): number {
  let re = 0;
  let im = 0;
  const from = pcm.length >> 2;
  const to = pcm.length - from;
  for (let n = from; n < to; n++) {
    const w = (2 * Math.PI * frequencyHz * n) / sampleRate;
    re += pcm[n] * Math.cos(w);
    im += pcm[n] * Math.sin(w);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

const dB = (ratio: number): number => 20 * Math.log10(ratio);

for (const fromRate of [16000, 22050, 44100, 48000]) {
  test(`${fromRate} → 8000 Hz keeps a 1 kHz tone's level and removes 3.9 kHz and up by ≥ 40 dB`, () => {
    const inputRms = middleRms(sine(1000, fromRate, 0.5));
    const kept = middleRms(resamplePcm(sine(1000, fromRate, 0.5), fromRate, 8000));
    assert.ok(Math.abs(dB(kept / inputRms)) < 0.1, `1 kHz changed by ${dB(kept / inputRms).toFixed(3)} dB`);
    for (const f of [3900, 4000, 4500, 6000, 7000].filter((x) => x < fromRate / 2)) {
      const left = middleRms(resamplePcm(sine(f, fromRate, 0.5), fromRate, 8000));
      assert.ok(dB(left / inputRms) <= -40, `${f} Hz only ${dB(left / inputRms).toFixed(1)} dB down`);
    }
  });
}

test('output length is ceil(length × to / from)', () => {
  assert.equal(resamplePcm(new Int16Array(44100), 44100, 8000).length, 8000);
  assert.equal(resamplePcm(new Int16Array(22050), 22050, 8000).length, 8000);
  assert.equal(resamplePcm(new Int16Array(320), 16000, 8000).length, 160);
  assert.equal(resamplePcm(new Int16Array(321), 16000, 8000).length, 161);
  assert.equal(resamplePcm(new Int16Array(160), 8000, 16000).length, 320);
  assert.equal(resamplePcm(new Int16Array(1000), 48000, 8000).length, 167);
  assert.equal(resamplePcm(new Int16Array(0), 48000, 8000).length, 0);
  const same = new Int16Array([1, 2, 3]);
  const copy = resamplePcm(same, 8000, 8000);
  assert.deepEqual(copy, same);
  assert.notEqual(copy, same);
});

test('8 → 16 kHz keeps 1 kHz and suppresses its 7 kHz image by ≥ 40 dB', () => {
  const up = resamplePcm(sine(1000, 8000, 0.5), 8000, 16000);
  const wanted = componentAmplitude(up, 1000, 16000);
  assert.ok(Math.abs(dB(wanted / 10000)) < 0.1, `1 kHz at ${dB(wanted / 10000).toFixed(3)} dB`);
  assert.ok(dB(componentAmplitude(up, 7000, 16000) / wanted) <= -40);
});

test('an odd rate pair (44.1 → 11.025 kHz is exact; 44.1 → 7.999 kHz rounds the phase) still keeps the level', () => {
  for (const toRate of [11025, 7999]) {
    const out = resamplePcm(sine(1000, 44100, 0.5), 44100, toRate);
    assert.ok(Math.abs(dB(middleRms(out) / middleRms(sine(1000, 44100, 0.5)))) < 0.1, `${toRate}`);
  }
});

test('rates outside 1–384 kHz or not integers are refused with SWB_ERR_MEDIA_FORMAT', () => {
  for (const [a, b] of [[0, 8000], [8000, 8000.5], [8000, 1e6]]) {
    assert.throws(() => resamplePcm(new Int16Array(10), a, b), (e) => isSwitchboardError(e, 'SWB_ERR_MEDIA_FORMAT'));
  }
});

test('streaming 16 → 8 kHz gives 160 samples per 20 ms frame and matches the offline result, delayed', () => {
  const input = sine(1000, 16000, 0.2);
  const stream = new Resampler(16000, 8000);
  const collected: number[] = [];
  for (let at = 0; at < input.length; at += 320) {
    const n = stream.process(input.subarray(at, at + 320));
    assert.equal(n, 160);
    collected.push(...stream.output.subarray(0, n));
  }
  const offline = resamplePcm(input, 16000, 8000);
  const half = Math.round((stream.latencyMs * 16000) / 1000);
  assert.equal(half % 2, 0);
  const delay = half / 2;
  for (let n = delay; n < collected.length; n++) assert.equal(collected[n], offline[n - delay], `sample ${n}`);
});

test('streaming 8 → 16 kHz matches the offline result, delayed, whatever the frame sizes', () => {
  const input = sine(700, 8000, 0.2);
  const offline = resamplePcm(input, 8000, 16000);
  const stream = new Resampler(8000, 16000, 400);
  const out = new Int16Array(stream.maxOutputSamples(400));
  const collected: number[] = [];
  const sizes = [1, 7, 160, 33, 400, 2];
  for (let at = 0, k = 0; at < input.length; k++) {
    const frame = input.subarray(at, at + sizes[k % sizes.length]);
    const n = stream.process(frame, out);
    assert.equal(n, 2 * frame.length);
    collected.push(...out.subarray(0, n));
    at += frame.length;
  }
  const delay = 2 * Math.round((stream.latencyMs * 8000) / 1000);
  for (let n = delay; n < collected.length; n++) assert.equal(collected[n], offline[n - delay], `sample ${n}`);
});

test('a Resampler refuses an output buffer too small for the frame, and reset() forgets the history', () => {
  const stream = new Resampler(8000, 16000, 160);
  assert.throws(() => stream.process(new Int16Array(160), new Int16Array(100)), RangeError);
  stream.process(sine(1000, 8000, 0.02));
  stream.reset();
  const n = stream.process(new Int16Array(160));
  assert.ok(stream.output.subarray(0, n).every((v) => v === 0));
});
