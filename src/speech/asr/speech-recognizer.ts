/**
 * The engine-independent recognizer interface. A recognition is fed 8 kHz PCM16 on the media clock (one 20 ms
 * frame per pacer tick) and reports through its listener; nothing in it reads the wall clock, so the same audio
 * always gives the same events at the same frame.
 */
import type { EndpointerOptions } from './speech-endpointer.js';
import type { RecognitionGrammar } from './recognition-grammar.js';

export interface RecognitionOptions extends EndpointerOptions {
  /** Results below this confidence (0–1) come back as no-match. Engine default when omitted. */
  confidenceThreshold?: number;
  /** At most how many alternatives the result lists (1 = the best only); fewer when no other answer fits. Default 1. */
  nBest?: number;
  /** Partial results at most this often while the caller speaks; 0 turns them off. Default 200 ms. */
  partialIntervalMs?: number;
}

export interface RecognitionHypothesis {
  /** The answer value (option value, digit string, "yes"/"no", date, amount), null if the words carry none. */
  value: string | null;
  /** The words heard, carrier words included. */
  text: string;
  /** 0–1. */
  confidence: number;
  /** Canonical values of the `{slot}` placeholders in the option phrase heard ("42.50", "--03-03"). */
  slots?: Record<string, string>;
}

export type RecognitionStatus = 'match' | 'no-match' | 'no-input';

export interface RecognitionResult {
  status: RecognitionStatus;
  /** The best hypothesis's value when status is match, else null. */
  value: string | null;
  /** The best hypothesis's slot values when status is match and its option phrase has `{slot}`s. */
  slots?: Record<string, string>;
  text: string;
  confidence: number;
  /** Best first; the first entry is the best hypothesis even when it was rejected. Empty for no-input. */
  nBest: RecognitionHypothesis[];
  /** Times in ms of audio since the recognition started. */
  speechStartMs: number | null;
  speechEndMs: number | null;
  /** When the decision was taken (audio time): speech end plus the trailing silence waited for. */
  decidedAtMs: number;
  /** Whether the utterance ran into maxSpeechMs and was cut off. */
  truncated: boolean;
}

export interface RecognitionListener {
  /** The caller started speaking: the moment to stop a prompt (barge-in). */
  speechStart?(atMs: number): void;
  /** The caller stopped speaking (the decision follows in the same frame). */
  speechEnd?(atMs: number): void;
  partial?(hypothesis: RecognitionHypothesis): void;
  /** Exactly once per recognition that was not cancelled; status no-input is the no-input event. */
  result(result: RecognitionResult): void;
}

export interface Recognition {
  /** Feeds audio: 8 kHz PCM16 samples (a Buffer is read as little-endian). Any length; 20 ms frames expected. */
  feed(pcm: Int16Array | Uint8Array): void;
  /** Starts the no-input timer if the recognition was started with startTimers: false. */
  startTimers(): void;
  /** Stops without a result and returns the engine's resources. Idempotent. */
  cancel(): void;
  readonly finished: boolean;
}

export interface SpeechRecognizer {
  readonly name: string;
  /** The rate recognitions are fed at. */
  readonly sampleRate: number;
  /** Starts a recognition; throws SWB_ERR_ASR_GRAMMAR for a grammar it cannot compile, SWB_ERR_ASR_BUSY when full. */
  start(grammar: RecognitionGrammar, listener: RecognitionListener, options?: RecognitionOptions): Recognition;
  /** Releases every engine resource; recognitions in progress are cancelled. */
  close(): void;
}
