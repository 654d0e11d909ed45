import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcmRing } from '../../common/index.js';
import { AudioTap } from './audio-tap.js';

const FRAME = 160;

function frame(value: number): Int16Array {
  return new Int16Array(FRAME).fill(value);
}

function drain(ring: PcmRing): number[] {
  const out = new Int16Array(ring.available());
  ring.read(out);
  return [...out];
}

/** Run-length view of what the ring holds: [value, count] per run. */
function runs(samples: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const s of samples) {
    const last = out[out.length - 1];
    if (last && last[0] === s) last[1]++;
    else out.push([s, 1]);
  }
  return out;
}

function started(): { tap: AudioTap; ring: PcmRing } {
  const tap = new AudioTap(FRAME);
  const ring = PcmRing.create(16_000);
  tap.start(ring.buffer, 100);
  return { tap, ring };
}

test('a steady stream, packets landing before or after their tick (within 60 ms), gets no silence inserted', () => {
  const { tap, ring } = started();
  for (let i = 1; i <= 5; i++) {
    tap.onTick(100 + i);
    tap.write(frame(i), FRAME);
  }
  for (const tick of [106, 107, 108]) tap.onTick(tick);
  for (const value of [6, 7, 8, 9]) tap.write(frame(value), FRAME);
  tap.onTick(109);
  tap.onTick(110);
  tap.write(frame(10), FRAME);
  assert.deepEqual(runs(drain(ring)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => [v, 160]));
});

test('no audio for 200 ms: the ticks write silence, one frame per tick once past the allowance, so the ring keeps wall time', () => {
  const { tap, ring } = started();
  tap.onTick(101);
  tap.write(frame(1), FRAME);
  const during: number[] = [];
  for (let tick = 102; tick <= 111; tick++) {
    tap.onTick(tick);
    during.push(ring.available());
  }
  assert.deepEqual(during, [160, 160, 160, 800, 960, 1120, 1280, 1440, 1600, 1760]);
  tap.write(frame(2), FRAME);
  assert.deepEqual(runs(drain(ring)), [[1, 160], [0, 1600], [2, 160]]);
});

test('skipped pacer ticks (a stalled loop) count as time', () => {
  const { tap, ring } = started();
  tap.onTick(150);
  assert.equal(ring.available(), 50 * FRAME);
});

test('audio that arrives after its slot was filled is still written; the next gap is shorter by as much', () => {
  const { tap, ring } = started();
  for (let tick = 101; tick <= 104; tick++) tap.onTick(tick);
  assert.equal(ring.available(), 4 * FRAME, 'the late audio counted as missing');
  for (let i = 1; i <= 4; i++) tap.write(frame(i), FRAME);
  for (let tick = 105; tick <= 112; tick++) tap.onTick(tick);
  tap.write(frame(9), FRAME);
  // The 4 late frames put the ring 640 samples ahead of the ticks, so the 8-tick gap after them gets 640 zeros, not 1280.
  assert.deepEqual(runs(drain(ring)), [[0, 640], [1, 160], [2, 160], [3, 160], [4, 160], [0, 640], [9, 160]]);
});

test('stop closes the ring and writes nothing more; a new start replaces (closes) the previous ring', () => {
  const { tap, ring } = started();
  tap.write(frame(1), FRAME);
  tap.start(ring.buffer, 101);
  assert.equal(ring.closed, false, 'starting the running ring again changes nothing');
  const second = PcmRing.create(1000);
  tap.start(second.buffer, 101);
  assert.equal(ring.closed, true);
  tap.write(frame(2), FRAME);
  assert.deepEqual(runs(drain(ring)), [[1, 160]]);
  assert.deepEqual(runs(drain(second)), [[2, 160]]);
  tap.stop();
  tap.stop();
  assert.equal(second.closed, true);
  assert.equal(tap.active, false);
  tap.write(frame(3), FRAME);
  tap.onTick(200);
  assert.equal(second.available(), 0);
});

test('a ring closed by the other side (consumer, or the main thread for a remote session) ends the tap', () => {
  const { tap, ring } = started();
  tap.write(frame(1), FRAME);
  ring.close();
  tap.write(frame(2), FRAME);
  tap.onTick(120);
  assert.equal(tap.active, false);
  assert.deepEqual(runs(drain(ring)), [[1, 160]]);
});

test('a buffer that is not a ring is refused and the running tap keeps going', () => {
  const { tap, ring } = started();
  assert.throws(() => tap.start(new SharedArrayBuffer(8), 101), RangeError);
  tap.write(frame(4), FRAME);
  assert.equal(ring.closed, false);
  assert.deepEqual(runs(drain(ring)), [[4, 160]]);
});
