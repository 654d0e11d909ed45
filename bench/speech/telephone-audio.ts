/**
 * Test audio for the speech benchmark: espeak-ng or Flite speech resampled to 8 kHz with our resampler, levelled, optionally
 * mixed with noise, and passed through G.711 µ-law (encode → decode) like a phone call's inbound audio. Clips are
 * cached under bench/.cache/speech (gitignored) by their full description.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeG711, encodeG711, readWav, resamplePcm } from '../../src/media/codec/index.js';
import { dbm0ToMeanSquare } from '../../src/media/tone/index.js';
import { seededRandom } from '../dtmf/dtmf-battery.js';

export const SAMPLE_RATE = 8000;
const FRAME = 160;

export interface ClipSpec {
  /** Text to speak; omitted for noise and silence clips. */
  text?: string;
  /** Synthesizer: espeak-ng (formant voices) by default, or Flite (src/speech FliteTtsProvider). */
  engine?: 'espeak' | 'flite';
  voice?: string;
  /** espeak-ng words per minute, or Flite rate relative to normal (1 = normal). */
  speed?: number;
  pitch?: number;
  /** Play the synthesized speech backwards (speech-like garbage). */
  reversed?: boolean;
  /** Noise-only clip length. */
  noiseMs?: number;
  /** Speech level in dBm0 (RMS over the voiced part). */
  levelDbm0: number;
  /** Signal-to-noise ratio of added white noise in dB; omitted = no noise. Noise-only clips use it as the noise level in dBm0. */
  snrDb?: number;
  leadMs: number;
  tailMs: number;
}

export interface Clip {
  pcm: Int16Array;
  /** First and last-plus-one sample of the voiced part (before noise), or -1 when there is none. */
  speechStart: number;
  speechEnd: number;
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

export interface Synthesizer {
  synthesize(text: string, options: { voice: string; rate: number }): Promise<{ pcm: Int16Array; sampleRate: number }>;
}

async function synthesize(spec: ClipSpec, dir: string, id: string, flite: Synthesizer): Promise<Int16Array> {
  if (spec.engine === 'flite') {
    const audio = await flite.synthesize(spec.text ?? '', { voice: spec.voice ?? 'slt', rate: spec.speed ?? 1 });
    const pcm = resamplePcm(audio.pcm, audio.sampleRate, SAMPLE_RATE);
    if (spec.reversed) pcm.reverse();
    return pcm;
  }
  const file = join(dir, `${id}.wav`);
  const run = spawnSync('espeak-ng', ['-v', spec.voice ?? 'en-us', '-s', String(spec.speed ?? 175), '-p', String(spec.pitch ?? 50), '-w', file, spec.text ?? '']);
  if (run.error || run.status !== 0) throw new Error(`espeak-ng failed (${spec.voice}): ${run.error?.message ?? run.stderr.toString()}`);
  const wav = readWav(readFileSync(file));
  rmSync(file);
  const pcm = resamplePcm(wav.pcm, wav.sampleRate, SAMPLE_RATE);
  if (spec.reversed) pcm.reverse();
  return pcm;
}

/** Voiced span: frames whose energy is within 40 dB of the loudest frame. */
function voicedSpan(pcm: Int16Array): [number, number] {
  const energies: number[] = [];
  for (let i = 0; i + FRAME <= pcm.length; i += FRAME) {
    let e = 0;
    for (let j = i; j < i + FRAME; j++) e += pcm[j] * pcm[j];
    energies.push(e / FRAME);
  }
  const peak = Math.max(...energies, 1);
  const threshold = peak / 1e4;
  const first = energies.findIndex((e) => e > threshold);
  let last = energies.length - 1;
  while (last >= 0 && energies[last] <= threshold) last--;
  return first < 0 ? [0, 0] : [first * FRAME, (last + 1) * FRAME];
}

async function buildClip(spec: ClipSpec, dir: string, id: string, seed: number, flite: Synthesizer): Promise<Clip> {
  const rand = seededRandom(seed);
  const lead = Math.round((spec.leadMs / 1000) * SAMPLE_RATE);
  const tail = Math.round((spec.tailMs / 1000) * SAMPLE_RATE);
  let body: Float64Array;
  let speechStart = -1;
  let speechEnd = -1;
  let noiseMeanSquare = 0;
  if (spec.text !== undefined) {
    const speech = await synthesize(spec, dir, id, flite);
    const [s, e] = voicedSpan(speech);
    let sum = 0;
    for (let i = s; i < e; i++) sum += speech[i] * speech[i];
    const gain = Math.sqrt(dbm0ToMeanSquare(spec.levelDbm0) / Math.max(1, sum / Math.max(1, e - s)));
    body = Float64Array.from(speech.subarray(s, e), (v) => v * gain);
    speechStart = lead;
    speechEnd = lead + body.length;
    if (spec.snrDb !== undefined) noiseMeanSquare = dbm0ToMeanSquare(spec.levelDbm0 - spec.snrDb);
  } else {
    body = new Float64Array(Math.round(((spec.noiseMs ?? 0) / 1000) * SAMPLE_RATE));
    if (spec.snrDb !== undefined) {
      const level = Math.sqrt(dbm0ToMeanSquare(spec.snrDb));
      for (let i = 0; i < body.length; i++) body[i] = gaussian(rand) * level;
    }
  }
  const total = new Float64Array(lead + body.length + tail);
  total.set(body, lead);
  if (noiseMeanSquare > 0) {
    const sd = Math.sqrt(noiseMeanSquare);
    for (let i = 0; i < total.length; i++) total[i] += gaussian(rand) * sd;
  }
  const linear = Int16Array.from(total, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
  const pcm = decodeG711('pcmu', encodeG711('pcmu', linear));
  return { pcm, speechStart, speechEnd };
}

/** Builds (or reads back from the cache) the telephone-channel audio for a clip. */
export async function telephoneClip(spec: ClipSpec, cacheDir: string, flite: Synthesizer): Promise<Clip> {
  mkdirSync(cacheDir, { recursive: true });
  const id = createHash('sha1').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
  const file = join(cacheDir, `${id}.pcm`);
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const header = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + 8));
    const pcm = new Int16Array(buf.buffer.slice(buf.byteOffset + 8, buf.byteOffset + buf.length));
    return { pcm, speechStart: header[0], speechEnd: header[1] };
  }
  const clip = await buildClip(spec, cacheDir, id, parseInt(id.slice(0, 8), 16), flite);
  const header = Buffer.from(new Int32Array([clip.speechStart, clip.speechEnd]).buffer);
  writeFileSync(file, Buffer.concat([header, Buffer.from(clip.pcm.buffer, clip.pcm.byteOffset, clip.pcm.byteLength)]));
  return clip;
}

export function requireEspeak(): void {
  const probe = spawnSync('espeak-ng', ['--version']);
  if (probe.error || probe.status !== 0) throw new Error('espeak-ng is not installed (Debian: apt-get install -y espeak-ng)');
}
