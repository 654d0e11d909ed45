import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, PcmRing } from '../common/index.js';
import { logger } from '../observability/index.js';
import { Prompt, type MediaSessionLike, type PlayItem, type PlaybackEndReason } from '../media/index.js';
import type { SipDialog } from '../sip/index.js';
import type { RecognitionOptions, RecognitionResult, SynthesizedAudio, TtsProvider } from '../speech/index.js';
import type { ListenRequest } from './call-control.js';
import type { CallRecognitionListener, CallSpeechRecognizer } from './call-listen.js';
import { Call } from './call.js';
import { PromptLibrary } from './prompt-library.js';

/** The media a listening call uses: playback the test ends, keys the test presses, a tap it can write into. */
class TapMedia {
  onDone: ((r: PlaybackEndReason) => void) | undefined;
  played: PlayItem[][] = [];
  stops = 0;
  ring: PcmRing | undefined;
  tapStops = 0;
  private dtmf: ((digit: string) => void) | undefined;
  play(items: readonly PlayItem[], options?: { onDone?: (r: PlaybackEndReason) => void }): void {
    this.played.push([...items]);
    this.onDone = options?.onDone;
  }
  stopPlayback(): void {
    this.stops++;
    const done = this.onDone;
    this.onDone = undefined;
    done?.('interrupted');
  }
  onDtmf(listener: (digit: string) => void): () => void {
    this.dtmf = listener;
    return () => undefined;
  }
  onClose(): () => void {
    return () => undefined;
  }
  startAudioTap(ring: SharedArrayBuffer): void {
    this.ring = new PcmRing(ring);
  }
  stopAudioTap(): void {
    this.tapStops++;
    this.ring?.close();
  }
  press(digit: string): void {
    this.dtmf?.(digit);
  }
  async close(): Promise<void> {}
}

class RingReadingRecognizer implements CallSpeechRecognizer {
  listener: CallRecognitionListener | undefined;
  ring: PcmRing | undefined;
  options: RecognitionOptions | undefined;
  timers = 0;
  recognize(_grammar: unknown, ring: SharedArrayBuffer, listener: CallRecognitionListener, options: RecognitionOptions) {
    this.listener = listener;
    this.options = options;
    this.ring = new PcmRing(ring);
    return { startTimers: () => { this.timers++; }, cancel: () => undefined };
  }
}

const tts: TtsProvider = {
  name: 'silent',
  voices: () => ['v'],
  synthesize: async (): Promise<SynthesizedAudio> => ({ pcm: new Int16Array(1600), sampleRate: 8000 }),
};

const REQUEST: ListenRequest = {
  prompts: [{ kind: 'named', name: 'question' }],
  grammar: { kind: 'options', options: [{ value: 'billing' }, { value: 'sales' }] },
  recognition: { noInputTimeoutMs: 3000 },
  keys: { maxDigits: 1, firstDigitTimeoutMs: 1000 },
};

function setUp(speech?: CallSpeechRecognizer): { call: Call; media: TapMedia } {
  const media = new TapMedia();
  const prompts = new PromptLibrary(tts, 'v');
  prompts.register('question', Prompt.fromPcm(new Int16Array(8000), 8000, 'question'));
  const call = new Call('c9', 'alice', 'demo', media as unknown as MediaSessionLike, prompts, new FakeClock(), logger('test.call'), undefined, speech);
  call.answered({ bye: async () => undefined } as unknown as SipDialog);
  return { call, media };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

test('listen: the recognizer reads the ring the media writes; speech stops the prompt; the result comes back', async () => {
  const recognizer = new RingReadingRecognizer();
  const { call, media } = setUp(recognizer);
  const listening = call.listen(REQUEST);
  await flush();
  assert.ok(media.ring && recognizer.ring, 'the media was tapped and the recognizer given the ring');
  media.ring.write(Int16Array.from([5, -5, 7]));
  const heard = new Int16Array(3);
  assert.equal(recognizer.ring.read(heard), 3);
  assert.deepEqual([...heard], [5, -5, 7], 'what the media writes is what the recognizer reads');
  assert.equal(media.played.length, 1, 'the question plays while listening');
  recognizer.listener?.speechStart?.(120);
  assert.equal(media.stops, 1, 'speech barged in');
  await flush();
  assert.equal(recognizer.timers, 1, 'no-input counts from the end of the prompt');
  const result: RecognitionResult = {
    status: 'match', value: 'sales', text: 'sales please', confidence: 0.8, nBest: [], speechStartMs: 120, speechEndMs: 600, decidedAtMs: 750, truncated: false,
  };
  recognizer.listener?.result(result);
  assert.deepEqual(await listening, { kind: 'speech', result });
  assert.equal(media.tapStops, 1);
  assert.equal(media.ring.closed, true, 'the ring is closed once listening is over');
});

test('listen: a key during the question ends listening and is collected as the request says', async () => {
  const recognizer = new RingReadingRecognizer();
  const { call, media } = setUp(recognizer);
  const listening = call.listen(REQUEST);
  await flush();
  media.press('3');
  assert.deepEqual(await listening, { kind: 'keys', keys: { digits: '3', reason: 'max-digits' } });
  assert.equal(media.tapStops, 1);
});

test('listen without a recognizer: unavailable, nothing played, so the flow asks with keys', async () => {
  const { call, media } = setUp();
  assert.deepEqual(await call.listen(REQUEST), { kind: 'unavailable', reason: 'no speech recognizer is configured' });
  assert.equal(media.played.length, 0);
  assert.equal(media.ring, undefined);
});
