/**
 * "Does this recording contain that speech?" Compares 10 ms RMS energy envelopes rather than samples, which
 * survives G.711 coding, jitter-buffer delay, level changes and the sample-rate of either side, and searches the
 * lag at which the reference's envelope best matches (Pearson correlation). Same idea as ../shared wav_match.py.
 */

export interface PcmAudio {
  samples: Int16Array;
  sampleRate: number;
}

/** 1 % of full scale (-40 dBFS): a 10 ms frame louder than this counts as active. */
export const ACTIVE_RMS = 32768 * 0.01;

export function rmsEnvelope(audio: PcmAudio, frameMs = 10): Float64Array {
  const step = Math.max(1, Math.round((audio.sampleRate * frameMs) / 1000));
  const n = Math.floor(audio.samples.length / step);
  const env = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    let sum = 0;
    for (let i = f * step; i < (f + 1) * step; i++) sum += audio.samples[i] * audio.samples[i];
    env[f] = Math.sqrt(sum / step);
  }
  return env;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, aStart: number, bStart: number, n: number): number {
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[aStart + i];
    sb += b[bStart + i];
  }
  const ma = sa / n;
  const mb = sb / n;
  let va = 0;
  let vb = 0;
  let cov = 0;
  for (let i = 0; i < n; i++) {
    const x = a[aStart + i] - ma;
    const y = b[bStart + i] - mb;
    va += x * x;
    vb += y * y;
    cov += x * y;
  }
  return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb);
}

export interface EnvelopeMatchOptions {
  /** Share of the reference's speech that must overlap the recording at a lag (default 0.9). */
  minOverlap?: number;
  /** Only lags (reference speech start in the recording) within [fromSec, toSec]. */
  fromSec?: number;
  toSec?: number;
}

export interface EnvelopeMatch {
  correlation: number;
  /** Where the reference's speech (leading and trailing silence trimmed) starts in the recording. */
  startSec: number;
  /** Where it ends. */
  endSec: number;
  /** Length of the reference's speech. */
  speechSec: number;
}

/** Best match of `reference` inside `recording`, or undefined when the reference is silent or nothing overlaps. */
export function matchEnvelope(reference: PcmAudio, recording: PcmAudio, options: EnvelopeMatchOptions = {}): EnvelopeMatch | undefined {
  const frameSec = 0.01;
  const fullRef = rmsEnvelope(reference);
  const rec = rmsEnvelope(recording);
  let first = -1;
  let last = -1;
  for (let i = 0; i < fullRef.length; i++) {
    if (fullRef[i] > ACTIVE_RMS) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return undefined;
  const ref = fullRef.subarray(first, last + 1);
  const minOverlap = Math.ceil(ref.length * (options.minOverlap ?? 0.9));
  const lagMin = Math.max(-ref.length + 1, Math.floor((options.fromSec ?? -Infinity) / frameSec));
  const lagMax = Math.min(rec.length, Math.floor((options.toSec ?? Infinity) / frameSec));
  let best: { c: number; lag: number } | undefined;
  for (let lag = lagMin; lag <= lagMax; lag++) {
    const lo = Math.max(0, lag);
    const hi = Math.min(rec.length, lag + ref.length);
    if (hi - lo < minOverlap) continue;
    const c = pearson(ref, rec, lo - lag, lo, hi - lo);
    if (!best || c > best.c) best = { c, lag };
  }
  if (!best) return undefined;
  return {
    correlation: best.c,
    startSec: best.lag * frameSec,
    endSec: (best.lag + ref.length) * frameSec,
    speechSec: ref.length * frameSec,
  };
}

/** Share of 10 ms frames in [fromSec, toSec) that are active. */
export function activeShare(audio: PcmAudio, fromSec: number, toSec: number): number {
  const env = rmsEnvelope(audio);
  const lo = Math.max(0, Math.floor(fromSec * 100));
  const hi = Math.min(env.length, Math.ceil(toSec * 100));
  if (hi <= lo) return 0;
  let active = 0;
  for (let i = lo; i < hi; i++) if (env[i] > ACTIVE_RMS) active++;
  return active / (hi - lo);
}

/** Start of the first run of `runMs` active frames at or after `fromSec`, or undefined. */
export function firstActiveSec(audio: PcmAudio, fromSec: number, runMs = 100): number | undefined {
  const env = rmsEnvelope(audio);
  const need = Math.max(1, Math.round(runMs / 10));
  let run = 0;
  for (let i = Math.max(0, Math.floor(fromSec * 100)); i < env.length; i++) {
    run = env[i] > ACTIVE_RMS ? run + 1 : 0;
    if (run === need) return (i - need + 1) / 100;
  }
  return undefined;
}

export function durationSec(audio: PcmAudio): number {
  return audio.samples.length / audio.sampleRate;
}
