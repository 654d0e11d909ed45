import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureBlock, planLevel, rtpCaptureFilter, sippMediaPort } from './level-plan.js';

test('SIPp media ports follow -mp 20000 + 4·(n−1) mod 10000', () => {
  assert.equal(sippMediaPort(1), 20000);
  assert.equal(sippMediaPort(2), 20004);
  assert.equal(sippMediaPort(2500), 29996);
  assert.equal(sippMediaPort(2501), 20000);
});

test('a level runs concurrency / 6.2 calls per second for the given seconds, with headroom in the limit', () => {
  const p = planLevel(620, 30, 40);
  assert.equal(p.rateCps, 100);
  assert.equal(p.calls, 3000);
  assert.equal(p.limit, 744);
  const q = planLevel(500, 30, 40);
  assert.equal(q.rateCps, 80.6);
  assert.equal(q.calls, 2418);
});

test('captured calls start about 10 s in, on contiguous ports', () => {
  const b = captureBlock(80.6, 2418, 40);
  assert.equal(b.firstCall, 807);
  assert.equal(b.count, 40);
  assert.equal(b.portMin, sippMediaPort(807));
  assert.equal(b.portMax, b.portMin + 4 * 39);
});

test('a block that would cross the 2500-call port cycle moves to the next cycle', () => {
  const b = captureBlock(249, 7470, 40);
  assert.equal(b.firstCall, 2501);
  assert.equal(b.portMin, 20000);
  assert.equal(b.portMax, 20156);
});

test('short levels capture from the middle', () => {
  const b = captureBlock(8.1, 100, 40);
  assert.equal(b.firstCall, 31);
  assert.equal(b.count, 40);
});

test('the capture filter keeps server audio to the block and its telephone-events only', () => {
  const f = rtpCaptureFilter({ firstCall: 1, count: 2, portMin: 20000, portMax: 20004 }, 30000, 39999);
  assert.equal(f, 'udp and ((src portrange 30000-39999 and dst portrange 20000-20004 and udp[4:2] = 180) '
    + 'or (src portrange 20000-20004 and dst portrange 30000-39999 and udp[4:2] = 24))');
});
