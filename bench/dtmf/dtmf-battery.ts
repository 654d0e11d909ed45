/**
 * The synthetic part of the in-band DTMF battery: Q.24 receiver conditions generated in code (all 16 keys ×
 * frequency offsets, twist, level, duration, noise, digit strings), each trial sent through a G.711 µ-law channel
 * and then to a fresh InbandDtmfDetector. Deterministic: one seeded generator drives every random choice.
 */
import { decodeG711, encodeG711 } from '../../src/media/codec/index.js';
import { InbandDtmfDetector, type InbandDtmfDetectorOptions } from '../../src/media/dtmf/inband-dtmf-detector.js';
import { DTMF_KEYS, dbm0ToMeanSquare, dtmfFrequencies, renderTone } from '../../src/media/tone/index.js';

export type Expectation = 'detect' | 'reject';

export interface ConditionResult {
  group: string;
  name: string;
  expect: Expectation;
  trials: number;
  /** Trials whose detected digit string was exactly the one expected (nothing, for 'reject' conditions). */
  correct: number;
  /** Trials with any detection (for 'reject' conditions these are false alarms). */
  anyDetection: number;
  /** 'detect' trials that came out as a different digit string (wrong, extra or split digits). */
  wrong: number;
  /** correct / trials for 'detect' conditions; anyDetection / trials for 'reject' ones. */
  rate: number;
}

export interface Detection {
  digit: string;
  durationMs: number;
}

/** mulberry32: small, fast, seedable; good enough for noise and jitter. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates by Box–Muller. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Sends `pcm` through µ-law and the detector in frames of `frameSamples` (0: random sizes 1–400). */
export function detectDigits(
  pcm: Int16Array,
  frameSamples = 160,
  random: () => number = Math.random,
  options: InbandDtmfDetectorOptions = {},
): Detection[] {
  const channel = decodeG711('pcmu', encodeG711('pcmu', pcm));
  const found: Detection[] = [];
  const detector = new InbandDtmfDetector((digit, durationMs) => found.push({ digit, durationMs }), options);
  for (let at = 0; at < channel.length; ) {
    const n = frameSamples > 0 ? frameSamples : 1 + Math.floor(random() * 400);
    detector.process(channel.subarray(at, at + n));
    at += n;
  }
  detector.flush();
  return found;
}

interface ToneSegment {
  digit?: string;
  ms: number;
  levelDbm0?: number;
  twistDb?: number;
  lowOffset?: number;
  highOffset?: number;
}

interface TrialSpec {
  segments: ToneSegment[];
  expected: string;
  /** White noise relative to the tone power… */
  snrDb?: number;
  /** …or at an absolute level. */
  noiseDbm0?: number;
  frameSamples?: number;
}

function buildSignal(spec: TrialSpec, random: () => number): Int16Array {
  const lead = Math.round(800 + random() * 106);
  const parts: Int16Array[] = [new Int16Array(lead)];
  let tonePower = 0;
  for (const s of spec.segments) {
    if (!s.digit) {
      parts.push(new Int16Array(Math.round(s.ms * 8)));
      continue;
    }
    const [low, high] = dtmfFrequencies(s.digit);
    const level = s.levelDbm0 ?? -10;
    const twist = s.twistDb ?? 0;
    tonePower = Math.max(tonePower, dbm0ToMeanSquare(level) + dbm0ToMeanSquare(level + twist));
    parts.push(renderTone({
      frequencies: [low * (1 + (s.lowOffset ?? 0)), high * (1 + (s.highOffset ?? 0))],
      levelDbm0: [level, level + twist],
      durationMs: s.ms,
    }));
  }
  parts.push(new Int16Array(1200));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const pcm = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    pcm.set(p, at);
    at += p.length;
  }
  const noisePower = spec.noiseDbm0 !== undefined ? dbm0ToMeanSquare(spec.noiseDbm0)
    : spec.snrDb !== undefined ? tonePower / 10 ** (spec.snrDb / 10) : 0;
  if (noisePower > 0) {
    const sigma = Math.sqrt(noisePower);
    const normal = gaussian(random);
    for (let i = 0; i < total; i++) pcm[i] += sigma * normal();
  }
  return Int16Array.from(pcm, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
}

function runCondition(
  group: string,
  name: string,
  expect: Expectation,
  specs: TrialSpec[],
  random: () => number,
  options: InbandDtmfDetectorOptions,
): ConditionResult {
  let correct = 0;
  let anyDetection = 0;
  let wrong = 0;
  for (const spec of specs) {
    const found = detectDigits(buildSignal(spec, random), spec.frameSamples ?? 160, random, options);
    const got = found.map((d) => d.digit).join('');
    if (got === spec.expected) correct++;
    if (got.length > 0) anyDetection++;
    if (expect === 'detect' && got.length > 0 && got !== spec.expected) wrong++;
  }
  const trials = specs.length;
  const rate = (expect === 'detect' ? correct : anyDetection) / trials;
  return { group, name, expect, trials, correct, anyDetection, wrong, rate };
}

const KEYS = DTMF_KEYS.split('');

function everyKey(trialsPerKey: number, make: (digit: string) => TrialSpec): TrialSpec[] {
  const specs: TrialSpec[] = [];
  for (const digit of KEYS) for (let t = 0; t < trialsPerKey; t++) specs.push(make(digit));
  return specs;
}

function pct(x: number): string {
  return `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

/** Runs every synthetic condition (a few seconds of CPU). */
export function runSyntheticBattery(seed = 4733, options: InbandDtmfDetectorOptions = {}): ConditionResult[] {
  const random = seededRandom(seed);
  const results: ConditionResult[] = [];
  const toneMs = 60;

  const offsets = [-0.035, -0.015, 0, 0.015, 0.035];
  for (const lowOffset of offsets) {
    for (const highOffset of offsets) {
      const inside = Math.abs(lowOffset) <= 0.015 && Math.abs(highOffset) <= 0.015;
      results.push(runCondition('frequency', `low ${pct(lowOffset)} high ${pct(highOffset)}`, inside ? 'detect' : 'reject',
        everyKey(3, (digit) => ({ segments: [{ digit, ms: toneMs, lowOffset, highOffset }], expected: inside ? digit : '' })),
        random, options));
    }
  }
  for (const twistDb of [-8, -6, -4, -2, 0, 2, 4, 6, 8]) {
    const inside = twistDb >= -8 && twistDb <= 4;
    results.push(runCondition('twist', `${twistDb > 0 ? '+' : ''}${twistDb} dB (high − low)`, inside ? 'detect' : 'reject',
      everyKey(3, (digit) => ({ segments: [{ digit, ms: toneMs, twistDb }], expected: inside ? digit : '' })), random, options));
  }
  for (const levelDbm0 of [-40, -35, -30, -26, -20, -10, -3, 0]) {
    const inside = levelDbm0 >= -30;
    results.push(runCondition('level', `${levelDbm0} dBm0 per tone`, inside ? 'detect' : 'reject',
      everyKey(3, (digit) => ({ segments: [{ digit, ms: toneMs, levelDbm0 }], expected: inside ? digit : '' })), random, options));
  }
  for (const ms of [20, 30, 40, 50, 100]) {
    const inside = ms >= 40;
    results.push(runCondition('duration', `${ms} ms`, inside ? 'detect' : 'reject',
      everyKey(4, (digit) => ({ segments: [{ digit, ms }], expected: inside ? digit : '' })), random, options));
  }
  for (const snrDb of [30, 20, 15]) {
    results.push(runCondition('noise', `SNR ${snrDb} dB white`, 'detect',
      everyKey(4, (digit) => ({ segments: [{ digit, ms: toneMs }], expected: digit, snrDb })), random, options));
  }
  for (const noiseDbm0 of [-20, -10]) {
    results.push(runCondition('noise', `white noise only, ${noiseDbm0} dBm0, 2 s`, 'reject',
      Array.from({ length: 16 }, () => ({ segments: [{ ms: 2000 }], expected: '', noiseDbm0 })), random, options));
  }

  results.push(...runTimingConditions(random, options));
  results.push(runCondition('combined', '±1.5 %, twist −8/+4, −20 dBm0, SNR 20 dB', 'detect',
    everyKey(4, (digit) => {
      const sign = random() < 0.5 ? -1 : 1;
      return {
        segments: [{ digit, ms: toneMs, levelDbm0: -20, twistDb: random() < 0.5 ? -8 : 4, lowOffset: 0.015 * sign, highOffset: -0.015 * sign }],
        expected: digit,
        snrDb: 20,
      };
    }), random, options));
  return results;
}

function randomDigits(random: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    // Every third key repeats the previous one, so "55" must come out as two presses.
    s += i > 0 && i % 3 === 0 ? s[i - 1] : KEYS[Math.floor(random() * KEYS.length)];
  }
  return s;
}

function runTimingConditions(random: () => number, options: InbandDtmfDetectorOptions): ConditionResult[] {
  const strings = (toneMs: number, pauseMs: number): TrialSpec[] => Array.from({ length: 24 }, () => {
    const digits = randomDigits(random, 8);
    const segments: ToneSegment[] = [];
    for (const digit of digits) segments.push({ digit, ms: toneMs }, { ms: pauseMs });
    return { segments, expected: digits };
  });
  return [
    runCondition('timing', '8-key strings, 40 ms tone / 40 ms pause', 'detect', strings(40, 40), random, options),
    runCondition('timing', '8-key strings, 50 ms tone / 50 ms pause', 'detect', strings(50, 50), random, options),
    runCondition('timing', '100 ms tone with a 10 ms interruption → one key', 'detect',
      everyKey(3, (digit) => ({ segments: [{ digit, ms: 45 }, { ms: 10 }, { digit, ms: 45 }], expected: digit })), random, options),
    runCondition('timing', 'frames of random size 1–400 samples', 'detect',
      everyKey(3, (digit) => ({ segments: [{ digit, ms: 50 }], expected: digit, frameSamples: 0 })), random, options),
  ];
}
