import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRtpPcap, readWav, writeWav, type EnvelopeMatch, type PcmAudio, type RtpItem, type RtpStreamOptions } from '../support/pcap/index.js';
import { defaultServerMain, repoFlowsDir, runBounded } from '../support/peers/index.js';

/**
 * Test audio, generated at test time: caller speech (espeak-ng → sox → 8 kHz mono 16-bit), a silent microphone
 * for baresip, and the server's own rendering of the demo flow's prompts (`main.js render-prompt demo/NODE --out
 * F.wav`), which is the reference recordings are correlated against. Prepared once by run-interop.ts (SWB_INTEROP_MEDIA
 * names the dir); a test file run on its own prepares its own copy.
 */

/**
 * What the tests listen for, as the demo flow's prompts (flows/demo.yaml) that make it up, played in this order:
 * the greeting is the welcome node followed by the menu.
 */
const PROMPT_PARTS = {
  greeting: ['demo/welcome', 'demo/main'],
  goodbye: ['demo/goodbye'],
  invalid: ['demo/main.invalidPrompt'],
  timeout: ['demo/main.noInputPrompt'],
  'enter-digits': ['demo/digits'],
  menu: ['demo/main'],
  'time-is': ['demo/time.part1'],
} as const;
export type PromptName = keyof typeof PROMPT_PARTS;
export const PROMPT_NAMES = Object.keys(PROMPT_PARTS) as PromptName[];

export interface InteropMedia {
  dir: string;
  /** "Hello. This is the caller speaking ..." — 8 kHz mono 16-bit. */
  callerWav: string;
  /** 60 s of digital silence: a microphone for baresip that does not end the call (its aufile hangs up at EOF). */
  silenceWav: string;
  prompts: Record<PromptName, string>;
  /** Why the prompts could not be rendered (server not built, render-prompt failing), if so. */
  promptError?: string;
}

const MANIFEST = 'media.json';

async function mustRun(cmd: string, args: string[], timeoutMs: number, env?: Record<string, string>): Promise<void> {
  const r = await runBounded(cmd, args, env ? { timeoutMs, env: { ...process.env, ...env } } : { timeoutMs });
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (code ${r.code}${r.timedOut ? ', timed out' : ''}):\n${r.stderr}${r.stdout}`);
  }
}

/** Speech as an 8 kHz mono 16-bit WAV. */
export async function synthesizeSpeech(text: string, out: string): Promise<void> {
  const raw = `${out}.espeak.wav`;
  await mustRun('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text], 60_000);
  await mustRun('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', out], 60_000);
  rmSync(raw, { force: true });
}

export async function renderPrompt(name: PromptName, out: string, serverMain = defaultServerMain()): Promise<void> {
  const pieces: Int16Array[] = [];
  for (const part of PROMPT_PARTS[name]) {
    const partFile = `${out}.${part.replace(/\W+/g, '_')}.wav`;
    await mustRun(process.execPath, [serverMain, 'render-prompt', part, '--out', partFile], 120_000, { SWB_FLOWS_DIR: repoFlowsDir() });
    const wav = readWav(partFile);
    if (wav.sampleRate !== 8000 || wav.samples.length < 800) {
      throw new Error(`render-prompt ${part}: expected an 8 kHz WAV of speech, got ${wav.sampleRate} Hz, ${wav.samples.length} samples`);
    }
    pieces.push(wav.samples);
  }
  const all = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  writeWav(out, all);
}

export async function prepareMedia(dir: string, serverMain = defaultServerMain()): Promise<InteropMedia> {
  mkdirSync(dir, { recursive: true });
  const media: InteropMedia = {
    dir,
    callerWav: join(dir, 'caller8k.wav'),
    silenceWav: join(dir, 'silence60s.wav'),
    prompts: Object.fromEntries(PROMPT_NAMES.map((n) => [n, join(dir, `prompt-${n}.wav`)])) as Record<PromptName, string>,
  };
  await synthesizeSpeech('Hello. This is the caller speaking from the SIP harness. One two three.', media.callerWav);
  writeWav(media.silenceWav, new Int16Array(8000 * 60));
  try {
    for (const name of PROMPT_NAMES) await renderPrompt(name, media.prompts[name], serverMain);
  } catch (e) {
    media.promptError = (e as Error).message;
  }
  writeFileSync(join(dir, MANIFEST), JSON.stringify(media, null, 2));
  return media;
}

let cached: Promise<InteropMedia> | undefined;

/** The media of this run: the prepared dir named by SWB_INTEROP_MEDIA, else prepared once in a temp dir. */
export function interopMedia(): Promise<InteropMedia> {
  cached ??= (async () => {
    const dir = process.env.SWB_INTEROP_MEDIA;
    if (dir && existsSync(join(dir, MANIFEST))) return JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as InteropMedia;
    return prepareMedia(dir ?? mkdtempSync(join(tmpdir(), 'swb-media-')));
  })();
  return cached;
}

/** The rendered prompt WAVs; throws why they are missing when rendering failed. */
export function promptWavs(media: InteropMedia): Record<PromptName, string> {
  if (media.promptError) throw new Error(`demo prompts unavailable: ${media.promptError}`);
  return media.prompts;
}

/**
 * The envelope correlation a prompt match must reach: 0.8, or 0.9 for speech shorter than 1.5 s, whose few
 * envelope frames also fit unrelated speech fairly well (measured inside the greeting: "Goodbye." 0.71, "The time
 * is" 0.79; true matches score 0.99 and above).
 */
export function requiredCorrelation(match: EnvelopeMatch): number {
  return match.speechSec < 1.5 ? 0.9 : 0.8;
}

export function loadPcm(path: string): PcmAudio {
  const w = readWav(path);
  return { samples: w.samples, sampleRate: w.sampleRate };
}

export function durationMsOf(path: string): number {
  const w = readWav(path);
  return Math.round((w.samples.length * 1000) / w.sampleRate);
}

/** Writes a one-stream RTP pcap for play_pcap_audio; returns its length in ms (the scenario's pause must cover it). */
export function writeRtpPcap(path: string, items: RtpItem[], options: RtpStreamOptions = {}): number {
  const built = buildRtpPcap(items, options);
  writeFileSync(path, built.pcap);
  return built.durationMs;
}

/** A fresh, empty working dir for one test under the run's dir (SWB_INTEROP_WORK) or a temp dir. */
export function testWorkDir(name: string): string {
  const root = process.env.SWB_INTEROP_WORK ?? join(tmpdir(), 'swb-interop');
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
