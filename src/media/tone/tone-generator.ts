/**
 * Tone synthesis for the telephone channel: sums of sines at levels in dBm0 (per frequency component, the
 * telephony convention of ITU-T Q.23/Q.24 and E.180), optionally switched on and off by a cadence. The generator
 * is phase-continuous across `fill` calls and allocates nothing there, so the media pacer can pull 20 ms frames
 * of ringback from it for as long as a transfer rings.
 */
import { dbm0ToPeak } from './dbm0.js';

export interface ToneSpec {
  /** Component frequencies in Hz, summed. */
  frequencies: readonly number[];
  /** Level of each component in dBm0: one value for all, or one per frequency. */
  levelDbm0: number | readonly number[];
  /** Alternating on/off durations in ms, repeated from the start; omitted means continuously on. */
  cadenceMs?: readonly number[];
  /** Raised-cosine rise and fall at the edges of each cadence "on" period, in ms (default 0). */
  rampMs?: number;
  /** Default 8000. */
  sampleRate?: number;
}

const TWO_PI = 2 * Math.PI;

export class ToneGenerator {
  private readonly amplitudes: Float64Array;
  private readonly increments: Float64Array;
  private readonly phases: Float64Array;
  /** Cadence segment lengths in samples (even index = on); empty when continuous. */
  private readonly segments: Int32Array;
  private readonly rampSamples: number;
  private segment = 0;
  private positionInSegment = 0;

  constructor(spec: ToneSpec) {
    const sampleRate = spec.sampleRate ?? 8000;
    const n = spec.frequencies.length;
    const levels = spec.levelDbm0;
    if (typeof levels !== 'number' && levels.length !== n) {
      throw new RangeError(`ToneGenerator: ${levels.length} levels for ${n} frequencies`);
    }
    this.amplitudes = new Float64Array(n);
    this.increments = new Float64Array(n);
    this.phases = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const f = spec.frequencies[i];
      if (!(f > 0 && f < sampleRate / 2)) throw new RangeError(`ToneGenerator: ${f} Hz is outside (0, ${sampleRate / 2}) Hz`);
      this.amplitudes[i] = dbm0ToPeak(typeof levels === 'number' ? levels : levels[i]);
      this.increments[i] = (TWO_PI * f) / sampleRate;
    }
    const cadence = spec.cadenceMs ?? [];
    this.segments = Int32Array.from(cadence, (ms) => Math.round((ms * sampleRate) / 1000));
    if (this.segments.length % 2 === 1) throw new RangeError('ToneGenerator: a cadence needs on/off pairs');
    this.rampSamples = Math.round(((spec.rampMs ?? 0) * sampleRate) / 1000);
  }

  /** Writes the next `out.length` samples into `out` and returns it. */
  fill(out: Int16Array): Int16Array {
    const { amplitudes, increments, phases, segments, rampSamples } = this;
    const n = amplitudes.length;
    for (let s = 0; s < out.length; s++) {
      let gain = 1;
      if (segments.length > 0) {
        while (this.positionInSegment >= segments[this.segment]) {
          this.positionInSegment = 0;
          this.segment = (this.segment + 1) % segments.length;
        }
        if (this.segment % 2 === 1) {
          gain = 0;
        } else if (rampSamples > 0) {
          const edge = Math.min(this.positionInSegment, segments[this.segment] - 1 - this.positionInSegment);
          if (edge < rampSamples) gain = 0.5 - 0.5 * Math.cos((Math.PI * (edge + 0.5)) / rampSamples);
        }
        this.positionInSegment++;
      }
      let v = 0;
      for (let i = 0; i < n; i++) {
        v += amplitudes[i] * Math.sin(phases[i]);
        phases[i] += increments[i];
        if (phases[i] >= TWO_PI) phases[i] -= TWO_PI;
      }
      // Components at 0 dBm0 and above can sum past full scale; saturate as the G.711 encoder would.
      const r = Math.round(v * gain);
      out[s] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
    }
    return out;
  }

  /** Restarts at phase 0 and at the start of the cadence. */
  reset(): void {
    this.phases.fill(0);
    this.segment = 0;
    this.positionInSegment = 0;
  }
}

export interface RenderToneOptions {
  frequencies: readonly number[];
  levelDbm0: number | readonly number[];
  durationMs: number;
  /** Raised-cosine rise and fall at both ends, in ms (default 0: hard edges, as DTMF timing tests need). */
  rampMs?: number;
  sampleRate?: number;
}

/** Renders `durationMs` of a steady tone (8 kHz PCM16 unless `sampleRate` says otherwise). */
export function renderTone(options: RenderToneOptions): Int16Array {
  const sampleRate = options.sampleRate ?? 8000;
  const out = new Int16Array(Math.round((options.durationMs * sampleRate) / 1000));
  new ToneGenerator({ frequencies: options.frequencies, levelDbm0: options.levelDbm0, sampleRate }).fill(out);
  const ramp = Math.min(Math.round(((options.rampMs ?? 0) * sampleRate) / 1000), out.length >> 1);
  for (let i = 0; i < ramp; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / ramp);
    out[i] = Math.round(out[i] * g);
    out[out.length - 1 - i] = Math.round(out[out.length - 1 - i] * g);
  }
  return out;
}

export interface BeepOptions {
  frequencyHz?: number;
  durationMs?: number;
  levelDbm0?: number;
  sampleRate?: number;
}

/** The "record after the tone" beep: 1 kHz, 200 ms, −10 dBm0, with 5 ms ramps so it does not click. */
export function renderBeep(options: BeepOptions = {}): Int16Array {
  return renderTone({
    frequencies: [options.frequencyHz ?? 1000],
    levelDbm0: options.levelDbm0 ?? -10,
    durationMs: options.durationMs ?? 200,
    rampMs: 5,
    sampleRate: options.sampleRate,
  });
}
