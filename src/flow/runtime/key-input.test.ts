import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../common/index.js';
import { KeyInput } from './key-input.js';
import { TestCall } from './test-call.js';

const prompt = [{ kind: 'tts' as const, text: 'x' }];

test('a peeked key is kept: the next barge-in prompt is skipped and the next collect starts with it', async () => {
  const clock = new FakeClock();
  const call = new TestCall(clock, ['!12', '3#']);
  const skipped: number[] = [];
  const keys = new KeyInput(call, (p) => skipped.push(p.length));
  assert.equal(await keys.play(prompt, { bargeIn: true }), 'interrupted');
  assert.equal(await keys.peek(), '1');
  assert.equal(await keys.peek(), '1', 'peeking twice does not consume');
  assert.equal(await keys.play(prompt, { bargeIn: true }), 'interrupted');
  assert.deepEqual(skipped, [1]);
  assert.equal(await keys.play(prompt, { bargeIn: false }), 'finished', 'a prompt without barge-in still plays');
  const r = await keys.collect({ maxDigits: 5, terminators: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 });
  assert.deepEqual(r, { digits: '123', reason: 'terminator', terminator: '#' });
  assert.equal(call.collects[1].maxDigits, 4, 'the call is asked only for the rest');
  assert.equal(call.collects[1].firstDigitTimeoutMs, 2000, 'and waits the inter-digit time, a key having come');
});

test('kept keys alone can satisfy a collect, by count or terminator; take() drops the peeked key', async () => {
  const clock = new FakeClock();
  const call = new TestCall(clock, ['!9#']);
  const keys = new KeyInput(call);
  await keys.play(prompt, {});
  assert.equal(await keys.peek(), '9');
  assert.deepEqual(await keys.collect({ maxDigits: 1, firstDigitTimeoutMs: 5000 }), { digits: '9', reason: 'max-digits' });
  assert.deepEqual(await keys.collect({ maxDigits: 3, terminators: '#', firstDigitTimeoutMs: 5000 }), {
    digits: '', reason: 'terminator', terminator: '#',
  });
  const other = new KeyInput(new TestCall(new FakeClock(), ['!5']));
  await other.play(prompt, {});
  assert.equal(await other.peek(), '5');
  other.take();
  other.clear();
  assert.equal(await other.play(prompt, {}), 'finished', 'nothing waits any more');
});

test('peek reports a hangup and no key when none is pressed', async () => {
  const ended = new TestCall(new FakeClock(), []);
  await ended.hangup();
  assert.equal(await new KeyInput(ended).peek(), 'hangup');
  assert.equal(await new KeyInput(new TestCall(new FakeClock(), [])).peek(), undefined);
});
