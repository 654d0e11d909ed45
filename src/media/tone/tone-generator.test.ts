import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DTMF_KEYS, dtmfFrequencies, dtmfIndices, meanSquareToDbm0, renderBeep, renderDtmfDigit, renderRingback, renderTone, ToneGenerator } from './index.js';

function levelDbm0(pcm: Int16Array): number {
  let sum = 0;
  for (const v of pcm) sum += v * v;
  return meanSquareToDbm0(sum / pcm.length);
}

/** Level in dBm0 of the `frequencyHz` component (DFT term over the whole buffer). */
function componentDbm0(pcm: Int16Array, frequencyHz: number, sampleRate = 8000): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < pcm.length; n++) {
    const w = (2 * Math.PI * frequencyHz * n) / sampleRate;
    re += pcm[n] * Math.cos(w);
    im += pcm[n] * Math.sin(w);
  }
  const amplitude = (2 * Math.hypot(re, im)) / pcm.length;
  return meanSquareToDbm0((amplitude * amplitude) / 2);
}

test('renderTone: length and level per component in dBm0', () => {
  const pcm = renderTone({ frequencies: [1000], levelDbm0: -10, durationMs: 500 });
  assert.equal(pcm.length, 4000);
  assert.ok(Math.abs(levelDbm0(pcm) + 10) < 0.02);
  const pair = renderTone({ frequencies: [440, 480], levelDbm0: -19, durationMs: 1000 });
  assert.ok(Math.abs(componentDbm0(pair, 440) + 19) < 0.05);
  assert.ok(Math.abs(componentDbm0(pair, 480) + 19) < 0.05);
  assert.equal(renderTone({ frequencies: [1000], levelDbm0: 0, durationMs: 20, sampleRate: 16000 }).length, 320);
});

test('renderDtmfDigit uses the Q.23 pairs, the low group at the level and the high group at level + twist', () => {
  assert.equal(DTMF_KEYS, '123A456B789C*0#D');
  assert.deepEqual(dtmfFrequencies('1'), [697, 1209]);
  assert.deepEqual(dtmfFrequencies('0'), [941, 1336]);
  assert.deepEqual(dtmfFrequencies('#'), [941, 1477]);
  assert.deepEqual(dtmfFrequencies('d'), [941, 1633]);
  assert.deepEqual(dtmfIndices('6'), [1, 2]);
  assert.throws(() => dtmfFrequencies('E'), RangeError);
  assert.throws(() => dtmfFrequencies('12'), RangeError);
  const pcm = renderDtmfDigit('5', 1000, -20, -6);
  assert.equal(pcm.length, 8000);
  assert.ok(Math.abs(componentDbm0(pcm, 770) + 20) < 0.05);
  assert.ok(Math.abs(componentDbm0(pcm, 1336) + 26) < 0.05);
  assert.ok(componentDbm0(pcm, 697) < -50);
});

test('components that sum past full scale saturate instead of wrapping', () => {
  const pcm = renderDtmfDigit('1', 100, 0, 0);
  assert.equal(Math.max(...pcm), 32767);
  assert.equal(Math.min(...pcm), -32768);
});

test('ToneGenerator is phase-continuous across frames: 20 ms frames equal one render', () => {
  const spec = { frequencies: [350, 440], levelDbm0: -13 };
  const whole = new Int16Array(800);
  new ToneGenerator(spec).fill(whole);
  const framed = new Int16Array(800);
  const generator = new ToneGenerator(spec);
  const frame = new Int16Array(160);
  for (let at = 0; at < 800; at += 160) framed.set(generator.fill(frame), at);
  assert.deepEqual(framed, whole);
  generator.reset();
  assert.deepEqual(generator.fill(new Int16Array(800)), whole);
});

test('renderRingback("us"): 440 + 480 Hz, 2 s on then 4 s off', () => {
  const cycle = renderRingback('us');
  assert.equal(cycle.length, 48000);
  const on = cycle.subarray(800, 15200);
  assert.ok(Math.abs(componentDbm0(on, 440) + 19) < 0.2);
  assert.ok(Math.abs(componentDbm0(on, 480) + 19) < 0.2);
  assert.ok(cycle.subarray(16000).every((v) => v === 0));
  assert.equal(renderRingback('uk').length, 24000);
  assert.equal(renderRingback('eu').length, 40000);
});

test('cadenced tones ramp in and out rather than click', () => {
  const cycle = renderRingback('us');
  assert.ok(Math.abs(cycle[1]) < 200);
  assert.ok(Math.abs(cycle[15998]) < 200);
  const beep = renderBeep();
  assert.equal(beep.length, 1600);
  assert.ok(Math.abs(beep[0]) < 100 && Math.abs(beep[1599]) < 100);
  assert.ok(Math.abs(componentDbm0(beep.subarray(40, 1560), 1000) + 10) < 0.1);
});

test('ToneGenerator rejects frequencies outside (0, Nyquist) and odd cadences', () => {
  assert.throws(() => new ToneGenerator({ frequencies: [4000], levelDbm0: -10 }), RangeError);
  assert.throws(() => new ToneGenerator({ frequencies: [1000], levelDbm0: -10, cadenceMs: [100] }), RangeError);
  assert.throws(() => new ToneGenerator({ frequencies: [1000, 2000], levelDbm0: [-10] }), RangeError);
});
