/**
 * Messages between RecognitionHost (main thread) and recognition-worker.ts. Everything here is plain data that the
 * structured clone carries; audio never travels in a message, it is read from the call's PcmRing.
 */
import type { ErrorCode } from '../../common/index.js';
import type { RecognitionGrammar } from './recognition-grammar.js';
import type { SoundSwallowerRecognizerOptions } from './soundswallower-recognizer.js';
import type { RecognitionHypothesis, RecognitionOptions, RecognitionResult } from './speech-recognizer.js';

export interface RecognitionWorkerData {
  recognizer: SoundSwallowerRecognizerOptions;
  pollIntervalMs: number;
}

export type HostToWorkerMessage =
  | { type: 'start'; id: number; grammar: RecognitionGrammar; ring: SharedArrayBuffer; options: RecognitionOptions; partials: boolean }
  | { type: 'start-timers'; id: number }
  | { type: 'cancel'; id: number };

/** Why a recognition ended without a result. */
export type RecognitionEndReason = 'audio-closed';

export type WorkerToHostMessage =
  | { type: 'ready' }
  | { type: 'load-failed'; code: ErrorCode | null; message: string }
  | { type: 'speech-start'; id: number; atMs: number }
  | { type: 'speech-end'; id: number; atMs: number }
  | { type: 'partial'; id: number; hypothesis: RecognitionHypothesis }
  | { type: 'result'; id: number; result: RecognitionResult }
  | { type: 'ended'; id: number; reason: RecognitionEndReason }
  | { type: 'error'; id: number; code: ErrorCode | null; message: string };
