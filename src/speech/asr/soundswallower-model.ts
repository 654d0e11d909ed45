/**
 * The SoundSwallower acoustic model, loaded once per thread, and the decoders made from it.
 *
 * The package's Decoder.initialize() re-reads every model file and the 134 000-word dictionary for each decoder
 * (~130 ms, ~25 MB of WASM heap each). Here the files are read once; a decoder is built synchronously from those
 * bytes through the C entry points the module exports, with an empty main dictionary that grammars fill with just
 * their words (~20 ms, ~6 MB each; see the benchmark). Each step that can fail names the file it was reading.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SwitchboardError } from '../../common/index.js';
import { PronunciationDictionary } from './pronunciation-dictionary.js';
import { SoundSwallowerDecoder, type DecoderModelFiles, type SoundSwallowerModule } from './soundswallower-decoder.js';
import { SoundSwallowerVad, type SoundSwallowerVadOptions } from './soundswallower-vad.js';

export interface SoundSwallowerModelOptions {
  /** Folder holding model folders; the soundswallower package's own model/ folder by default. */
  modelBase?: string;
  /** Model folder name inside modelBase: "en-us" (8 kHz telephone model) by default. */
  modelName?: string;
  /** Decoder settings (PocketSphinx names: beam, wbeam, pbeam, lw, wip, pip, silprob, fillprob, …). */
  decoderConfig?: Record<string, string | number | boolean>;
}

const REQUIRED_FILES = ['feat_params.json', 'mdef', 'means', 'variances', 'transition_matrices', 'noisedict.txt', 'dict.txt'] as const;
const MIXTURE_FILES = ['sendump', 'mixture_weights'] as const;
const SAMPLE_RATE = 8000;

/** The soundswallower package's model folder. */
export function defaultModelBase(): string {
  return join(dirname(createRequire(import.meta.url).resolve('soundswallower')), 'model');
}


function modelError(message: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError('SWB_ERR_ASR_MODEL', message, cause === undefined ? undefined : { cause });
}

async function readModelFile(dir: string, name: string): Promise<Uint8Array> {
  const path = join(dir, name);
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw modelError(`Speech model file ${path} could not be read: ${(e as Error).message}`, e);
  }
}

export class SoundSwallowerModel {
  readonly sampleRate = SAMPLE_RATE;
  /** Phones of the model's dictionary (the garbage loop and custom pronunciations use these). */
  readonly phones: readonly string[];
  private decodersCreated = 0;

  private constructor(
    readonly modelDir: string,
    readonly dictionary: PronunciationDictionary,
    private readonly files: DecoderModelFiles,
    private readonly module: SoundSwallowerModule,
    private readonly engineLog: string[],
    private readonly config: Record<string, string | number | boolean>,
  ) {
    this.phones = dictionary.phones();
  }

  /**
   * Reads and checks the model, then builds one decoder to prove the files parse. Fails with SWB_ERR_ASR_MODEL
   * naming the missing or corrupt file.
   */
  static async load(options: SoundSwallowerModelOptions = {}): Promise<SoundSwallowerModel> {
    const modelBase = options.modelBase ?? defaultModelBase();
    const modelDir = join(modelBase, options.modelName ?? 'en-us');
    // Read in parallel, but report the first missing file in a fixed order: the same broken model gives the same message.
    const reads = await Promise.allSettled(REQUIRED_FILES.map((f) => readModelFile(modelDir, f)));
    const failed = reads.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [featBytes, mdef, means, variances, tmat, noiseDict, dictBytes] = reads.map((r) => (r as PromiseFulfilledResult<Uint8Array>).value);
    let mixture: DecoderModelFiles['mixture'] | undefined;
    for (const name of MIXTURE_FILES) {
      try {
        mixture = { name, bytes: new Uint8Array(await readFile(join(modelDir, name))) };
        break;
      } catch {
        // A model has one of the two mixture-weight files; the other is expected to be absent.
      }
    }
    if (!mixture) throw modelError(`Speech model file ${join(modelDir, MIXTURE_FILES[0])} (or ${MIXTURE_FILES[1]}) could not be read`);
    let featParams: Record<string, unknown>;
    try {
      featParams = JSON.parse(new TextDecoder().decode(featBytes)) as Record<string, unknown>;
    } catch (e) {
      throw modelError(`Speech model file ${join(modelDir, 'feat_params.json')} is not valid JSON: ${(e as Error).message}`, e);
    }
    const dictionary = PronunciationDictionary.parse(new TextDecoder().decode(dictBytes), join(modelDir, 'dict.txt'));
    if (dictionary.size === 0) throw modelError(`Speech model file ${join(modelDir, 'dict.txt')} has no words`);
    const engineLog: string[] = [];
    const module = await loadModule(modelBase, engineLog);
    const config = { samprate: SAMPLE_RATE, loglevel: 'ERROR', ...options.decoderConfig, hmm: modelDir };
    const model = new SoundSwallowerModel(
      modelDir, dictionary, { featParams, mdef, means, variances, tmat, mixture, noiseDict }, module, engineLog, config,
    );
    model.createDecoder().delete();
    return model;
  }

  /** Current size of the engine's WASM heap (it only grows). */
  get heapBytes(): number {
    return this.module.HEAPU8.length;
  }

  /** Decoders built so far. */
  get decoderCount(): number {
    return this.decodersCreated;
  }

  /** Builds a decoder (synchronous, ~20 ms); it holds ~6 MB of WASM heap until deleted. */
  createDecoder(overrides: Record<string, string | number | boolean> = {}): SoundSwallowerDecoder {
    this.engineLog.length = 0;
    const config = { ...this.config, ...overrides };
    const decoder = SoundSwallowerDecoder.create(this.module, config, this.files, this.modelDir, () => this.engineLog.join(' | '));
    this.decodersCreated++;
    return decoder;
  }

  /** A WebRTC voice activity detector on 20 ms frames, smoothed over `windowMs` (see SoundSwallowerVad). */
  createVad(options: SoundSwallowerVadOptions = {}): SoundSwallowerVad {
    return new SoundSwallowerVad(this.module, this.sampleRate, options);
  }
}

const ENGINE_LOG_LINES = 8;

async function loadModule(modelBase: string, engineLog: string[]): Promise<SoundSwallowerModule> {
  const { default: createModule } = await import('soundswallower');
  const keep = (line: string): void => {
    engineLog.push(line.trim());
    if (engineLog.length > ENGINE_LOG_LINES) engineLog.shift();
  };
  const overrides = { modelBase: modelBase.endsWith('/') ? modelBase : `${modelBase}/`, print: keep, printErr: keep };
  return (await createModule(overrides as Parameters<typeof createModule>[0])) as unknown as SoundSwallowerModule;
}
