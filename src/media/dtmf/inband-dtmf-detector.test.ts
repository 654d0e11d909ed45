import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeG711, encodeG711 } from '../codec/index.js';
import { DTMF_KEYS, dbm0ToPeak, dtmfFrequencies, renderDtmfDigit, renderTone } from '../tone/index.js';
import { InbandDtmfDetector, type InbandDtmfDetectorOptions } from './inband-dtmf-detector.js';

interface Heard {
  digit: string;
  durationMs: number;
  startMs: number;
}

/** Lead silence, the parts, trailing silence; through G.711 µ-law; then the detector in `frame`-sample frames. */
function listen(parts: Int16Array[], options: InbandDtmfDetectorOptions & { frame?: number; leadMs?: number; startMs?: number } = {}): Heard[] {
  const lead = new Int16Array(Math.round((options.leadMs ?? 100) * 8));
  const all = [lead, ...parts, new Int16Array(1200)];
  const pcm = new Int16Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    pcm.set(p, at);
    at += p.length;
  }
  const channel = decodeG711('pcmu', encodeG711('pcmu', pcm));
  const heard: Heard[] = [];
  const detector = new InbandDtmfDetector((digit, durationMs, startMs) => heard.push({ digit, durationMs, startMs }), options);
  const frame = options.frame ?? 160;
  for (let i = 0; i < channel.length; i += frame) {
    detector.process(channel.subarray(i, i + frame), options.startMs === undefined ? undefined : options.startMs + i / 8);
  }
  return heard;
}

const digitsOf = (heard: Heard[]): string => heard.map((h) => h.digit).join('');
const silence = (ms: number): Int16Array => new Int16Array(ms * 8);

function offsetDigit(digit: string, lowOffset: number, highOffset: number, ms = 60): Int16Array {
  const [low, high] = dtmfFrequencies(digit);
  return renderTone({ frequencies: [low * (1 + lowOffset), high * (1 + highOffset)], levelDbm0: -10, durationMs: ms });
}

/** Deterministic white Gaussian noise (xorshift32 + Box–Muller). */
function noise(samples: number, rms: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const uniform = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const out = new Float64Array(samples);
  for (let i = 0; i < samples; i++) out[i] = rms * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

function mix(...parts: ArrayLike<number>[]): Int16Array {
  const out = new Int16Array(Math.max(...parts.map((p) => p.length)));
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (const p of parts) v += p[i] ?? 0;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return out;
}

test('all 16 keys are detected once, with their duration and start time', () => {
  for (const digit of DTMF_KEYS) {
    const heard = listen([renderDtmfDigit(digit, 80)], { startMs: 5000 });
    assert.equal(digitsOf(heard), digit);
    assert.ok(Math.abs(heard[0].durationMs - 80) <= 4, `${digit}: ${heard[0].durationMs} ms`);
    assert.ok(Math.abs(heard[0].startMs - 5100) <= 4, `${digit}: starts at ${heard[0].startMs}`);
  }
});

test('Q.24 frequency tolerance: ±1.5 % is detected, ±3.5 % on either tone is rejected', () => {
  for (const digit of DTMF_KEYS) {
    for (const [low, high] of [[0.015, 0.015], [-0.015, -0.015], [0.015, -0.015], [-0.015, 0.015]]) {
      assert.equal(digitsOf(listen([offsetDigit(digit, low, high)])), digit, `${digit} ${low}/${high}`);
    }
    for (const [low, high] of [[0.035, 0], [-0.035, 0], [0, 0.035], [0, -0.035]]) {
      assert.equal(digitsOf(listen([offsetDigit(digit, low, high)])), '', `${digit} ${low}/${high}`);
    }
  }
});

test('Q.24 duration: 20 and 30 ms are rejected, 40 ms is detected', () => {
  for (const digit of '19*D') {
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 20)])), '', `${digit} 20 ms`);
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 30)])), '', `${digit} 30 ms`);
    for (let shift = 0; shift < 106; shift += 21) {
      assert.equal(digitsOf(listen([renderDtmfDigit(digit, 40)], { leadMs: 100 + shift / 8 })), digit, `${digit} 40 ms +${shift}`);
    }
  }
});

test('Q.24 twist: 8 dB normal and 4 dB reverse are accepted, 11 dB normal and 7 dB reverse are not', () => {
  for (const digit of DTMF_KEYS) {
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 60, -10, -8)])), digit, `${digit} −8 dB`);
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 60, -10, 4)])), digit, `${digit} +4 dB`);
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 60, -10, -11)])), '', `${digit} −11 dB`);
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 60, -10, 7)])), '', `${digit} +7 dB`);
  }
});

test('Q.24 level: −26 dBm0 and 0 dBm0 per tone are detected, −35 dBm0 is not', () => {
  for (const digit of DTMF_KEYS) {
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 60, -26)])), digit, `${digit} −26`);
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 60, 0)])), digit, `${digit} 0`);
    assert.equal(digitsOf(listen([renderDtmfDigit(digit, 60, -35)])), '', `${digit} −35`);
  }
});

test('detects through white noise at 15 dB SNR, and never in the noise alone', () => {
  const rms = Math.sqrt(2 * (dbm0ToPeak(-10) ** 2 / 2) / 10 ** 1.5);
  for (const [k, digit] of [...DTMF_KEYS].entries()) {
    const tone = renderDtmfDigit(digit, 60);
    const noisy = mix(silence(50), noise(tone.length + 800, rms, k + 1));
    noisy.set(mix(tone, noisy.subarray(400, 400 + tone.length)), 400);
    assert.equal(digitsOf(listen([noisy])), digit, digit);
  }
  assert.equal(digitsOf(listen([mix(noise(8000 * 5, dbm0ToPeak(-10), 99))])), '');
});

test('key strings: 40 ms tones with 40 ms pauses, repeated keys kept apart', () => {
  const keys = '1223#*0D55';
  const parts = [...keys].flatMap((d) => [renderDtmfDigit(d, 40), silence(40)]);
  assert.equal(digitsOf(listen(parts)), keys);
});

test('a 10 ms interruption does not split a key press (Q.24)', () => {
  for (const digit of '5#') {
    const heard = listen([renderDtmfDigit(digit, 50), silence(10), renderDtmfDigit(digit, 50)]);
    assert.equal(digitsOf(heard), digit);
  }
});

test('a changing key without a pause ends the first and reports both', () => {
  assert.equal(digitsOf(listen([renderDtmfDigit('4', 60), renderDtmfDigit('9', 60)])), '49');
});

test('frame size does not matter: 1-sample and 137-sample frames hear what 160-sample frames hear', () => {
  const parts = [renderDtmfDigit('7', 50), silence(60), renderDtmfDigit('A', 70)];
  const reference = listen(parts);
  assert.equal(digitsOf(reference), '7A');
  assert.deepEqual(listen(parts, { frame: 1 }), reference);
  assert.deepEqual(listen(parts, { frame: 137 }), reference);
});

test('onDigitStart fires once per press, after ≥ 35 ms and before onDigit; flush() ends a press in progress', () => {
  const events: string[] = [];
  let lastDurationMs = 0;
  const detector = new InbandDtmfDetector((d, ms) => {
    events.push(`end ${d}`);
    lastDurationMs = ms;
  }, {
    onDigitStart: (d) => events.push(`start ${d}`),
  });
  detector.process(silence(100));
  const tone = renderDtmfDigit('8', 200);
  detector.process(tone.subarray(0, 240));
  assert.deepEqual(events, []);
  detector.process(tone.subarray(240));
  assert.deepEqual(events, ['start 8']);
  detector.flush();
  assert.deepEqual(events, ['start 8', 'end 8']);
  // flush() counts whole blocks only: up to one block (13.25 ms) of the tone may be left out.
  assert.ok(lastDurationMs > 185 && lastDurationMs <= 204, `${lastDurationMs} ms`);
  detector.process(silence(200));
  assert.equal(events.length, 2);
});

/** Sum of harmonics of f0 at the given levels (dB relative to −12 dBm0), harmonic number → dB. */
function harmonics(f0: number, levelsDb: Record<number, number>, ms: number): Int16Array {
  const out = new Float64Array(ms * 8);
  for (const [h, db] of Object.entries(levelsDb)) {
    const amplitude = dbm0ToPeak(-12 + db);
    for (let n = 0; n < out.length; n++) out[n] += amplitude * Math.sin((2 * Math.PI * Number(h) * f0 * n) / 8000 + Number(h));
  }
  return mix(out);
}

test('talk-off: two voice harmonics that match a key are rejected when the other harmonics of the voice are there', () => {
  // f0 = 134.4 Hz: harmonics 7 and 9 (940.8 and 1209.6 Hz) are a valid '*' on their own…
  assert.equal(digitsOf(listen([harmonics(134.4, { 7: 0, 9: 0 }, 100)])), '*');
  // …but harmonics 5, 2 and 11 of the same voice (f_low − d, d, f_high + d) 15 dB down give it away. They pass
  // every other check (energy fraction 95 %, relative peaks ≥ 15 dB), so this exercises the harmonic-grid check.
  assert.equal(digitsOf(listen([harmonics(134.4, { 7: 0, 9: 0, 2: -15, 5: -15, 11: -15 }, 100)])), '');
});

test('talk-off: a gliding harmonic voice with formant-like weights and noise triggers nothing', () => {
  const seconds = 6;
  const out = new Float64Array(8000 * seconds);
  const formants = [700, 1220, 2600];
  let phase = 0;
  for (let n = 0; n < out.length; n++) {
    const f0 = 110 + 90 * (0.5 + 0.5 * Math.sin((2 * Math.PI * n) / 8000 / 1.7)) + 40 * Math.sin((2 * Math.PI * n) / 8000 * 3.1);
    phase += (2 * Math.PI * f0) / 8000;
    let v = 0;
    for (let h = 1; h * f0 < 3400; h++) {
      const weight = formants.reduce((w, f) => w + 1 / (1 + ((h * f0 - f) / 120) ** 2), 0.05);
      v += weight * Math.sin(h * phase);
    }
    out[n] = 3000 * v;
  }
  const pcm = mix(out, noise(out.length, 300, 7));
  assert.equal(digitsOf(listen([pcm])), '');
});
