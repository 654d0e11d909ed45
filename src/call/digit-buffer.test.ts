import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../common/index.js';
import { DigitBuffer } from './digit-buffer.js';

test('keys pressed before collect are taken first, extra keys stay queued', async () => {
  const clock = new FakeClock();
  const b = new DigitBuffer(clock);
  b.push('1');
  b.push('2');
  assert.deepEqual(await b.collect({ maxDigits: 1, firstDigitTimeoutMs: 1000 }), { digits: '1', reason: 'max-digits' });
  assert.deepEqual(await b.collect({ maxDigits: 1, firstDigitTimeoutMs: 1000 }), { digits: '2', reason: 'max-digits' });
});

test('terminator ends collection and is not part of the digits', async () => {
  const clock = new FakeClock();
  const b = new DigitBuffer(clock);
  const p = b.collect({ maxDigits: 10, terminators: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 });
  for (const d of '123#') b.push(d);
  assert.deepEqual(await p, { digits: '123', reason: 'terminator', terminator: '#' });
});

test('first-digit and inter-digit timeouts come from the clock', async () => {
  const clock = new FakeClock();
  const b = new DigitBuffer(clock);
  const none = b.collect({ maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 });
  clock.advance(4999);
  let settled = false;
  void none.then(() => { settled = true; });
  await Promise.resolve();
  assert.equal(settled, false);
  clock.advance(1);
  assert.deepEqual(await none, { digits: '', reason: 'timeout' });

  const some = b.collect({ maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 });
  clock.advance(3000);
  b.push('7');
  clock.advance(1999);
  b.push('8');
  clock.advance(2000);
  assert.deepEqual(await some, { digits: '78', reason: 'timeout' });
});

test('close ends a pending collect with hangup and later collects at once', async () => {
  const clock = new FakeClock();
  const b = new DigitBuffer(clock);
  const p = b.collect({ maxDigits: 1, firstDigitTimeoutMs: 5000 });
  b.close();
  assert.deepEqual(await p, { digits: '', reason: 'hangup' });
  assert.deepEqual(await b.collect({ maxDigits: 1, firstDigitTimeoutMs: 5000 }), { digits: '', reason: 'hangup' });
  assert.equal(clock.pendingTimers(), 0);
});
