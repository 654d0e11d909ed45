import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../common/index.js';
import { logger } from '../observability/index.js';
import type { SipDialog } from '../sip/index.js';
import type { SynthesizedAudio, TtsProvider } from '../speech/index.js';
import { Call } from './call.js';
import { PromptLibrary } from './prompt-library.js';
import { ScriptedMedia } from './scripted-media.js';

const silentTts: TtsProvider = {
  name: 'silent',
  voices: () => ['v'],
  synthesize: async (): Promise<SynthesizedAudio> => ({ pcm: new Int16Array(160), sampleRate: 8000 }),
};

function setUp(): { call: Call; media: ScriptedMedia; clock: FakeClock } {
  const media = new ScriptedMedia();
  const clock = new FakeClock();
  const call = new Call('c1', 'alice', 'vm', media, new PromptLibrary(silentTts, 'v'), clock, logger('test.call'));
  call.answered({ bye: async () => undefined } as unknown as SipDialog);
  return { call, media, clock };
}

/** Collects what is in the digit buffer now (the collect times out at once on the fake clock). */
async function queuedKeys(call: Call, clock: FakeClock): Promise<string> {
  const r = call.collectDigits({ maxDigits: 10, firstDigitTimeoutMs: 1 });
  clock.advance(1);
  return (await r).digits;
}

test('record passes the limits to the recorder and resolves with its result once the file is done', async () => {
  const { call, media } = setUp();
  const result = call.record({ path: '/tmp/vm-1.wav', maxDurationMs: 60_000, endOnSilenceMs: 3000, endOnDigits: '#' });
  assert.equal(media.recording?.path, '/tmp/vm-1.wav');
  assert.equal(media.recording?.maxDurationMs, 60_000);
  assert.equal(media.recording?.endOnSilenceMs, 3000);
  assert.equal(media.recording?.endOnDigits, '#');
  media.finishRecording({ reason: 'silence', durationMs: 4200, path: '/tmp/vm-1.wav' });
  assert.deepEqual(await result, { reason: 'silence', durationMs: 4200, path: '/tmp/vm-1.wav' });
});

test('the key that ends a recording is not left for the next menu; other keys are', async () => {
  const { call, media, clock } = setUp();
  const result = call.record({ path: '/tmp/vm-2.wav', maxDurationMs: 60_000, endOnDigits: '#*' });
  media.press('5');
  media.press('#');
  media.press('7');
  assert.deepEqual(await result, { reason: 'digit', durationMs: 1000, path: '/tmp/vm-2.wav', digit: '#' });
  assert.equal(await queuedKeys(call, clock), '57');
});

test('an end key pressed as the recording ended otherwise is an ordinary key press', async () => {
  const { call, media, clock } = setUp();
  const result = call.record({ path: '/tmp/vm-3.wav', maxDurationMs: 5000, endOnDigits: '#' });
  media.finishRecording({ reason: 'max-duration', durationMs: 5000, path: '/tmp/vm-3.wav' });
  media.press('#');
  assert.equal((await result).reason, 'max-duration');
  assert.equal(await queuedKeys(call, clock), '#');
});

test('the caller hanging up mid-recording: the session close finishes the file, reason hangup', async () => {
  const { call, media } = setUp();
  const result = call.record({ path: '/tmp/vm-4.wav', maxDurationMs: 60_000, endOnDigits: '#' });
  call.end('remote-bye');
  assert.equal(media.closed, true);
  assert.deepEqual(await result, { reason: 'hangup', durationMs: 2000, path: '/tmp/vm-4.wav' });
});

test('recording on an ended call, or twice at once, does not start the recorder', async () => {
  const { call, media } = setUp();
  const first = call.record({ path: '/tmp/vm-5.wav', maxDurationMs: 1000 });
  assert.equal((await call.record({ path: '/tmp/vm-6.wav', maxDurationMs: 1000 })).reason, 'error');
  assert.equal(media.recording?.path, '/tmp/vm-5.wav');
  call.end('remote-bye');
  assert.equal((await first).reason, 'hangup');
  assert.deepEqual(await call.record({ path: '/tmp/vm-7.wav', maxDurationMs: 1000 }), { reason: 'hangup', durationMs: 0, path: '/tmp/vm-7.wav' });
});

test('a recorder that refuses to start gives reason error', async () => {
  const { call, media } = setUp();
  media.startRecording({ path: '/tmp/other.wav', maxDurationMs: 1000, onDone: () => undefined });
  assert.equal((await call.record({ path: '/tmp/vm-8.wav', maxDurationMs: 1000 })).reason, 'error');
});
