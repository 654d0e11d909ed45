import { PcmRing } from '../common/index.js';
import type { Logger } from '../observability/index.js';
import type { RecognitionGrammar, RecognitionListener, RecognitionOptions } from '../speech/index.js';
import type {
  CollectDigitsOptions, DigitResult, ListenRequest, ListenResult, PlayOptions, PlayOutcome, PromptSource,
} from './call-control.js';

/** A recognition running somewhere else (speech worker threads), reading the call's audio from a shared ring. */
export interface RunningRecognition {
  startTimers(): void;
  cancel(): void;
}

export interface CallRecognitionListener extends RecognitionListener {
  /** The engine failed this recognition (worker crash, grammar it cannot compile, no decoder free). */
  error(error: Error): void;
  /** The audio ring closed before a result. */
  ended(): void;
}

/** Where calls get speech recognition from: the app wires the speech layer's recognition host in. */
export interface CallSpeechRecognizer {
  recognize(grammar: RecognitionGrammar, ring: SharedArrayBuffer, listener: CallRecognitionListener, options: RecognitionOptions): RunningRecognition;
}

/** What listening needs of a call. */
export interface ListeningCall {
  readonly id: string;
  isEnded(): boolean;
  play(prompts: PromptSource[], options: PlayOptions): Promise<PlayOutcome>;
  collectDigits(options: CollectDigitsOptions): Promise<DigitResult>;
  hasQueuedKeys(): boolean;
  /** Calls back on each key pressed; returns the unsubscribe function. */
  onKey(listener: () => void): () => void;
  onEnded(listener: () => void): () => void;
  stopPlayback(): void;
  startAudioTap(ring: SharedArrayBuffer): void;
  stopAudioTap(): void;
}

/** Two seconds of caller audio: the speech worker reads every 20 ms, so this only fills if it stalls. */
const RING_SAMPLES = 16_000;

type Decision = ListenResult | { kind: 'key' };

/**
 * Plays the prompts while the caller's audio streams to a recognition. Speech or a key stops a barge-in-able
 * prompt; the no-input timer starts once the prompts end. A key ends listening (its keys are then collected as
 * the request says), so the flow's escape key works during speech input too. An engine that fails mid-prompt
 * lets the prompt finish (the caller still hears the question) and the result says 'unavailable'.
 */
export async function listenOnCall(call: ListeningCall, request: ListenRequest, recognizer: CallSpeechRecognizer | undefined, log: Logger): Promise<ListenResult> {
  if (!recognizer) return { kind: 'unavailable', reason: 'no speech recognizer is configured' };
  if (call.isEnded()) return { kind: 'hangup' };
  const bargeIn = request.bargeIn ?? true;
  const ring = PcmRing.create(RING_SAMPLES);
  try {
    call.startAudioTap(ring.buffer);
  } catch (e) {
    return { kind: 'unavailable', reason: `caller audio cannot be tapped: ${(e as Error).message}` };
  }
  let decision: Decision | undefined;
  let decide: (d: Decision) => void = () => undefined;
  const decided = new Promise<Decision>((resolve) => {
    decide = (d) => {
      if (decision) return;
      decision = d;
      resolve(d);
    };
  });
  let playing = true;
  let recognition: RunningRecognition | undefined;
  const offKey = call.onKey(() => decide({ kind: 'key' }));
  const offEnded = call.onEnded(() => decide({ kind: 'hangup' }));
  try {
    recognition = startRecognition(recognizer, request, ring, {
      speechStart: () => {
        if (playing && bargeIn) call.stopPlayback();
      },
      result: (result) => decide({ kind: 'speech', result }),
      error: (error) => {
        log.error({ callId: call.id, err: error }, 'speech recognition failed; asking with keys');
        decide({ kind: 'unavailable', reason: error.message });
      },
      ended: () => decide({ kind: 'hangup' }),
    });
    if (!recognition) return decision?.kind === 'unavailable' ? decision : { kind: 'unavailable', reason: 'no recognizer could start' };
    if (call.hasQueuedKeys()) decide({ kind: 'key' });
    const played = decision ? 'interrupted' : await call.play(request.prompts, { bargeIn });
    playing = false;
    if (played === 'hangup') decide({ kind: 'hangup' });
    else if (call.hasQueuedKeys()) decide({ kind: 'key' });
    else recognition.startTimers();
    const first = await decided;
    if (first.kind !== 'key') return first;
    recognition.cancel();
    return request.keys ? { kind: 'keys', keys: await call.collectDigits(request.keys) } : { kind: 'keys' };
  } finally {
    offKey();
    offEnded();
    recognition?.cancel();
    call.stopAudioTap();
  }
}

/** The recognizer may refuse at once (no decoder free, a grammar it cannot compile): the caller then gets keys. */
function startRecognition(
  recognizer: CallSpeechRecognizer, request: ListenRequest, ring: PcmRing, listener: CallRecognitionListener,
): RunningRecognition | undefined {
  try {
    return recognizer.recognize(request.grammar, ring.buffer, listener, { ...request.recognition, startTimers: false });
  } catch (e) {
    listener.error(e as Error);
    return undefined;
  }
}
