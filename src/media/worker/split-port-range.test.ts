import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitPortRange } from './split-port-range.js';
import { aggregatePacerStats } from './aggregate-engine-stats.js';
import type { PacerStats } from '../engine/index.js';

test('splitPortRange: equal, disjoint sub-ranges of whole pairs starting on even ports', () => {
  assert.deepEqual(splitPortRange(20000, 29999, 2), [{ portMin: 20000, portMax: 24999 }, { portMin: 25000, portMax: 29999 }]);
  assert.deepEqual(splitPortRange(20001, 20014, 3), [
    { portMin: 20002, portMax: 20005 }, { portMin: 20006, portMax: 20009 }, { portMin: 20010, portMax: 20013 },
  ]);
  assert.throws(() => splitPortRange(20000, 20003, 3), RangeError);
  assert.throws(() => splitPortRange(20000, 29999, 0), RangeError);
});

test('aggregatePacerStats: counters add, means are weighted by window ticks, p99 and maxima are the worst', () => {
  const base: PacerStats = {
    tickMs: 20, members: 0, ticks: 0, lateTicks: 0, skippedTicks: 0, windowTicks: 0, meanLatenessMs: 0, p99LatenessMs: 0,
    maxLatenessMs: 0, meanWorkMs: 0, maxWorkMs: 0, memberErrors: 0,
  };
  const a = { ...base, members: 10, ticks: 100, lateTicks: 1, windowTicks: 100, meanLatenessMs: 1, p99LatenessMs: 3, maxLatenessMs: 5, meanWorkMs: 2, maxWorkMs: 4 };
  const b = { ...base, members: 5, ticks: 300, skippedTicks: 2, windowTicks: 300, meanLatenessMs: 3, p99LatenessMs: 2, maxLatenessMs: 9, meanWorkMs: 6, maxWorkMs: 3 };
  const s = aggregatePacerStats([a, b]);
  assert.deepEqual({ ...s }, {
    ...base, members: 15, ticks: 400, lateTicks: 1, skippedTicks: 2, windowTicks: 400, meanLatenessMs: 2.5, p99LatenessMs: 3,
    maxLatenessMs: 9, meanWorkMs: 5, maxWorkMs: 4,
  });
});
