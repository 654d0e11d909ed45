/**
 * Runs test cases through a recognizer the way a call would: 20 ms frames on the media clock, then measures
 * routing accuracy, false accepts, compute per second of audio and the delay from end of speech to decision.
 */
import type {
  OptionsGrammar, RecognitionGrammar, RecognitionOptions, RecognitionResult, SpeechRecognizer,
} from '../../src/speech/asr/index.js';
import { SAMPLE_RATE, type Clip } from './telephone-audio.js';
import type { CaseKind, TestCase } from './test-set.js';

const FRAME = 160;
/** Digital silence fed after a clip so that every recognition reaches a decision. */
const FLUSH_MS = 4000;

export interface CaseOutcome {
  id: string;
  kind: CaseKind;
  /** Synthesizer and voice, e.g. "flite/slt", "espeak/en-gb". */
  voice: string;
  text: string;
  expect: string | null;
  status: RecognitionResult['status'] | 'none';
  value: string | null;
  heard: string;
  confidence: number;
  /** Best hypothesis's value even when rejected (for threshold sweeps). */
  bestValue: string | null;
  /** Audio time from the true end of speech to the decision, plus the compute time of the deciding frame. */
  latencyMs: number | null;
  audioMs: number;
  computeMs: number;
}

/** What feeding one clip produced: the result (null if none came before the flush ran out) and the compute spent. */
export interface ClipRecognition {
  result: RecognitionResult | null;
  /** 20 ms frames fed, flush included. */
  frames: number;
  computeMs: number;
  /** Compute time of the last frame fed, the one the decision came in. */
  decidingFrameMs: number;
}

/** Feeds a clip in 20 ms frames, then digital silence, until the recognition decides. */
export function recognizeClip(
  recognizer: SpeechRecognizer, grammar: RecognitionGrammar, clip: Clip, options: RecognitionOptions = {},
): ClipRecognition {
  const silence = new Int16Array(FRAME);
  const frame = new Int16Array(FRAME);
  let result: RecognitionResult | null = null;
  const recognition = recognizer.start(grammar, { result: (r) => { result = r; } }, { noInputTimeoutMs: 3000, ...options });
  let computeMs = 0;
  let decidingFrameMs = 0;
  let frames = 0;
  const totalFrames = Math.ceil(clip.pcm.length / FRAME) + FLUSH_MS / 20;
  while (result === null && frames < totalFrames) {
    const offset = frames * FRAME;
    let input = silence;
    if (offset < clip.pcm.length) {
      frame.fill(0);
      frame.set(clip.pcm.subarray(offset, Math.min(offset + FRAME, clip.pcm.length)));
      input = frame;
    }
    const t0 = performance.now();
    recognition.feed(input);
    const dt = performance.now() - t0;
    computeMs += dt;
    decidingFrameMs = dt;
    frames++;
  }
  if (!recognition.finished) recognition.cancel();
  return { result: result as RecognitionResult | null, frames, computeMs, decidingFrameMs };
}

export function evaluate(
  recognizer: SpeechRecognizer, grammar: OptionsGrammar, cases: TestCase[], clips: Clip[], options: RecognitionOptions = {},
): CaseOutcome[] {
  const outcomes: CaseOutcome[] = [];
  for (const [i, c] of cases.entries()) {
    const clip = clips[i];
    const { result: r, frames, computeMs, decidingFrameMs } = recognizeClip(recognizer, grammar, clip, options);
    const speechEndMs = clip.speechEnd >= 0 ? (clip.speechEnd / SAMPLE_RATE) * 1000 : null;
    outcomes.push({
      id: c.id,
      kind: c.kind,
      voice: `${c.spec.engine ?? 'espeak'}/${c.spec.voice ?? '-'}`,
      text: c.spec.text ?? `${c.kind} ${c.spec.noiseMs} ms`,
      expect: c.expect,
      status: r?.status ?? 'none',
      value: r?.value ?? null,
      heard: r?.text ?? '',
      confidence: r?.confidence ?? 0,
      bestValue: r?.nBest[0]?.value ?? null,
      latencyMs: r && r.status !== 'no-input' && speechEndMs !== null ? r.decidedAtMs - speechEndMs + decidingFrameMs : null,
      audioMs: frames * 20,
      computeMs,
    });
  }
  return outcomes;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface AccuracySummary {
  inGrammar: number;
  correct: number;
  misrouted: number;
  falselyRejected: number;
  routingAccuracy: number;
  outOfGrammar: number;
  falseAccepts: number;
  falseAcceptRate: number;
  byKind: Record<string, { cases: number; accepted: number; correct: number }>;
}

/** Accuracy at a confidence threshold (outcomes carry the unthresholded best value and confidence). */
export function summarize(outcomes: CaseOutcome[], threshold: number): AccuracySummary {
  const accepted = (o: CaseOutcome): string | null => (o.bestValue !== null && o.status !== 'no-input' && o.confidence >= threshold ? o.bestValue : null);
  const inG = outcomes.filter((o) => o.expect !== null);
  const oog = outcomes.filter((o) => o.expect === null);
  const correct = inG.filter((o) => accepted(o) === o.expect).length;
  const misrouted = inG.filter((o) => accepted(o) !== null && accepted(o) !== o.expect).length;
  const falseAccepts = oog.filter((o) => accepted(o) !== null).length;
  const byKind: AccuracySummary['byKind'] = {};
  for (const o of outcomes) {
    const k = (byKind[o.kind] ??= { cases: 0, accepted: 0, correct: 0 });
    k.cases++;
    if (accepted(o) !== null) k.accepted++;
    if (accepted(o) === o.expect) k.correct++;
  }
  return {
    inGrammar: inG.length,
    correct,
    misrouted,
    falselyRejected: inG.length - correct - misrouted,
    routingAccuracy: inG.length ? correct / inG.length : NaN,
    outOfGrammar: oog.length,
    falseAccepts,
    falseAcceptRate: oog.length ? falseAccepts / oog.length : NaN,
    byKind,
  };
}
