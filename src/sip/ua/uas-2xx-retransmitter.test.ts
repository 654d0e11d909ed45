import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../common/index.js';
import { Uas2xxRetransmitter } from './uas-2xx-retransmitter.js';

test('§13.3.1.4: 2xx retransmitted at T1, doubling to T2, given up at 64*T1', () => {
  const clock = new FakeClock();
  const at: number[] = [];
  let gaveUpAt = -1;
  const r = new Uas2xxRetransmitter(clock, { t1Ms: 500, t2Ms: 4000 }, () => at.push(clock.nowMs()), () => {
    gaveUpAt = clock.nowMs();
  });
  r.start();
  clock.advance(40_000);
  assert.deepEqual(at, [500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  assert.equal(gaveUpAt, 32_000);
  assert.equal(r.running, false);
  assert.equal(clock.pendingTimers(), 0);
});

test('stop() on ACK ends the retransmissions and the give-up timer', () => {
  const clock = new FakeClock();
  let sent = 0;
  let gaveUp = false;
  const r = new Uas2xxRetransmitter(clock, { t1Ms: 500, t2Ms: 4000 }, () => sent++, () => {
    gaveUp = true;
  });
  r.start();
  clock.advance(1600);
  r.stop();
  clock.advance(60_000);
  assert.equal(sent, 2);
  assert.equal(gaveUp, false);
});
