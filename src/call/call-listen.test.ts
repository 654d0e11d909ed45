import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcmRing } from '../common/index.js';
import { logger } from '../observability/index.js';
import type { RecognitionOptions, RecognitionResult } from '../speech/index.js';
import type { CollectDigitsOptions, DigitResult, ListenRequest, PlayOutcome } from './call-control.js';
import { listenOnCall, type CallRecognitionListener, type CallSpeechRecognizer, type ListeningCall } from './call-listen.js';

/** A call whose prompt plays until the test ends it, with keys and hangup under the test's control. */
class FakeListeningCall implements ListeningCall {
  readonly id = 'c1';
  ended = false;
  isEnded(): boolean {
    return this.ended;
  }
  queued = '';
  stops = 0;
  taps: SharedArrayBuffer[] = [];
  tapStopped = 0;
  endPlay: ((o: PlayOutcome) => void) | undefined;
  private keyListeners = new Set<() => void>();
  private endListeners = new Set<() => void>();
  play(): Promise<PlayOutcome> {
    return new Promise((resolve) => {
      this.endPlay = resolve;
    });
  }
  async collectDigits(options: CollectDigitsOptions): Promise<DigitResult> {
    const digits = this.queued.slice(0, options.maxDigits);
    this.queued = '';
    return { digits, reason: 'max-digits' };
  }
  hasQueuedKeys(): boolean {
    return this.queued !== '';
  }
  onKey(listener: () => void): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }
  onEnded(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }
  stopPlayback(): void {
    this.stops++;
    this.endPlay?.('interrupted');
  }
  startAudioTap(ring: SharedArrayBuffer): void {
    this.taps.push(ring);
  }
  stopAudioTap(): void {
    this.tapStopped++;
  }
  press(key: string, bargeIn = true): void {
    this.queued += key;
    for (const l of this.keyListeners) l();
    if (bargeIn) this.endPlay?.('interrupted');
  }
  hangUp(): void {
    this.ended = true;
    for (const l of this.endListeners) l();
    this.endPlay?.('hangup');
  }
}

class FakeRecognizer implements CallSpeechRecognizer {
  listener: CallRecognitionListener | undefined;
  options: RecognitionOptions | undefined;
  ring: SharedArrayBuffer | undefined;
  timersStarted = 0;
  cancelled = 0;
  refuse: Error | undefined;
  recognize(_grammar: unknown, ring: SharedArrayBuffer, listener: CallRecognitionListener, options: RecognitionOptions) {
    if (this.refuse) throw this.refuse;
    this.listener = listener;
    this.options = options;
    this.ring = ring;
    return { startTimers: () => { this.timersStarted++; }, cancel: () => { this.cancelled++; } };
  }
}

const REQUEST: ListenRequest = {
  prompts: [{ kind: 'tts', text: 'Which department?' }],
  grammar: { kind: 'options', options: [{ value: 'billing' }] },
  recognition: { noInputTimeoutMs: 4000 },
  keys: { maxDigits: 1, firstDigitTimeoutMs: 0 },
};
const log = logger('test.listen').child({}, { level: 'silent' });
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function match(value: string): RecognitionResult {
  return {
    status: 'match', value, text: value, confidence: 0.9, nBest: [{ value, text: value, confidence: 0.9 }],
    speechStartMs: 100, speechEndMs: 700, decidedAtMs: 850, truncated: false,
  };
}

test('speech during the prompt stops it; timers start once it stopped; the result is returned and the tap removed', async () => {
  const call = new FakeListeningCall();
  const recognizer = new FakeRecognizer();
  const listening = listenOnCall(call, REQUEST, recognizer, log);
  await flush();
  assert.equal(call.taps.length, 1);
  assert.equal(recognizer.ring, call.taps[0], 'the recognizer reads the ring the call writes');
  assert.equal(new PcmRing(call.taps[0]).capacity, 16_000);
  assert.deepEqual(recognizer.options, { noInputTimeoutMs: 4000, startTimers: false }, 'no-input is not counted while the prompt plays');
  recognizer.listener?.speechStart?.(100);
  assert.equal(call.stops, 1, 'speech barged in');
  await flush();
  assert.equal(recognizer.timersStarted, 1);
  recognizer.listener?.result(match('billing'));
  const result = await listening;
  assert.equal(result.kind, 'speech');
  assert.equal(result.kind === 'speech' && result.result.value, 'billing');
  assert.equal(call.tapStopped, 1);
  assert.equal(recognizer.cancelled, 1, 'the recognition is released whatever happened');
});

test('without barge-in, speech does not stop the prompt and the result waits for its end', async () => {
  const call = new FakeListeningCall();
  const recognizer = new FakeRecognizer();
  let settled = false;
  const listening = listenOnCall(call, { ...REQUEST, bargeIn: false }, recognizer, log).then((r) => {
    settled = true;
    return r;
  });
  await flush();
  recognizer.listener?.speechStart?.(100);
  recognizer.listener?.result(match('billing'));
  await flush();
  assert.equal(call.stops, 0);
  assert.equal(settled, false, 'the prompt is still playing');
  call.endPlay?.('finished');
  assert.equal((await listening).kind, 'speech');
});

test('a key ends listening: the recognition is cancelled and the keys collected as asked, or left queued', async () => {
  const call = new FakeListeningCall();
  const recognizer = new FakeRecognizer();
  const listening = listenOnCall(call, REQUEST, recognizer, log);
  await flush();
  call.press('2');
  assert.deepEqual(await listening, { kind: 'keys', keys: { digits: '2', reason: 'max-digits' } });
  assert.equal(recognizer.timersStarted, 0);
  assert.ok(recognizer.cancelled >= 1);

  const kept = new FakeListeningCall();
  const second = listenOnCall(kept, { ...REQUEST, keys: undefined }, new FakeRecognizer(), log);
  await flush();
  kept.press('0');
  assert.deepEqual(await second, { kind: 'keys' });
  assert.equal(kept.queued, '0', 'the key waits for whatever the flow does next (its escape key, a menu)');
});

test('a key pressed after the prompt, while waiting for speech, also ends listening', async () => {
  const call = new FakeListeningCall();
  const recognizer = new FakeRecognizer();
  const listening = listenOnCall(call, REQUEST, recognizer, log);
  await flush();
  call.endPlay?.('finished');
  await flush();
  assert.equal(recognizer.timersStarted, 1);
  call.press('1', false);
  assert.deepEqual(await listening, { kind: 'keys', keys: { digits: '1', reason: 'max-digits' } });
});

test('hangup, a failing engine, a refusing engine and no engine at all never reject', async () => {
  const call = new FakeListeningCall();
  const listening = listenOnCall(call, REQUEST, new FakeRecognizer(), log);
  await flush();
  call.hangUp();
  assert.deepEqual(await listening, { kind: 'hangup' });

  const failing = new FakeRecognizer();
  const failingCall = new FakeListeningCall();
  const second = listenOnCall(failingCall, REQUEST, failing, log);
  await flush();
  failing.listener?.error(new Error('worker died'));
  // The question is still heard to its end; the flow then asks with keys.
  failingCall.endPlay?.('finished');
  assert.deepEqual(await second, { kind: 'unavailable', reason: 'worker died' });

  const refusing = new FakeRecognizer();
  refusing.refuse = new Error('no decoder free');
  const refusedCall = new FakeListeningCall();
  assert.deepEqual(await listenOnCall(refusedCall, REQUEST, refusing, log), { kind: 'unavailable', reason: 'no decoder free' });
  assert.equal(refusedCall.tapStopped, 1, 'the tap is removed when the engine refuses');

  assert.deepEqual(await listenOnCall(new FakeListeningCall(), REQUEST, undefined, log), { kind: 'unavailable', reason: 'no speech recognizer is configured' });
});
