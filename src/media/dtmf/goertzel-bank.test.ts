import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoertzelBank, goertzelAt } from './goertzel-bank.js';
import { fitTonePair } from './goertzel-pair-fit.js';

function dft(x: Float64Array, omega: number, from = 0, to = x.length): [number, number] {
  let re = 0;
  let im = 0;
  for (let n = from; n < to; n++) {
    re += x[n] * Math.cos(omega * (n - from));
    im -= x[n] * Math.sin(omega * (n - from));
  }
  return [re, im];
}

function pseudoRandom(length: number): Float64Array {
  const x = new Float64Array(length);
  let s = 12345;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = (s / 2147483648 - 0.5) * 20000;
  }
  return x;
}

test('GoertzelBank.read gives the complex DFT term, also part-way through a block', () => {
  const x = pseudoRandom(106);
  const frequencies = [697, 1209, 1394.5];
  const bank = new GoertzelBank(frequencies, 8000);
  const re = new Float64Array(3);
  const im = new Float64Array(3);
  for (let n = 0; n < 106; n++) {
    bank.update(x[n]);
    if (n === 52) {
      bank.read(53, re, im);
      for (let i = 0; i < 3; i++) {
        const [r, m] = dft(x, bank.omegaOf(i), 0, 53);
        assert.ok(Math.abs(re[i] - r) < 1e-6 && Math.abs(im[i] - m) < 1e-6, `half ${frequencies[i]}`);
      }
    }
  }
  bank.read(106, re, im);
  const single = new Float64Array(2);
  for (let i = 0; i < 3; i++) {
    const [r, m] = dft(x, bank.omegaOf(i));
    assert.ok(Math.abs(re[i] - r) < 1e-6 && Math.abs(im[i] - m) < 1e-6, `full ${frequencies[i]}`);
    goertzelAt(x, bank.omegaOf(i), single);
    assert.ok(Math.abs(single[0] - r) < 1e-6 && Math.abs(single[1] - m) < 1e-6);
  }
  bank.reset();
  bank.update(1);
  bank.read(1, re, im);
  assert.deepEqual([re[0], im[0]], [1, 0]);
});

test('fitTonePair separates two complex tones exactly, leakage included', () => {
  const wLow = (2 * Math.PI * 941) / 8000;
  const wHigh = (2 * Math.PI * 1209) / 8000;
  const toneLow = wLow * 1.012;
  const toneHigh = wHigh * 0.987;
  const a = [300, -200];
  const b = [-40, 25];
  // X(ω) = Σ (a e^{jω'n} + b e^{jω''n}) e^{−jωn}
  const filter = (w: number): [number, number] => {
    let re = 0;
    let im = 0;
    for (let n = 0; n < 106; n++) {
      for (const [amp, tone] of [[a, toneLow], [b, toneHigh]] as const) {
        const p = (tone - w) * n;
        re += amp[0] * Math.cos(p) - amp[1] * Math.sin(p);
        im += amp[0] * Math.sin(p) + amp[1] * Math.cos(p);
      }
    }
    return [re, im];
  };
  const [lr, li] = filter(wLow);
  const [hr, hi] = filter(wHigh);
  const out = new Float64Array(4);
  fitTonePair(lr, li, hr, hi, wLow, wHigh, toneLow, toneHigh, 106, 0, out);
  const expected = [...a, ...b];
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(out[i] - expected[i]) < 1e-6, `${i}: ${out[i]}`);
});
