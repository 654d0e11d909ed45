import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../common/index.js';
import { logger } from '../observability/index.js';
import { Prompt, type MediaCloseCause, type MediaSessionLike, type PlayItem, type PlaybackEndReason } from '../media/index.js';
import type { SipDialog } from '../sip/index.js';
import type { SynthesizedAudio, TtsProvider } from '../speech/index.js';
import { Call, CallState } from './call.js';
import { PromptLibrary } from './prompt-library.js';
import { ScriptedMedia as QueuedMedia } from './scripted-media.js';

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

/** Synthesis the test finishes by hand, one text at a time, in any order. */
class HandTts implements TtsProvider {
  readonly name = 'hand';
  readonly requested: string[] = [];
  private readonly pending = new Map<string, { resolve: (a: SynthesizedAudio) => void; reject: (e: Error) => void }>();
  voices(): string[] {
    return ['v'];
  }
  synthesize(text: string): Promise<SynthesizedAudio> {
    this.requested.push(text);
    return new Promise((resolve, reject) => this.pending.set(text, { resolve, reject }));
  }
  finish(text: string): void {
    this.take(text).resolve({ pcm: new Int16Array(80 * text.length), sampleRate: 8000 });
  }
  fail(text: string): void {
    this.take(text).reject(new Error(`cannot say ${text}`));
  }
  private take(text: string): { resolve: (a: SynthesizedAudio) => void; reject: (e: Error) => void } {
    const p = this.pending.get(text);
    if (!p) throw new Error(`no synthesis pending for ${text}`);
    this.pending.delete(text);
    return p;
  }
}

const S1 = 'Hello Alice.';
const S2 = 'Your balance is twelve dollars.';
const S3 = 'Your last payment was on Monday.';
const LONG = `${S1} ${S2} ${S3}`;

function setUpStreaming(): { call: Call; media: QueuedMedia; tts: HandTts; prompts: PromptLibrary } {
  const media = new QueuedMedia();
  const tts = new HandTts();
  const prompts = new PromptLibrary(tts, 'v');
  prompts.register('hello', Prompt.fromPcm(new Int16Array(8000), 8000, 'hello'));
  const call = new Call('c2', 'alice', 'demo', media, prompts, new FakeClock(), logger('test.call'));
  call.answered({ bye: async () => undefined } as unknown as SipDialog);
  return { call, media, tts, prompts };
}

/** The prompt names (or silence) of every play request, in order. */
function playedNames(media: QueuedMedia): string[][] {
  return media.played.map((items) => items.map((i) => (i.kind === 'prompt' ? i.prompt.name : `silence ${i.durationMs}`)));
}

function settledState<T>(p: Promise<T>): { value: T | undefined; error: unknown; done: boolean } {
  const state: { value: T | undefined; error: unknown; done: boolean } = { value: undefined, error: undefined, done: false };
  p.then((v) => { state.value = v; state.done = true; }, (e: unknown) => { state.error = e; state.done = true; });
  return state;
}

test('an uncached prompt starts playing after its first sentence and queues the rest in order as they are ready', async () => {
  const { call, media, tts } = setUpStreaming();
  const outcome = settledState(call.play([{ kind: 'named', name: 'hello' }, { kind: 'tts', text: LONG }, { kind: 'silence', durationMs: 200 }]));
  await flush();
  assert.deepEqual(tts.requested, [S1, S2, S3], 'every sentence is synthesizing from the start');
  assert.deepEqual(playedNames(media), [['hello']], 'the named prompt does not wait for any synthesis');
  tts.finish(S1);
  await flush();
  assert.deepEqual(playedNames(media), [['hello'], [S1]], 'the first sentence is queued while the others are synthesizing');
  tts.finish(S3);
  await flush();
  assert.equal(media.played.length, 2, 'the third sentence waits for the second');
  tts.finish(S2);
  await flush();
  assert.deepEqual(playedNames(media), [['hello'], [S1], [S2, S3, 'silence 200']]);
  media.finishPlay();
  media.finishPlay();
  await flush();
  assert.equal(outcome.done, false, 'not finished while the last request plays');
  media.finishPlay();
  await flush();
  assert.equal(outcome.value, 'finished');
});

test('the same dynamic text again, and a whole text rendered ahead, play from the cache', async () => {
  const { call, media, tts, prompts } = setUpStreaming();
  const first = call.play([{ kind: 'tts', text: LONG }]);
  tts.finish(S1);
  tts.finish(S2);
  tts.finish(S3);
  await flush();
  while (media.playing > 0) media.finishPlay();
  assert.equal(await first, 'finished');
  media.played.length = 0;
  assert.equal(await settledAfterPlaying(media, call.play([{ kind: 'tts', text: LONG }])), 'finished');
  assert.deepEqual(tts.requested, [S1, S2, S3], 'no synthesis the second time');
  assert.deepEqual(playedNames(media).flat(), [S1, S2, S3]);

  const statics = `Welcome to Acme. ${S2}`;
  const rendering = prompts.speech(statics);
  tts.finish(statics);
  await rendering;
  media.played.length = 0;
  assert.equal(await settledAfterPlaying(media, call.play([{ kind: 'tts', text: statics }])), 'finished');
  assert.deepEqual(playedNames(media), [[statics]], 'a text cached whole is played whole, not split');
  assert.equal(tts.requested.length, 4);
});

async function settledAfterPlaying<T>(media: QueuedMedia, outcome: Promise<T>): Promise<T> {
  await flush();
  while (media.playing > 0) media.finishPlay();
  return outcome;
}

test('a key during the first sentence stops the play; later sentences are never queued', async () => {
  const { call, media, tts } = setUpStreaming();
  const outcome = call.play([{ kind: 'tts', text: LONG }]);
  tts.finish(S1);
  await flush();
  assert.equal(media.played.length, 1);
  media.press('3');
  assert.equal(media.stops, 1);
  assert.equal(await outcome, 'interrupted');
  tts.finish(S2);
  tts.finish(S3);
  await flush();
  assert.deepEqual(playedNames(media), [[S1]]);
  assert.deepEqual(await call.collectDigits({ maxDigits: 1, firstDigitTimeoutMs: 1000 }), { digits: '3', reason: 'max-digits' });
});

test('a key while the line waits for the next sentence ends the play at once', async () => {
  const { call, media, tts } = setUpStreaming();
  const outcome = settledState(call.play([{ kind: 'tts', text: LONG }]));
  tts.finish(S1);
  await flush();
  media.finishPlay();
  await flush();
  assert.equal(outcome.done, false, 'the first sentence ended, the rest is still coming');
  media.press('9');
  await flush();
  assert.equal(outcome.value, 'interrupted');
  tts.finish(S2);
  tts.finish(S3);
  await flush();
  assert.equal(media.played.length, 1);
});

test('a key pressed while the first sentence is synthesized means nothing is played', async () => {
  const { call, media, tts } = setUpStreaming();
  const outcome = call.play([{ kind: 'tts', text: LONG }]);
  media.press('1');
  tts.finish(S1);
  assert.equal(await outcome, 'interrupted');
  await flush();
  assert.equal(media.played.length, 0);
});

test('a hangup mid-way resolves hangup and queues nothing more', async () => {
  const { call, media, tts } = setUpStreaming();
  const outcome = call.play([{ kind: 'tts', text: LONG }], { bargeIn: false });
  tts.finish(S1);
  await flush();
  call.end('remote-bye');
  assert.equal(await outcome, 'hangup');
  tts.finish(S2);
  tts.finish(S3);
  await flush();
  assert.deepEqual(playedNames(media), [[S1]]);
  assert.equal(media.closed, true);
});

test('a later sentence failing to synthesize: the part queued plays out, nothing after it, then the play rejects', async () => {
  const { call, media, tts } = setUpStreaming();
  const outcome = settledState(call.play([{ kind: 'tts', text: LONG }]));
  tts.finish(S1);
  await flush();
  tts.fail(S2);
  tts.finish(S3);
  await flush();
  assert.deepEqual(playedNames(media), [[S1]]);
  assert.equal(outcome.done, false, 'the first sentence is still playing');
  media.finishPlay();
  await flush();
  assert.match(String(outcome.error), /cannot say Your balance/);
  assert.equal(media.stops, 0);
});

test('the first sentence failing: nothing is played and the play rejects, as when nothing could be rendered', async () => {
  const { call, media, tts } = setUpStreaming();
  const outcome = call.play([{ kind: 'tts', text: LONG }]);
  tts.finish(S2);
  tts.fail(S1);
  await assert.rejects(outcome, /cannot say Hello Alice/);
  assert.equal(media.played.length, 0);
  await assert.rejects(call.play([{ kind: 'tts', text: 'Hi.' }, { kind: 'named', name: 'nope' }]), /unknown prompt "nope"/);
  assert.deepEqual(tts.requested, [S1, S2, S3], 'an unknown name fails before any synthesis starts');
});
