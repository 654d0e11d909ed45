import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';

test('advance fires due timers in order, each at its own due time', () => {
  const clock = new FakeClock();
  const seen: string[] = [];
  clock.setTimer(30, () => seen.push(`b@${clock.nowMs()}`));
  clock.setTimer(10, () => seen.push(`a@${clock.nowMs()}`));
  const cancelled = clock.setTimer(20, () => seen.push('never'));
  cancelled.cancel();
  clock.advance(50);
  assert.deepEqual(seen, ['a@10', 'b@30']);
  assert.equal(clock.nowMs(), 50);
  assert.equal(clock.pendingTimers(), 0);
});

test('stall fires the timers that fell due late, with the clock already moved on', () => {
  const clock = new FakeClock();
  const seen: number[] = [];
  clock.setTimer(20, () => {
    seen.push(clock.nowMs());
    clock.setTimer(20, () => seen.push(clock.nowMs()));
  });
  clock.setTimer(40, () => seen.push(clock.nowMs()));
  clock.stall(100);
  assert.deepEqual(seen, [100, 100], 'both timers due by 100 fire at 100, late');
  clock.advance(20);
  assert.deepEqual(seen, [100, 100, 120], 'a timer set during the stall counts from the stalled time');
});
