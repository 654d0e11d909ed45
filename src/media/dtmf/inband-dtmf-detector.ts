/**
 * In-band DTMF receiver for 8 kHz telephone audio: ITU-T Q.24 receiver timing on top of the per-block signal
 * checks of InbandBlockAnalyser (frequency ±1.5 % accept / ±3.5 % reject, −26…0 dBm0, twist, talk-off guards).
 *
 * Timing (the Q.24 values most administrations share):
 *   - A key press starts when two consecutive blocks (26.5 ms) carry the same pair and the second passes every
 *     check; it ends after two blocks in a row no longer hold the pair. A pause of 40 ms always contains two such
 *     blocks; an interruption of ≤ 10 ms (Q.24: must not split a digit) can spoil at most one.
 *   - The tone's duration is measured to a few ms: the blocks of the press count 1 each, the blocks at its edges
 *     by how much of the pair's amplitude they carry (a block half-filled with tone carries half). Q.24 requires
 *     40 ms tones to be accepted and leaves a margin below; presses measured under 35 ms are discarded, so 20 and
 *     30 ms tones are rejected while 40 ms tones are accepted despite the measuring error.
 *
 * Each key press is reported once, when it ends, by `onDigit(digit, durationMs, startMs)`. `onDigitStart` (for
 * barge-in) reports it as soon as it is confirmed and 35 ms long. No allocation per frame.
 */
import { DTMF_KEYS } from '../tone/index.js';
import { INBAND_BLOCK, INBAND_SAMPLE_RATE, InbandBlockAnalyser, type InbandCheckOptions } from './inband-block-analyser.js';

export type DtmfDigitCallback = (digit: string, durationMs: number, startMs: number) => void;

export interface InbandDtmfDetectorOptions extends InbandCheckOptions {
  /** Called once per key press as soon as it is confirmed and `minToneMs` long (typically 40 ms into the tone). */
  onDigitStart?: (digit: string, startMs: number) => void;
  /** Shortest accepted tone. Default 35 ms. */
  minToneMs?: number;
}

const MISSES_TO_END = 2;

export class InbandDtmfDetector {
  private readonly onDigit: DtmfDigitCallback;
  private readonly onDigitStart: ((digit: string, startMs: number) => void) | undefined;
  private readonly minToneBlocks: number;
  private readonly analyser: InbandBlockAnalyser;
  private samples = 0;
  private originMs = 0;
  /** Key being held, or −1. */
  private active = -1;
  private started = false;
  /** Sample at which the active tone began. */
  private activeStart = 0;
  /** Tone length so far in blocks, edges counted by coverage. */
  private coverage = 0;
  /** Largest low + high amplitude seen in the press: the amplitude of a block full of tone. */
  private reference = 0;
  private misses = 0;

  constructor(onDigit: DtmfDigitCallback, options: InbandDtmfDetectorOptions = {}) {
    this.onDigit = onDigit;
    this.onDigitStart = options.onDigitStart;
    this.minToneBlocks = (((options.minToneMs ?? 35) / 1000) * INBAND_SAMPLE_RATE) / INBAND_BLOCK;
    this.analyser = new InbandBlockAnalyser(options);
  }

  /**
   * Feeds 8 kHz PCM16 samples (any frame size). `timestampMs`, when given, is the time of the frame's first
   * sample and sets the clock of the `startMs` reported to the callbacks; otherwise time counts from 0.
   */
  process(frame: Int16Array, timestampMs?: number): void {
    if (timestampMs !== undefined) this.originMs = timestampMs - (this.samples * 1000) / INBAND_SAMPLE_RATE;
    const analyser = this.analyser;
    for (let i = 0; i < frame.length; i++) {
      this.samples++;
      if (analyser.push(frame[i])) this.onBlock();
    }
  }

  /**
   * Ends a key press in progress (end of the stream): reports it now instead of after the next blocks. Only
   * whole blocks are analysed, so up to one block (13.25 ms) of tone fed last is left out of its duration.
   */
  flush(): void {
    if (this.active >= 0) this.endDigit();
    this.analyser.reset();
  }

  /** Forgets all state, including a key press in progress, without reporting it. */
  reset(): void {
    this.analyser.reset();
    this.samples = 0;
    this.originMs = 0;
    this.active = -1;
  }

  private onBlock(): void {
    const a = this.analyser;
    const blockEnd = this.samples;
    if (this.active >= 0) {
      if (a.confirmed && a.key !== this.active) {
        this.endDigit();
      } else {
        this.coverage += this.blockCoverage(this.active, 0, true);
        if (a.holds(this.active)) {
          this.misses = 0;
        } else if (++this.misses >= MISSES_TO_END) {
          this.endDigit();
        }
        this.maybeStarted();
      }
    }
    if (a.confirmed && this.active < 0) {
      const key = a.key;
      this.active = key;
      this.misses = 0;
      this.started = false;
      this.reference = 0;
      this.blockCoverage(key, 0, true);
      const before = this.blockCoverage(key, 2, false);
      const first = this.blockCoverage(key, 1, false);
      this.coverage = before + first + 1;
      this.activeStart = blockEnd - 2 * INBAND_BLOCK + (1 - first - before) * INBAND_BLOCK;
      this.maybeStarted();
    }
  }

  /** Fraction of a block filled with the tone of `key`, judged by its amplitude against the press's reference. */
  private blockCoverage(key: number, blocksBack: number, updateReference: boolean): number {
    const m = this.analyser.pairAmplitude(key, blocksBack);
    if (updateReference && m > this.reference) this.reference = m;
    return this.reference > 0 ? Math.min(1, m / this.reference) : 0;
  }

  private maybeStarted(): void {
    if (this.active < 0 || this.started || this.coverage < this.minToneBlocks) return;
    this.started = true;
    this.onDigitStart?.(DTMF_KEYS[this.active], this.toMs(this.activeStart));
  }

  private endDigit(): void {
    const key = this.active;
    this.active = -1;
    this.misses = 0;
    if (this.coverage < this.minToneBlocks) return;
    const durationMs = ((this.coverage * INBAND_BLOCK) / INBAND_SAMPLE_RATE) * 1000;
    this.onDigit(DTMF_KEYS[key], durationMs, this.toMs(this.activeStart));
  }

  private toMs(sample: number): number {
    return this.originMs + (sample * 1000) / INBAND_SAMPLE_RATE;
  }
}
