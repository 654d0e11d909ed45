/**
 * Per-block signal checks of the in-band DTMF receiver (ITU-T Q.24 receiver characteristics for the Q.23 signal).
 *
 * Blocks are 106 samples (13.25 ms) at 8 kHz, one Goertzel filter per Q.23 frequency and per second harmonic.
 * 106 samples make one DFT bin (75.5 Hz) about the spacing of adjacent low-group frequencies, so a tone falls near
 * the nulls of its neighbours' filters, and two whole blocks always fit in Q.24's 40 ms minimum tone. The two
 * tones are separated from each other's leakage with a two-tone fit (goertzel-pair-fit.ts). A block is a
 * *candidate* for the key whose frequencies are strongest in each group when it passes the checks one block can
 * judge; it *confirms* the key when the previous block was a candidate for the same key and it also passes:
 *
 *   frequency  measured from the phase advance since the previous block (fine, aliases every 75.5 Hz), unwrapped
 *              with the advance between the halves of each block (coarse, unambiguous to ±75 Hz); within ±2.5 %
 *              of nominal, between Q.24's ±1.5 % "must accept" and ±3.5 % "must reject".
 *   level      each tone ≥ −32 dBm0, measured at the found frequency (Q.24: accept down to −26 dBm0 per
 *              frequency; −35 dBm0 must not operate).
 *   twist      high-group level minus low-group level within −9…+5 dB. Q.24 asks to accept 8 dB of normal twist
 *              (high group weaker, as line loss makes it) and 4 dB of reverse twist; the extra 1 dB keeps the
 *              limits themselves accepted under noise and G.711 quantisation.
 *   purity     both tones together ≥ 80 % of the block's energy; each tone's second harmonic ≥ 15 dB below it;
 *              everything at f_low − d, d and f_high + d (d = f_high − f_low) ≥ 18 dB below the weaker tone, where a
 *              voice whose harmonics mimic the pair always has more harmonics.
 *
 * The candidate checks are: every other frequency of each group ≥ 8 dB below the chosen one once the pair's
 * leakage is removed, each tone steady within 3 dB between the halves of the block, and the coarse frequency
 * within ±4 %. Speech fails these checks: its energy spreads over many harmonics that glide in pitch.
 */
import { DTMF_HIGH_GROUP_HZ, DTMF_LOW_GROUP_HZ, dbm0ToMeanSquare } from '../tone/index.js';
import { GoertzelBank, goertzelAt } from './goertzel-bank.js';
import { dftKernel, fitTonePair } from './goertzel-pair-fit.js';

export const INBAND_SAMPLE_RATE = 8000;
export const INBAND_BLOCK = 106;
const BLOCK = INBAND_BLOCK;
const SAMPLE_RATE = INBAND_SAMPLE_RATE;
const HALF = BLOCK / 2;
/** Filter indices: 0–3 low group, 4–7 high group, 8–15 the second harmonics of 0–7. */
const HARMONIC = 8;

export interface InbandCheckOptions {
  /** Weakest accepted tone, per frequency. Default −32 dBm0. */
  minLevelDbm0?: number;
  /** Largest accepted normal twist (high group weaker), dB. Default 9. */
  maxNormalTwistDb?: number;
  /** Largest accepted reverse twist (high group stronger), dB. Default 5. */
  maxReverseTwistDb?: number;
  /** Largest accepted frequency deviation, as a fraction of nominal. Default 0.025. */
  maxFrequencyDeviation?: number;
}

const MIN_TONE_ENERGY_FRACTION = 0.8;
const RELATIVE_PEAK_DB = 8;
const SECOND_HARMONIC_DB = 15;
const HALF_BLOCK_STEADY_DB = 3;
const GRID_DB = 18;
/** Refinements of the coarse frequencies with the pair model; three converge to well under 1 Hz. */
const FIT_ITERATIONS = 3;
/** A block still holds a key while its pair is the strongest at up to this much below the minimum level. */
const HOLD_MARGIN_DB = 6;

function db(ratio: number): number {
  return 10 * Math.log10(ratio);
}

function wrapPhase(a: number): number {
  return a - 2 * Math.PI * Math.round(a / (2 * Math.PI));
}

export class InbandBlockAnalyser {
  /** Key (row·4 + column) whose frequencies are strongest in this block. */
  key = 0;
  /** This block passes the single-block checks for `key`. */
  candidate = false;
  /** This and the previous block are candidates for `key`, and this one passes every check. */
  confirmed = false;

  private readonly minMeanSquare: number;
  private readonly holdMeanSquare: number;
  private readonly minTwistDb: number;
  private readonly maxTwistDb: number;
  private readonly maxDeviation: number;
  private readonly bank: GoertzelBank;
  private readonly nominalHz = new Float64Array(8);
  private readonly omega = new Float64Array(16);
  private readonly re = new Float64Array(16);
  private readonly im = new Float64Array(16);
  private readonly halfRe = new Float64Array(8);
  private readonly halfIm = new Float64Array(8);
  /** Tone amplitudes [low re, low im, high re, high im]: whole block, first half, second half. */
  private readonly amp = new Float64Array(4);
  private readonly amp1 = new Float64Array(4);
  private readonly amp2 = new Float64Array(4);
  private readonly kernel = new Float64Array(2);
  /** Per tone (0 low, 1 high) of this and the previous block: frequency offset (rad/sample), own filter output. */
  private readonly offset = new Float64Array(2);
  private readonly prevOffset = new Float64Array(2);
  private readonly ownRe = new Float64Array(2);
  private readonly ownIm = new Float64Array(2);
  private readonly prevOwnRe = new Float64Array(2);
  private readonly prevOwnIm = new Float64Array(2);
  /** Fundamental filter outputs of this block and the two before it (slot = blocksBack·8 + filter). */
  private readonly historyRe = new Float64Array(24);
  private readonly historyIm = new Float64Array(24);
  private readonly scratch = new Float64Array(4);
  /** This block's samples, for the extra filters run only on blocks that confirm a key. */
  private readonly block = new Float64Array(BLOCK);
  private readonly extra = new Float64Array(2);
  private filled = 0;
  private energy = 0;
  private total = 0;
  private prevCandidate = -1;

  constructor(options: InbandCheckOptions = {}) {
    this.minMeanSquare = dbm0ToMeanSquare(options.minLevelDbm0 ?? -32);
    this.holdMeanSquare = this.minMeanSquare * 10 ** (-HOLD_MARGIN_DB / 10);
    this.minTwistDb = -(options.maxNormalTwistDb ?? 9);
    this.maxTwistDb = options.maxReverseTwistDb ?? 5;
    this.maxDeviation = options.maxFrequencyDeviation ?? 0.025;
    const frequencies = [...DTMF_LOW_GROUP_HZ, ...DTMF_HIGH_GROUP_HZ];
    const all = [...frequencies, ...frequencies.map((f) => 2 * f)];
    this.nominalHz.set(frequencies);
    this.omega.set(all.map((f) => (2 * Math.PI * f) / SAMPLE_RATE));
    this.bank = new GoertzelBank(all, SAMPLE_RATE);
  }

  /** Feeds one sample; returns true when it completed a block, whose results are then in the public fields. */
  push(x: number): boolean {
    this.bank.update(x);
    this.block[this.filled] = x;
    this.energy += x * x;
    this.filled++;
    if (this.filled === HALF) this.bank.read(HALF, this.halfRe, this.halfIm, 0, 8);
    if (this.filled < BLOCK) return false;
    this.bank.read(BLOCK, this.re, this.im);
    this.analyse();
    this.bank.reset();
    this.filled = 0;
    this.energy = 0;
    return true;
  }

  /** Whether this block still carries `key`: its pair strongest, not far below the minimum level, most energy. */
  holds(key: number): boolean {
    if (key !== this.key) return false;
    const low = this.rawPower(key >> 2);
    const high = this.rawPower(4 + (key & 3));
    return low >= this.holdMeanSquare && high >= this.holdMeanSquare && low + high >= 0.5 * this.total;
  }

  /**
   * Amplitude (|a_low| + |a_high|, each tone separated from the other's leakage) of `key`'s pair in the block
   * `blocksBack` blocks ago (0: this one, up to 2). Compared with a block full of tone it tells how much of a
   * block the tone filled.
   */
  pairAmplitude(key: number, blocksBack: number): number {
    const row = key >> 2;
    const col = 4 + (key & 3);
    const at = blocksBack * 8;
    const { historyRe: re, historyIm: im, omega, scratch: a } = this;
    fitTonePair(re[at + row], im[at + row], re[at + col], im[at + col], omega[row], omega[col], omega[row], omega[col],
      BLOCK, 0, a);
    return Math.hypot(a[0], a[1]) + Math.hypot(a[2], a[3]);
  }

  reset(): void {
    this.historyRe.fill(0);
    this.historyIm.fill(0);
    this.bank.reset();
    this.filled = 0;
    this.energy = 0;
    this.prevCandidate = -1;
    this.candidate = false;
    this.confirmed = false;
  }

  private analyse(): void {
    const row = this.strongest(0);
    const col = 4 + this.strongest(4);
    this.key = row * 4 + col - 4;
    this.total = this.energy / BLOCK;
    this.historyRe.copyWithin(8, 0, 16);
    this.historyIm.copyWithin(8, 0, 16);
    for (let i = 0; i < 8; i++) {
      this.historyRe[i] = this.re[i];
      this.historyIm[i] = this.im[i];
    }
    this.candidate = this.isCandidate(row, col, this.total);
    this.confirmed = this.candidate && this.prevCandidate === this.key && this.passesFullChecks(row, col, this.total);
    this.prevCandidate = this.candidate ? this.key : -1;
    for (let t = 0; t < 2; t++) {
      this.prevOffset[t] = this.offset[t];
      this.prevOwnRe[t] = this.ownRe[t];
      this.prevOwnIm[t] = this.ownIm[t];
    }
  }

  private strongest(from: number): number {
    let best = 0;
    let bestPower = -1;
    for (let k = 0; k < 4; k++) {
      const p = this.re[from + k] ** 2 + this.im[from + k] ** 2;
      if (p > bestPower) {
        bestPower = p;
        best = k;
      }
    }
    return best;
  }

  /** Mean square of a sinusoid on filter `i`'s frequency giving its output (|X| = A·N/2, mean square A²/2). */
  private rawPower(i: number): number {
    return (2 * (this.re[i] ** 2 + this.im[i] ** 2)) / (BLOCK * BLOCK);
  }

  /** Fits the pair over the whole block with the tones at the given offsets from nominal; fills `amp`. */
  private fitBlock(row: number, col: number, offsetLow: number, offsetHigh: number): void {
    const { re, im, omega } = this;
    fitTonePair(re[row], im[row], re[col], im[col], omega[row], omega[col],
      omega[row] + offsetLow, omega[col] + offsetHigh, BLOCK, 0, this.amp);
  }

  /**
   * Checks one block can judge alone: both tones present, each group's other frequencies well below, each tone
   * steady between the block halves, and its coarse frequency (phase advance from the first half to the second,
   * refined with the pair model) near nominal. Leaves the coarse offsets in `offset` and each tone's own share
   * of its filter output in `ownRe`/`ownIm`.
   */
  private isCandidate(row: number, col: number, total: number): boolean {
    const { re, im, halfRe, halfIm, omega, amp1, amp2, offset } = this;
    const rawLow = this.rawPower(row);
    const rawHigh = this.rawPower(col);
    if (rawLow < 0.25 * this.minMeanSquare || rawHigh < 0.25 * this.minMeanSquare || rawLow + rawHigh < 0.5 * total) {
      return false;
    }
    offset[0] = 0;
    offset[1] = 0;
    for (let it = 0; it < FIT_ITERATIONS; it++) {
      const toneLow = omega[row] + offset[0];
      const toneHigh = omega[col] + offset[1];
      fitTonePair(halfRe[row], halfIm[row], halfRe[col], halfIm[col], omega[row], omega[col], toneLow, toneHigh,
        HALF, 0, amp1);
      fitTonePair(re[row] - halfRe[row], im[row] - halfIm[row], re[col] - halfRe[col], im[col] - halfIm[col],
        omega[row], omega[col], toneLow, toneHigh, HALF, HALF, amp2);
      for (let t = 0; t < 2; t++) {
        const r1 = amp1[2 * t];
        const i1 = amp1[2 * t + 1];
        const r2 = amp2[2 * t];
        const i2 = amp2[2 * t + 1];
        offset[t] += Math.atan2(i2 * r1 - r2 * i1, r2 * r1 + i2 * i1) / HALF;
      }
    }
    const steady = 10 ** (HALF_BLOCK_STEADY_DB / 10);
    for (let t = 0; t < 2; t++) {
      const m1 = amp1[2 * t] ** 2 + amp1[2 * t + 1] ** 2;
      const m2 = amp2[2 * t] ** 2 + amp2[2 * t + 1] ** 2;
      if (m1 > m2 * steady || m2 > m1 * steady) return false;
    }
    if (Math.abs(offset[0]) > this.deviationLimit(row, 0.015) || Math.abs(offset[1]) > this.deviationLimit(col, 0.015)) {
      return false;
    }
    this.fitBlock(row, col, offset[0], offset[1]);
    const amp = this.amp;
    const relative = 10 ** (-RELATIVE_PEAK_DB / 10);
    const lowLimit = 2 * (amp[0] ** 2 + amp[1] ** 2) * relative;
    const highLimit = 2 * (amp[2] ** 2 + amp[3] ** 2) * relative;
    const toneLow = omega[row] + offset[0];
    const toneHigh = omega[col] + offset[1];
    for (let k = 0; k < 4; k++) {
      if (k !== row && this.residualPower(k, toneLow, toneHigh) > lowLimit) return false;
      if (4 + k !== col && this.residualPower(4 + k, toneLow, toneHigh) > highLimit) return false;
    }
    this.ownShare(0, offset[0]);
    this.ownShare(1, offset[1]);
    return true;
  }

  /** Tone t's own contribution G(offset)·a to its filter's output, with the other tone's leakage removed. */
  private ownShare(t: number, toneOffset: number): void {
    const k = this.kernel;
    dftKernel(toneOffset, BLOCK, 0, k, 0);
    const ar = this.amp[2 * t];
    const ai = this.amp[2 * t + 1];
    this.ownRe[t] = k[0] * ar - k[1] * ai;
    this.ownIm[t] = k[0] * ai + k[1] * ar;
  }

  private deviationLimit(i: number, extra: number): number {
    return (2 * Math.PI * this.nominalHz[i] * (this.maxDeviation + extra)) / SAMPLE_RATE;
  }

  /** Fine frequency offset of tone t: phase advance over one block (aliases every 2π/N), unwrapped by the coarse. */
  private fineOffset(t: number, filter: number): number {
    const r = this.ownRe[t];
    const i = this.ownIm[t];
    const pr = this.prevOwnRe[t];
    const pi = this.prevOwnIm[t];
    const advance = Math.atan2(i * pr - r * pi, r * pr + i * pi);
    const aliased = wrapPhase(advance - this.omega[filter] * BLOCK) / BLOCK;
    const coarse = (this.offset[t] + this.prevOffset[t]) / 2;
    const step = (2 * Math.PI) / BLOCK;
    return aliased + step * Math.round((coarse - aliased) / step);
  }

  private passesFullChecks(row: number, col: number, total: number): boolean {
    const fineLow = this.fineOffset(0, row);
    const fineHigh = this.fineOffset(1, col);
    if (Math.abs(fineLow) > this.deviationLimit(row, 0) || Math.abs(fineHigh) > this.deviationLimit(col, 0)) return false;
    this.fitBlock(row, col, fineLow, fineHigh);
    const amp = this.amp;
    const lowLevel = 2 * (amp[0] ** 2 + amp[1] ** 2);
    const highLevel = 2 * (amp[2] ** 2 + amp[3] ** 2);
    if (lowLevel < this.minMeanSquare || highLevel < this.minMeanSquare) return false;
    const twist = db(highLevel / lowLevel);
    if (twist < this.minTwistDb || twist > this.maxTwistDb) return false;
    if (lowLevel + highLevel < MIN_TONE_ENERGY_FRACTION * total) return false;
    const toneLow = this.omega[row] + fineLow;
    const toneHigh = this.omega[col] + fineHigh;
    return this.harmonicLow(HARMONIC + row, toneLow, toneHigh, lowLevel)
      && this.harmonicLow(HARMONIC + col, toneLow, toneHigh, highLevel)
      && this.notOnHarmonicGrid(toneLow, toneHigh, Math.min(lowLevel, highLevel));
  }

  /**
   * Two harmonics p·f0 and q·f0 of a voice (what talks off a receiver) come with more harmonics of the same f0,
   * and at least these three are always among them: f_low − d (mirrored when negative), d and f_high + d, with
   * d = f_high − f_low. A DTMF
   * pair has nothing there but faint intermodulation (about −23 dB at 0 dBm0 per tone, where the sum clips), so
   * each must be 18 dB below the weaker tone. On the espeak-ng corpus 15 dB already removes every talk-off;
   * beyond 21 dB noisy weak tones start to fail.
   */
  private notOnHarmonicGrid(toneLow: number, toneHigh: number, weakerLevel: number): boolean {
    const d = toneHigh - toneLow;
    const limit = weakerLevel * 10 ** (-GRID_DB / 10);
    return this.residualAt(toneLow - d, toneLow, toneHigh) <= limit
      && this.residualAt(d, toneLow, toneHigh) <= limit
      && this.residualAt(toneHigh + d, toneLow, toneHigh) <= limit;
  }

  private residualAt(omega: number, toneLow: number, toneHigh: number): number {
    goertzelAt(this.block, omega, this.extra);
    return this.residual(this.extra[0], this.extra[1], omega, toneLow, toneHigh);
  }

  /** Second harmonic at least 15 dB below its tone (the low-group harmonics sit 58–71 Hz from high-group tones). */
  private harmonicLow(h: number, toneLow: number, toneHigh: number, toneLevel: number): boolean {
    return this.residualPower(h, toneLow, toneHigh) <= toneLevel * 10 ** (-SECOND_HARMONIC_DB / 10);
  }

  /**
   * Mean square of what filter `i` sees besides the pair in `amp` (tones at `toneLow`/`toneHigh`): a third
   * tone, a harmonic, speech, noise. Removing the pair's modelled leakage keeps a DTMF tone 1.5 % off nominal,
   * which spills into its neighbour 13 dB down, from looking like a second frequency in its group.
   */
  private residualPower(i: number, toneLow: number, toneHigh: number): number {
    return this.residual(this.re[i], this.im[i], this.omega[i], toneLow, toneHigh);
  }

  /** Mean square left in a filter at `omega` with output (xr, xi) once the pair's modelled leakage is removed. */
  private residual(xr: number, xi: number, omega: number, toneLow: number, toneHigh: number): number {
    const { amp, kernel: k } = this;
    let r = xr;
    let m = xi;
    dftKernel(toneLow - omega, BLOCK, 0, k, 0);
    r -= k[0] * amp[0] - k[1] * amp[1];
    m -= k[0] * amp[1] + k[1] * amp[0];
    dftKernel(toneHigh - omega, BLOCK, 0, k, 0);
    r -= k[0] * amp[2] - k[1] * amp[3];
    m -= k[0] * amp[3] + k[1] * amp[2];
    return (2 * (r * r + m * m)) / (BLOCK * BLOCK);
  }
}
