import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../common/index.js';
import { logger } from '../observability/index.js';
import { Prompt, type MediaCloseCause, type MediaSessionLike, type PlayItem, type PlaybackEndReason } from '../media/index.js';
import type { SipDialog } from '../sip/index.js';
import type { SynthesizedAudio, TtsProvider } from '../speech/index.js';
import { Call, CallState } from './call.js';
import { PromptLibrary } from './prompt-library.js';

/** The parts of a media session a Call uses, scripted: playback ends only when the test says so. */
class ScriptedMedia {
  played: PlayItem[][] = [];
  stops = 0;
  closed = false;
  private onDone: ((r: PlaybackEndReason) => void) | undefined;
  private dtmf: ((digit: string) => void) | undefined;
  private closeListener: ((cause: MediaCloseCause) => void) | undefined;
  play(items: readonly PlayItem[], options?: { onDone?: (r: PlaybackEndReason) => void }): void {
    this.played.push([...items]);
    this.onDone = options?.onDone;
  }
  stopPlayback(): void {
    this.stops++;
    this.finish('interrupted');
  }
  finish(reason: PlaybackEndReason): void {
    const done = this.onDone;
    this.onDone = undefined;
    done?.(reason);
  }
  onDtmf(listener: (digit: string) => void): () => void {
    this.dtmf = listener;
    return () => undefined;
  }
  onClose(listener: (cause: MediaCloseCause) => void): () => void {
    this.closeListener = listener;
    return () => undefined;
  }
  press(digit: string): void {
    this.dtmf?.(digit);
  }
  fail(): void {
    this.closeListener?.('failed');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const silentTts: TtsProvider = {
  name: 'silent',
  voices: () => ['v'],
  synthesize: async (): Promise<SynthesizedAudio> => ({ pcm: new Int16Array(1600), sampleRate: 8000 }),
};

function setUp(): { call: Call; media: ScriptedMedia; byes: number[] } {
  const media = new ScriptedMedia();
  const prompts = new PromptLibrary(silentTts, 'v');
  prompts.register('hello', Prompt.fromPcm(new Int16Array(8000), 8000, 'hello'));
  const call = new Call('c1', 'alice', 'demo', media as unknown as MediaSessionLike, prompts, new FakeClock(), logger('test.call'));
  const byes: number[] = [];
  call.answered({ bye: async () => { byes.push(1); } } as unknown as SipDialog);
  return { call, media, byes };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

test('a key stops a barge-in prompt and is the first key collected after it', async () => {
  const { call, media } = setUp();
  const outcome = call.play([{ kind: 'named', name: 'hello' }]);
  await flush();
  assert.equal(media.played.length, 1);
  media.press('5');
  assert.equal(await outcome, 'interrupted');
  assert.equal(media.stops, 1);
  assert.deepEqual(await call.collectDigits({ maxDigits: 1, firstDigitTimeoutMs: 1000 }), { digits: '5', reason: 'max-digits' });
});

test('a prompt without barge-in plays on through keys, which stay queued', async () => {
  const { call, media } = setUp();
  const outcome = call.play([{ kind: 'named', name: 'hello' }], { bargeIn: false });
  await flush();
  media.press('7');
  assert.equal(media.stops, 0);
  media.finish('finished');
  assert.equal(await outcome, 'finished');
  assert.deepEqual(await call.collectDigits({ maxDigits: 1, firstDigitTimeoutMs: 1000 }), { digits: '7', reason: 'max-digits' });
});

test('a key pressed before a barge-in prompt means the prompt is not played at all', async () => {
  const { call, media } = setUp();
  media.press('1');
  assert.equal(await call.play([{ kind: 'named', name: 'hello' }]), 'interrupted');
  assert.equal(media.played.length, 0);
});

test('the caller hanging up mid-prompt wakes the prompt and any collect with hangup, and closes media', async () => {
  const { call, media } = setUp();
  const outcome = call.play([{ kind: 'named', name: 'hello' }], { bargeIn: false });
  await flush();
  call.end('remote-bye');
  assert.equal(await outcome, 'hangup');
  assert.deepEqual(await call.collectDigits({ maxDigits: 1, firstDigitTimeoutMs: 1000 }), { digits: '', reason: 'hangup' });
  assert.equal(call.state, CallState.Ended);
  assert.equal(media.closed, true);
  assert.equal(await call.play([{ kind: 'named', name: 'hello' }]), 'hangup');
});

test('media that fails (its worker died) ends the call with a BYE, reason error', async () => {
  const { call, media, byes } = setUp();
  const reasons: string[] = [];
  call.onEnded((r) => reasons.push(r));
  media.fail();
  await flush();
  assert.deepEqual(reasons, ['error']);
  assert.equal(byes.length, 1);
});

test('the live call shows the activity its application last reported, and since when', () => {
  const { call } = setUp();
  assert.equal(call.info().activity, undefined);
  call.setActivity({ app: 'departments', step: 'main', type: 'menu' });
  const shown = call.info().activity;
  assert.deepEqual(shown && { app: shown.app, step: shown.step, type: shown.type }, { app: 'departments', step: 'main', type: 'menu' });
  assert.equal(typeof shown?.sinceMs, 'number');
  call.setActivity({ app: 'departments', step: 'route' });
  assert.equal(call.info().activity?.step, 'route');
});
