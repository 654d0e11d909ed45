import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallControl, CollectDigitsOptions, DigitResult, PlayOutcome, PromptSource } from '../../call/index.js';
import { createDemoApp } from './demo-app.js';

/** A call scripted by the keys a caller presses at each collect; records what was played. */
class ScriptedCall implements CallControl {
  readonly id = 'c1';
  readonly callerId = 'alice';
  readonly calledUser = 'demo';
  ended = false;
  readonly played: string[] = [];
  hungUp = false;
  constructor(private readonly answers: DigitResult[]) {}
  async play(prompts: PromptSource[]): Promise<PlayOutcome> {
    if (this.ended) return 'hangup';
    for (const p of prompts) this.played.push(p.kind === 'named' ? p.name : p.kind === 'tts' ? `tts:${p.text}` : 'silence');
    return 'finished';
  }
  async collectDigits(_o: CollectDigitsOptions): Promise<DigitResult> {
    const next = this.answers.shift();
    if (!next) {
      this.ended = true;
      return { digits: '', reason: 'hangup' };
    }
    return next;
  }
  clearDigits(): void {}
  async hangup(): Promise<void> {
    this.hungUp = true;
    this.ended = true;
  }
}

const app = createDemoApp({
  speakDigits: (d) => d.split('').join(', '),
  speakTime: () => '10 42 PM',
  now: () => new Date(0),
});
const key = (digits: string): DigitResult => ({ digits, reason: 'max-digits' });

test('menu: 1 says the time, 0 says goodbye and hangs up', async () => {
  const call = new ScriptedCall([key('1'), key('0')]);
  await app(call);
  assert.deepEqual(call.played, ['demo/greeting', 'demo/time-is', 'tts:10 42 PM.', 'demo/menu', 'demo/goodbye']);
  assert.equal(call.hungUp, true);
});

test('menu: 2 reads the digits back', async () => {
  const call = new ScriptedCall([key('2'), { digits: '123', reason: 'terminator', terminator: '#' }, key('0')]);
  await app(call);
  assert.deepEqual(call.played, [
    'demo/greeting', 'demo/enter-digits', 'demo/you-entered', 'tts:1, 2, 3.', 'demo/menu', 'demo/goodbye',
  ]);
});

test('three timeouts end the call with goodbye', async () => {
  const t: DigitResult = { digits: '', reason: 'timeout' };
  const call = new ScriptedCall([t, t, t]);
  await app(call);
  assert.deepEqual(call.played, ['demo/greeting', 'demo/timeout', 'demo/menu', 'demo/timeout', 'demo/menu', 'demo/goodbye']);
  assert.equal(call.hungUp, true);
});

test('an invalid key gets the invalid prompt and the menu again', async () => {
  const call = new ScriptedCall([key('9'), key('0')]);
  await app(call);
  assert.deepEqual(call.played, ['demo/greeting', 'demo/invalid', 'demo/menu', 'demo/goodbye']);
});

test('a caller hanging up mid-menu ends the app without playing more', async () => {
  const call = new ScriptedCall([]);
  await app(call);
  assert.deepEqual(call.played, ['demo/greeting']);
  assert.equal(call.hungUp, false);
});
