/**
 * Test audio for the recognizer tests: Flite speech through a G.711 µ-law telephone channel (sox resamples to
 * 8 kHz and encodes/decodes µ-law; Debian: sox), plus synthetic silence, noise and buzz. Not used by the server.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FliteTtsProvider, type TtsProvider } from '../index.js';
import type { Recognition } from './index.js';

export const RATE = 8000;
const FRAME = 160;

function sox(args: string[]): void {
  // -R: no random dither, so the same text gives the same audio and the same recognition on every run.
  const run = spawnSync('sox', ['-R', ...args]);
  if (run.error || run.status !== 0) throw new Error(`sox ${args.join(' ')} failed: ${run.error?.message ?? run.stderr.toString()}`);
}

/** Synthesizes `text` and passes it through resampling to 8 kHz and µ-law encode → decode. */
export async function telephoneSpeech(tts: TtsProvider, dir: string, text: string, voice: string): Promise<Int16Array> {
  const audio = await tts.synthesize(text, { voice });
  const name = join(dir, `${voice}-${text.replace(/[^a-z]+/gi, '-').slice(0, 40)}`);
  writeFileSync(`${name}.raw`, Buffer.from(audio.pcm.buffer, audio.pcm.byteOffset, audio.pcm.byteLength));
  sox(['-t', 'raw', '-r', String(audio.sampleRate), '-e', 'signed', '-b', '16', '-c', '1', `${name}.raw`, '-r', String(RATE), '-e', 'mu-law', '-t', 'wav', `${name}-ulaw.wav`]);
  sox([`${name}-ulaw.wav`, '-t', 'raw', '-e', 'signed', '-b', '16', `${name}-8k.raw`]);
  const bytes = readFileSync(`${name}-8k.raw`);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** A Flite voice on a telephone line, with a scratch folder of its own for sox; close() removes both. */
export class TelephoneSpeaker {
  private readonly tts = new FliteTtsProvider();
  private readonly dir = mkdtempSync(join(tmpdir(), 'swb-speech-'));

  constructor(private readonly defaultVoice = 'slt') {}

  /** The speech alone (telephoneSpeech). */
  speech(text: string, voice = this.defaultVoice): Promise<Int16Array> {
    return telephoneSpeech(this.tts, this.dir, text, voice);
  }

  /** An utterance as a caller makes it: 500 ms of silence, the speech, 1500 ms of silence. */
  async say(text: string, voice = this.defaultVoice): Promise<Int16Array> {
    return concat(silence(500), await this.speech(text, voice), silence(1500));
  }

  async close(): Promise<void> {
    await this.tts.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function silence(ms: number): Int16Array {
  return new Int16Array((ms / 1000) * RATE);
}

/** Deterministic white noise at the given RMS. */
export function noise(ms: number, rms: number, seed = 1): Int16Array {
  let s = seed;
  const out = new Int16Array((ms / 1000) * RATE);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = Math.round(((s / 2 ** 32) * 2 - 1) * rms * Math.sqrt(3));
  }
  return out;
}

/** A voice-like buzz: a 140 Hz pulse train's first harmonics, the kind of burst a VAD takes for speech. */
export function buzz(ms: number, amplitude = 6000): Int16Array {
  const out = new Int16Array((ms / 1000) * RATE);
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin((2 * Math.PI * 140 * h * i) / RATE) / h;
    out[i] = Math.round(v * amplitude * 0.4);
  }
  return out;
}

/** Feeds audio in 20 ms frames until the recognition finishes; returns the frames fed. */
export function feed(recognition: Recognition, pcm: Int16Array): number {
  let frames = 0;
  for (let i = 0; i < pcm.length && !recognition.finished; i += FRAME) {
    recognition.feed(pcm.subarray(i, Math.min(i + FRAME, pcm.length)));
    frames++;
  }
  return frames;
}
