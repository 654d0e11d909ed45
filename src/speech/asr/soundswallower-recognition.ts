/**
 * One recognition on a pooled decoder. Audio before speech only goes through the VAD (and a short pre-roll ring),
 * so a recognition listening through a long prompt costs almost nothing until the caller speaks; at speech start
 * the pre-roll is decoded first so the word onset the VAD needed to see is not lost.
 */
import { SwitchboardError } from '../../common/index.js';
import type { CompiledGrammar } from './compiled-grammar.js';
import type { GrammarCompiler } from './grammar-compiler.js';
import type { SoundSwallowerDecoder } from './soundswallower-decoder.js';
import type { VoiceActivityDetector } from './soundswallower-vad.js';
import { FRAME_MS, SpeechEndpointer, type EndpointerEvent } from './speech-endpointer.js';
import type {
  Recognition, RecognitionHypothesis, RecognitionListener, RecognitionOptions, RecognitionResult,
} from './speech-recognizer.js';

/**
 * Confidence is the logistic of the hypothesis's path score minus a free phone loop's, per 10 ms of speech (how
 * much worse the grammar explains the audio than any phones could), less `garbageWeight` times the share of the
 * hypothesis's word time spent in garbage phones. `midpoint` maps to 0.5, `scale` sets the slope (score units: the
 * engine's log base 1.0001, scaled). Calibrated on bench:speech.
 *
 * The garbage share is there because the path score alone does not see it: a phone as a one-phone word fits the
 * audio about as well as the reference's phone loop does, so "what is the weather like tomorrow" heard as garbage +
 * "my purchase now" scored as well as a real answer. An utterance mostly made of garbage is mostly unexplained.
 */
export interface ConfidenceCalibration {
  midpoint: number;
  scale: number;
  garbageWeight: number;
}

export const DEFAULT_CONFIDENCE_CALIBRATION: ConfidenceCalibration = { midpoint: -2.5, scale: 3, garbageWeight: 20 };

/** What a recognition borrows from the pool. */
export interface RecognitionSlot {
  decoder: SoundSwallowerDecoder;
  /** Decodes the same audio with a free phone loop, the yardstick for confidence. */
  reference: SoundSwallowerDecoder;
  vad: VoiceActivityDetector;
  /** Ring of the most recent frames before speech. */
  preRoll: Int16Array;
  /** The utterance as decoded, for N-best re-decoding. */
  utterance: Int16Array;
  readonly currentGrammar: string | null;
  /** Puts both decoders' feature normalization back to its initial state (see SoundSwallowerDecoder.resetFeatures). */
  reset(): void;
  delete(): void;
}

export class SoundSwallowerRecognition implements Recognition {
  private readonly frame: Int16Array;
  private filled = 0;
  private readonly endpointer: SpeechEndpointer;
  private preRollFrames = 0;
  private utteranceSamples = 0;
  private decoding = false;
  private done = false;
  private framesSincePartial = 0;
  private lastPartial = '';
  private referenceScore = 0;
  private readonly partialEveryFrames: number;
  /**
   * Whether the words so far are an answer that cannot go on, which ends the utterance after the short trailing
   * silence (RFC 6787 §9.4.15). A digit string shorter than its maximum can: callers pause between groups of digits
   * ("four one seven … two two"), so it waits for the longer incomplete timeout, like any answer still open. So can
   * dates and amounts ("forty two … dollars fifty", "March … the third"), alone or as an option's `{slot}`.
   */
  private readonly isComplete = (): boolean => {
    const { value } = this.interpretHyp();
    if (value === null) return false;
    const g = this.grammar.grammar;
    if (g.kind === 'digits') return value.length >= g.maxLength;
    if (g.kind === 'options') return g.slots === undefined || Object.keys(g.slots).length === 0;
    return g.kind === 'yes-no';
  };

  constructor(
    private readonly slot: RecognitionSlot,
    private readonly grammar: CompiledGrammar,
    private readonly compiler: GrammarCompiler,
    private readonly calibration: ConfidenceCalibration,
    private readonly listener: RecognitionListener,
    private readonly options: RecognitionOptions,
    private readonly onRelease: (r: SoundSwallowerRecognition) => void,
  ) {
    this.frame = new Int16Array(slot.vad.frameSamples);
    this.endpointer = new SpeechEndpointer(options, slot.vad.lagFrames);
    const interval = options.partialIntervalMs ?? 200;
    this.partialEveryFrames = interval > 0 ? Math.max(1, Math.round(interval / FRAME_MS)) : 0;
  }

  get finished(): boolean {
    return this.done;
  }

  feed(pcm: Int16Array | Uint8Array): void {
    if (this.done) return;
    const frame = this.frame;
    if (pcm instanceof Int16Array) {
      for (let i = 0; i < pcm.length && !this.done; i++) {
        frame[this.filled++] = pcm[i];
        if (this.filled === frame.length) this.onFrame();
      }
    } else {
      if (pcm.length % 2 !== 0) throw new SwitchboardError('SWB_ERR_ASR_STATE', `PCM16 input has an odd byte count (${pcm.length})`);
      for (let i = 0; i < pcm.length && !this.done; i += 2) {
        frame[this.filled++] = ((pcm[i] | (pcm[i + 1] << 8)) << 16) >> 16;
        if (this.filled === frame.length) this.onFrame();
      }
    }
  }

  startTimers(): void {
    this.endpointer.startTimers();
  }

  cancel(): void {
    if (this.done) return;
    this.release();
  }

  private onFrame(): void {
    this.filled = 0;
    const inSpeech = this.slot.vad.process(this.frame);
    const before = this.endpointer.state;
    if (before === 'waiting') this.keepPreRoll();
    else this.decode(this.frame, 0, this.frame.length);
    const event = this.endpointer.frame(inSpeech, this.isComplete);
    if (event !== null) this.onEvent(event);
    else if (this.decoding && this.partialEveryFrames > 0 && ++this.framesSincePartial >= this.partialEveryFrames) this.emitPartial();
  }

  private onEvent(event: EndpointerEvent): void {
    switch (event) {
      case 'speech-start':
        this.slot.decoder.start();
        this.slot.reference.start();
        this.decoding = true;
        this.decodePreRoll();
        this.listener.speechStart?.(this.endpointer.speechStartFrame * FRAME_MS);
        return;
      case 'speech-end':
      case 'max-speech':
        this.listener.speechEnd?.(this.endpointer.speechEndFrame * FRAME_MS);
        this.finish(event === 'max-speech');
        return;
      case 'no-input':
        this.deliver({
          status: 'no-input', value: null, text: '', confidence: 0, nBest: [], speechStartMs: null, speechEndMs: null,
          decidedAtMs: this.endpointer.frameCount * FRAME_MS, truncated: false,
        });
    }
  }

  private keepPreRoll(): void {
    const ring = this.slot.preRoll;
    const n = this.frame.length;
    const capacity = ring.length / n;
    ring.set(this.frame, (this.preRollFrames % capacity) * n);
    this.preRollFrames++;
  }

  private decodePreRoll(): void {
    const ring = this.slot.preRoll;
    const n = this.frame.length;
    const capacity = ring.length / n;
    const count = Math.min(this.preRollFrames, capacity);
    for (let i = this.preRollFrames - count; i < this.preRollFrames; i++) this.decode(ring, (i % capacity) * n, n);
  }

  private decode(pcm: Int16Array, offset: number, length: number): void {
    this.slot.decoder.process(pcm, offset, length);
    this.slot.reference.process(pcm, offset, length);
    const buffer = this.slot.utterance;
    if (this.utteranceSamples + length <= buffer.length) {
      for (let i = 0; i < length; i++) buffer[this.utteranceSamples + i] = pcm[offset + i];
    }
    this.utteranceSamples += length;
  }

  private interpretHyp(): ReturnType<CompiledGrammar['interpret']> {
    const text = this.slot.decoder.hypothesis().text;
    return this.grammar.interpret(text === '' ? [] : text.split(' '));
  }

  private emitPartial(): void {
    this.framesSincePartial = 0;
    if (!this.listener.partial) return;
    const interpretation = this.interpretHyp();
    if (interpretation.text === this.lastPartial) return;
    this.lastPartial = interpretation.text;
    // Posteriors come from the lattice, which exists only once the utterance ends: partials carry none.
    const { value, text, slots } = interpretation;
    this.listener.partial({ value, text, confidence: 0, ...(slots ? { slots } : {}) });
  }

  private finish(truncated: boolean): void {
    const decoder = this.slot.decoder;
    decoder.finish();
    this.slot.reference.finish();
    this.decoding = false;
    this.referenceScore = this.slot.reference.hypothesis().score;
    const best = this.hypothesisOf(decoder.hypothesis());
    const nBest = [best];
    const wanted = this.options.nBest ?? 1;
    if (wanted > 1 && best.option !== undefined && this.utteranceSamples <= this.slot.utterance.length) {
      this.alternatives(best.option, wanted, nBest);
    }
    const threshold = this.options.confidenceThreshold ?? 0;
    const accepted = best.value !== null && best.confidence >= threshold;
    this.deliver({
      status: accepted ? 'match' : 'no-match',
      value: accepted ? best.value : null,
      ...(accepted && best.slots ? { slots: best.slots } : {}),
      text: best.text,
      confidence: best.confidence,
      nBest: nBest.map(({ value, text, confidence, slots }) => ({ value, text, confidence, ...(slots ? { slots } : {}) })),
      speechStartMs: this.endpointer.speechStartFrame * FRAME_MS,
      speechEndMs: this.endpointer.speechEndFrame * FRAME_MS,
      decidedAtMs: this.endpointer.frameCount * FRAME_MS,
      truncated,
    });
  }

  /** Runner-up answers: the same audio decoded again with the answers found so far taken out of the grammar. */
  private alternatives(firstOption: number, wanted: number, into: Array<RecognitionHypothesis & { option?: number }>): void {
    const decoder = this.slot.decoder;
    const excluded = [firstOption];
    while (into.length < wanted) {
      const reduced = this.compiler.compile(this.grammar.grammar, excluded);
      decoder.useGrammar(reduced.key, reduced.jsgf, reduced.words);
      // From the normalization the first pass started with, so the runner-up is scored like the answer it follows.
      decoder.resetFeatures();
      decoder.start();
      decoder.process(this.slot.utterance, 0, this.utteranceSamples);
      decoder.finish();
      const alt = this.hypothesisOf(decoder.hypothesis(), reduced);
      if (alt.option === undefined) break;
      into.push(alt);
      excluded.push(alt.option);
    }
  }

  private hypothesisOf(
    hyp: { text: string; score: number }, grammar: CompiledGrammar = this.grammar,
  ): RecognitionHypothesis & { option?: number } {
    const interpretation = grammar.interpret(hyp.text === '' ? [] : hyp.text.split(' '));
    let confidence = 0;
    if (interpretation.value !== null) {
      const speechFrames = Math.max(10, (this.endpointer.speechEndFrame - this.endpointer.speechStartFrame) * (FRAME_MS / 10));
      const perFrame = (hyp.score - this.referenceScore) / speechFrames - this.calibration.garbageWeight * this.garbageShare(grammar);
      confidence = 1 / (1 + Math.exp(-(perFrame - this.calibration.midpoint) / this.calibration.scale));
    }
    const result: RecognitionHypothesis & { option?: number } = { value: interpretation.value, text: interpretation.text, confidence };
    if (interpretation.slots) result.slots = interpretation.slots;
    if (interpretation.option !== undefined) result.option = interpretation.option;
    return result;
  }

  /** Share of the decoder's final hypothesis, by time, that is garbage phones. */
  private garbageShare(grammar: CompiledGrammar): number {
    let garbage = 0;
    let total = 0;
    for (const segment of this.slot.decoder.segments()) {
      const role = grammar.token(segment.word)?.role;
      total += segment.frames;
      if (role === undefined || role === 'garbage') garbage += segment.frames;
    }
    return total > 0 ? garbage / total : 0;
  }

  private deliver(result: RecognitionResult): void {
    this.release();
    this.listener.result(result);
  }

  private release(): void {
    this.done = true;
    this.slot.decoder.finish();
    this.slot.reference.finish();
    this.slot.vad.reset();
    this.onRelease(this);
  }
}
