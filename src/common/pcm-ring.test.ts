import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { PcmRing } from './pcm-ring.js';

const ramp = (from: number, n: number): Int16Array => Int16Array.from({ length: n }, (_, i) => from + i);

test('samples come out in order across the wrap, and read consumes them', () => {
  const ring = PcmRing.create(8);
  const out = new Int16Array(8);
  assert.equal(ring.write(ramp(1, 5)), 5);
  assert.equal(ring.read(out.subarray(0, 3)), 3);
  assert.deepEqual([...out.subarray(0, 3)], [1, 2, 3]);
  assert.equal(ring.write(ramp(6, 6)), 6);
  assert.equal(ring.available(), 8);
  assert.equal(ring.read(out), 8);
  assert.deepEqual([...out], [4, 5, 6, 7, 8, 9, 10, 11]);
  assert.equal(ring.available(), 0);
  assert.equal(ring.read(out), 0);
});

test('a full ring drops the newest samples and counts them; what was buffered stays intact', () => {
  const ring = PcmRing.create(4);
  assert.equal(ring.write(ramp(1, 3)), 3);
  assert.equal(ring.write(ramp(10, 3)), 1);
  assert.equal(ring.dropped(), 2);
  const out = new Int16Array(4);
  assert.equal(ring.read(out), 4);
  assert.deepEqual([...out], [1, 2, 3, 10]);
});

test('silence is written as zeros, wrapping like samples', () => {
  const ring = PcmRing.create(4);
  ring.write(ramp(1, 3));
  ring.read(new Int16Array(3));
  assert.equal(ring.writeSilence(3), 3);
  const out = new Int16Array(4).fill(7);
  assert.equal(ring.read(out), 3);
  assert.deepEqual([...out], [0, 0, 0, 7]);
});

test('another thread reads what this one wrote, through the shared buffer, and sees close', async () => {
  const ring = PcmRing.create(64);
  ring.write(ramp(100, 50));
  ring.close();
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const header = new Int32Array(workerData, 0, 4);
    const samples = new Int16Array(workerData, 16);
    const n = Atomics.load(header, 0) - Atomics.load(header, 1);
    parentPort.postMessage({ n, first: samples[0], last: samples[n - 1], closed: Atomics.load(header, 3) });
  `;
  const worker = new Worker(source, { eval: true, workerData: ring.buffer });
  const seen = await new Promise<{ n: number; first: number; last: number; closed: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual(seen, { n: 50, first: 100, last: 149, closed: 1 });
  assert.equal(new PcmRing(ring.buffer).available(), 50, 'a second view over the same buffer sees the same state');
});

test('a buffer that cannot hold a ring is refused', () => {
  assert.throws(() => PcmRing.create(0), RangeError);
  assert.throws(() => new PcmRing(new SharedArrayBuffer(16)), RangeError);
});
