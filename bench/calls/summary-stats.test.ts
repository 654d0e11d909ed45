import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distribution, percentile } from './summary-stats.js';

test('percentiles interpolate between ranks like analyze.py', () => {
  const xs = [5, 1, 4, 2, 3];
  assert.equal(percentile(xs, 50), 3);
  assert.equal(percentile(xs, 99), 4.96);
  assert.equal(percentile(xs, 0), 1);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('an empty distribution is nulls, not NaN, so the JSON stays valid', () => {
  assert.deepEqual(distribution([]), { n: 0, p50: null, p99: null, max: null });
  assert.deepEqual(distribution([1, 2, 3, 10]), { n: 4, p50: 2.5, p99: 9.79, max: 10 });
});
