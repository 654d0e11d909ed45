/**
 * Sample-rate conversion for speech: polyphase Kaiser-windowed sinc interpolation.
 *
 * Band edges are set relative to the lower of the two Nyquist frequencies: pass band to 85 %, stop band from 97.5 %,
 * 60 dB down. For an 8 kHz side that is 0–3.4 kHz flat (the telephone channel, ITU-T G.712) and everything from
 * 3.9 kHz on removed, so prompts recorded at 16–48 kHz do not fold their upper band back into 0–4 kHz.
 */
import { SwitchboardError } from '../../common/index.js';
import { kaiserBeta, kaiserSinc, kaiserTaps, besselI0 } from './fir-design.js';

const PASS_FRACTION = 0.85;
const STOP_FRACTION = 0.975;
const STOP_ATTENUATION_DB = 60;
/** Above this many phases the offline path rounds the phase (≤ 1/2048 sample of jitter: inaudible for speech). */
const MAX_PHASES = 1024;

interface PolyphaseKernel {
  /** Output rate / gcd. */
  readonly up: number;
  /** Input rate / gcd. */
  readonly down: number;
  /** Phases in `table`: `up` when exact, else MAX_PHASES. */
  readonly phases: number;
  /** Half the taps, in input samples. */
  readonly half: number;
  /** Taps per phase (2 × half). */
  readonly taps: number;
  /** taps × phases coefficients; row p holds the kernel for an output p/phases of a sample after `base`. */
  readonly table: Float64Array;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function checkRate(rate: number, which: string): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 384000) {
    throw new SwitchboardError('SWB_ERR_MEDIA_FORMAT', `unsupported ${which} sample rate ${rate} Hz`);
  }
}

const kernelCache = new Map<string, PolyphaseKernel>();

/** Designs (once per rate pair: 8↔16 kHz and the prompt rates stay cached) the polyphase kernel. */
function polyphaseKernel(fromRate: number, toRate: number): PolyphaseKernel {
  const key = `${fromRate}>${toRate}`;
  const cached = kernelCache.get(key);
  if (cached) return cached;
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const nyquist = Math.min(fromRate, toRate) / 2;
  const cutoffCycles = (((PASS_FRACTION + STOP_FRACTION) / 2) * nyquist) / fromRate;
  const transitionCycles = ((STOP_FRACTION - PASS_FRACTION) * nyquist) / fromRate;
  let half = Math.ceil(kaiserTaps(STOP_ATTENUATION_DB, transitionCycles) / 2);
  // A multiple of `down` makes the streaming latency a whole number of output samples (16 → 8 kHz: even).
  if (down <= 8) half = Math.ceil(half / down) * down;
  const taps = 2 * half;
  const phases = up <= MAX_PHASES ? up : MAX_PHASES;
  const beta = kaiserBeta(STOP_ATTENUATION_DB);
  const i0Beta = besselI0(beta);
  const table = new Float64Array(taps * phases);
  for (let p = 0; p < phases; p++) {
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const v = kaiserSinc(p / phases + half - 1 - j, cutoffCycles, half, beta, i0Beta);
      table[p * taps + j] = v;
      sum += v;
    }
    // Normalising each phase removes the small per-phase gain ripple that would otherwise add a tone at the
    // phase-cycle rate.
    for (let j = 0; j < taps; j++) table[p * taps + j] /= sum;
  }
  const kernel: PolyphaseKernel = { up, down, phases, half, taps, table };
  kernelCache.set(key, kernel);
  return kernel;
}

function toInt16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/**
 * Converts a whole buffer (a prompt, a recording) from `fromRate` to `toRate`. Zero-phase: output sample n is the
 * band-limited value at input time n·fromRate/toRate, so there is no delay; the output has
 * ceil(length·toRate/fromRate) samples.
 */
export function resamplePcm(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  checkRate(fromRate, 'input');
  checkRate(toRate, 'output');
  if (fromRate === toRate) return new Int16Array(pcm);
  const k = polyphaseKernel(fromRate, toRate);
  const { up, down, phases, half, taps, table } = k;
  const length = pcm.length;
  const outLength = Math.ceil((length * up) / down);
  const out = new Int16Array(outLength);
  for (let n = 0; n < outLength; n++) {
    const position = n * down;
    let base = Math.floor(position / up);
    let p = position - base * up;
    if (phases !== up) {
      p = Math.round((p / up) * phases);
      if (p === phases) {
        p = 0;
        base++;
      }
    }
    const start = base - half + 1;
    const row = p * taps;
    let acc = 0;
    if (start >= 0 && start + taps <= length) {
      for (let j = 0; j < taps; j++) acc += table[row + j] * pcm[start + j];
    } else {
      const jFrom = Math.max(0, -start);
      const jTo = Math.min(taps, length - start);
      for (let j = jFrom; j < jTo; j++) acc += table[row + j] * pcm[start + j];
    }
    out[n] = toInt16(acc);
  }
  return out;
}

/**
 * Streaming converter for live audio (8 kHz telephone audio ↔ 16 kHz recognisers), fed frames of any size.
 * It keeps the filter history across frames, so consecutive frames join without clicks; it is causal, with a fixed
 * latency of `latencyMs` (half the filter). `process` allocates nothing: it writes into `output` (preallocated for
 * `maxInputSamples`) or a caller's buffer.
 */
export class Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Preallocated output for inputs of up to `maxInputSamples`. */
  readonly output: Int16Array;
  private readonly kernel: PolyphaseKernel;
  /** Input history, stored twice so the newest `taps` samples are always one contiguous run. */
  private readonly history: Float64Array;
  private writeIndex = 0;
  /** Time of the next output after (newest input − half), in 1/up of an input sample. */
  private phase = 0;

  constructor(fromRate: number, toRate: number, maxInputSamples = 960) {
    checkRate(fromRate, 'input');
    checkRate(toRate, 'output');
    const kernel = polyphaseKernel(fromRate, toRate);
    if (kernel.phases !== kernel.up) {
      throw new SwitchboardError('SWB_ERR_MEDIA_FORMAT', `streaming resampling ${fromRate} → ${toRate} Hz is not supported`);
    }
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.kernel = kernel;
    this.history = new Float64Array(2 * kernel.taps);
    this.output = new Int16Array(this.maxOutputSamples(maxInputSamples));
  }

  /** Filter latency (input to output), in milliseconds. */
  get latencyMs(): number {
    return (this.kernel.half / this.fromRate) * 1000;
  }

  /** Upper bound of the samples `process` writes for `inputSamples` input samples. */
  maxOutputSamples(inputSamples: number): number {
    return Math.ceil((inputSamples * this.kernel.up) / this.kernel.down) + 1;
  }

  /** Converts `input` into `output`; returns how many samples were written (exactly 160 per 320 for 16 → 8 kHz). */
  process(input: Int16Array, output: Int16Array = this.output): number {
    if (output.length < this.maxOutputSamples(input.length)) {
      throw new RangeError(`Resampler output holds ${output.length} samples; ${this.maxOutputSamples(input.length)} needed`);
    }
    const { up, down, taps, table } = this.kernel;
    const history = this.history;
    let w = this.writeIndex;
    let phase = this.phase;
    let written = 0;
    for (let i = 0; i < input.length; i++) {
      const x = input[i];
      history[w] = x;
      history[w + taps] = x;
      const oldest = w + 1;
      while (phase < up) {
        const row = phase * taps;
        let acc = 0;
        for (let j = 0; j < taps; j++) acc += table[row + j] * history[oldest + j];
        output[written++] = toInt16(acc);
        phase += down;
      }
      phase -= up;
      w = w + 1 === taps ? 0 : w + 1;
    }
    this.writeIndex = w;
    this.phase = phase;
    return written;
  }

  /** Forgets the history (a new, unrelated stream follows). */
  reset(): void {
    this.history.fill(0);
    this.writeIndex = 0;
    this.phase = 0;
  }
}
