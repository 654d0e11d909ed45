import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, type Clock, type TimerHandle } from '../../common/index.js';
import { Pacer, type PacerMember } from './pacer.js';

/** A FakeClock whose timers fire `lateMs(n)` after they were asked to, like setTimeout under load. */
class LateClock implements Clock {
  private n = 0;
  constructor(readonly inner: FakeClock, private readonly lateMs: (n: number) => number) {}
  nowMs(): number { return this.inner.nowMs(); }
  wallMs(): number { return this.inner.wallMs(); }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.inner.setTimer(Math.max(0, delayMs) + this.lateMs(this.n++), fn);
  }
}

function recorder(): PacerMember & { ticks: number[] } {
  const ticks: number[] = [];
  return { ticks, onTick: (t) => { ticks.push(t); } };
}

test('ticks every 20 ms on time with a punctual clock', () => {
  const clock = new FakeClock();
  const pacer = new Pacer(clock);
  const m = recorder();
  pacer.add(m);
  clock.advance(100);
  assert.deepEqual(m.ticks, [1, 2, 3, 4, 5]);
  assert.equal(pacer.stats().lateTicks, 0);
});

test('drift correction: timers that always fire 3 ms late still give 50 ticks per second', () => {
  const fake = new FakeClock();
  const pacer = new Pacer(new LateClock(fake, () => 3));
  const m = recorder();
  pacer.add(m);
  fake.advance(1000 + 3);
  assert.equal(m.ticks.length, 50);
  const s = pacer.stats();
  assert.equal(s.lateTicks, 0);
  assert.equal(s.maxLatenessMs, 3);
  assert.equal(s.p99LatenessMs, 4);
  assert.ok(Math.abs(s.meanLatenessMs - 3) < 1e-9);
});

test('a stall of more than a tick skips the missed ticks instead of bursting them', () => {
  const fake = new FakeClock();
  const pacer = new Pacer(new LateClock(fake, (n) => (n === 3 ? 45 : 0)));
  const m = recorder();
  pacer.add(m);
  fake.advance(200);
  assert.deepEqual(m.ticks.slice(0, 6), [1, 2, 3, 6, 7, 8]);
  const s = pacer.stats();
  assert.equal(s.lateTicks, 1);
  assert.equal(s.skippedTicks, 2);
  assert.equal(s.maxLatenessMs, 45);
  assert.equal(m.ticks.at(-1), 10);
  pacer.resetWindow();
  fake.advance(40);
  const w = pacer.stats();
  assert.deepEqual([w.windowTicks, w.maxLatenessMs, w.lateTicks, w.ticks], [2, 0, 1, 10]);
});

test('one tick drives all members; removal inside a tick is safe; empty pacer stops its timer', () => {
  const clock = new FakeClock();
  const pacer = new Pacer(clock);
  const a = recorder();
  const b = recorder();
  const selfRemoving: PacerMember = { onTick: (t) => { if (t === 2) pacer.remove(selfRemoving); } };
  pacer.add(a);
  pacer.add(selfRemoving);
  pacer.add(b);
  clock.advance(60);
  assert.deepEqual(a.ticks, [1, 2, 3]);
  assert.deepEqual(b.ticks, [1, 2, 3]);
  assert.equal(pacer.size, 2);
  pacer.remove(a);
  pacer.remove(b);
  assert.equal(clock.pendingTimers(), 0);
  pacer.add(a);
  clock.advance(20);
  assert.deepEqual(a.ticks, [1, 2, 3, 4]);
});

test('a throwing member is counted and does not stop the others', () => {
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const pacer = new Pacer(clock, { onMemberError: (e) => errors.push(e) });
  const ok = recorder();
  pacer.add({ onTick: () => { throw new Error('boom'); } });
  pacer.add(ok);
  clock.advance(40);
  assert.deepEqual(ok.ticks, [1, 2]);
  assert.equal(pacer.stats().memberErrors, 2);
  assert.equal(errors.length, 2);
});
