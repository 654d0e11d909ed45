import { test } from 'node:test';
import assert from 'node:assert/strict';
import { muLawToLinear } from '../codec/index.js';
import { DBM0_MEAN_SQUARE, DBM0_SINE_PEAK, dbm0ToMeanSquare, dbm0ToPeak, meanSquareToDbm0 } from './dbm0.js';

test('the µ-law digital milliwatt (G.711 Table 6) decodes to 0 dBm0 on our scale', () => {
  const sequence = [0x1e, 0x0b, 0x0b, 0x1e, 0x9e, 0x8b, 0x8b, 0x9e];
  let sum = 0;
  for (const byte of sequence) sum += muLawToLinear(byte) ** 2;
  const level = meanSquareToDbm0(sum / sequence.length);
  assert.ok(Math.abs(level) < 0.01, `digital milliwatt at ${level.toFixed(4)} dBm0`);
});

test('0 dBm0 is 3.17 dB below the µ-law overload sine (peak 8159 × 4), G.711 §5', () => {
  assert.ok(Math.abs(20 * Math.log10((8159 * 4) / DBM0_SINE_PEAK) - 3.17) < 1e-9);
  assert.ok(Math.abs(DBM0_SINE_PEAK - 22657) < 1);
  assert.equal(dbm0ToPeak(0), DBM0_SINE_PEAK);
  assert.ok(Math.abs(dbm0ToPeak(-20) - DBM0_SINE_PEAK / 10) < 1e-9);
  assert.equal(dbm0ToMeanSquare(0), DBM0_MEAN_SQUARE);
  assert.ok(Math.abs(meanSquareToDbm0(dbm0ToMeanSquare(-26)) + 26) < 1e-9);
});
