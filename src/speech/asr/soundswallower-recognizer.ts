/**
 * SpeechRecognizer on SoundSwallower: grammars compiled to JSGF with a carrier and a garbage path
 * (grammar-compiler.ts), one pooled decoder + VAD per active recognition, endpointing on the media clock.
 */
import { DecoderPool, type DecoderPoolOptions } from './decoder-pool.js';
import { DEFAULT_GRAMMAR_TUNING, GrammarCompiler, type GrammarTuning } from './grammar-compiler.js';
import type { RecognitionGrammar } from './recognition-grammar.js';
import { SoundSwallowerModel, type SoundSwallowerModelOptions } from './soundswallower-model.js';
import {
  DEFAULT_CONFIDENCE_CALIBRATION, SoundSwallowerRecognition, type ConfidenceCalibration, type RecognitionSlot,
} from './soundswallower-recognition.js';
import type { SoundSwallowerVadOptions } from './soundswallower-vad.js';
import type { Recognition, RecognitionListener, RecognitionOptions, SpeechRecognizer } from './speech-recognizer.js';

export interface SoundSwallowerRecognizerOptions extends SoundSwallowerModelOptions {
  pool?: DecoderPoolOptions;
  tuning?: Partial<GrammarTuning>;
  vad?: SoundSwallowerVadOptions;
  /** Defaults for every recognition's options. */
  defaults?: RecognitionOptions;
  confidence?: Partial<ConfidenceCalibration>;
  /** Settings of the phone-loop decoder that confidence is measured against. */
  referenceConfig?: Record<string, string | number | boolean>;
}

/**
 * The reference decoder only needs its path score (no lattice), and a rougher one does: scoring the single best
 * Gaussian per mixture instead of 4 cuts its cost by a quarter (bench:speech).
 */
const REFERENCE_DECODER_CONFIG = { bestpath: false, topn: 1 };

/**
 * With DEFAULT_CONFIDENCE_CALIBRATION: on bench:speech's human voice, 0.5 let 3 of 80 recorded sentences through as
 * answers (confidences 0.51–0.60) and 0.6 none, with the same answers and digit strings right; on its synthetic
 * voices both stay at 0 false accepts and 0.6 costs ~2 points of routing (see bench/results/speech.json: humanVoice,
 * thresholdSweep).
 */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
/** Audio kept before the VAD's decision so the decoder hears the word onset. */
const PRE_ROLL_MS = 300;
/** Longest utterance kept for N-best re-decoding. */
const UTTERANCE_BUFFER_MS = 20000;

export class SoundSwallowerRecognizer implements SpeechRecognizer {
  readonly name = 'soundswallower';
  readonly sampleRate: number;
  readonly compiler: GrammarCompiler;
  readonly pool: DecoderPool<RecognitionSlot>;
  private readonly defaults: RecognitionOptions;
  private readonly confidence: ConfidenceCalibration;
  private readonly live = new Set<SoundSwallowerRecognition>();

  private constructor(readonly model: SoundSwallowerModel, options: SoundSwallowerRecognizerOptions) {
    this.sampleRate = model.sampleRate;
    this.compiler = new GrammarCompiler(model.dictionary, model.phones.filter((p) => /^[A-Z]+$/.test(p) && p !== 'SIL'), {
      ...DEFAULT_GRAMMAR_TUNING,
      ...options.tuning,
    });
    this.defaults = { confidenceThreshold: DEFAULT_CONFIDENCE_THRESHOLD, ...options.defaults };
    const vadOptions = options.vad ?? {};
    const frameSamples = (this.sampleRate * 20) / 1000;
    const phoneLoop = this.compiler.phoneLoop();
    this.confidence = { ...DEFAULT_CONFIDENCE_CALIBRATION, ...options.confidence };
    this.pool = new DecoderPool<RecognitionSlot>(() => {
      const decoder = model.createDecoder();
      const reference = model.createDecoder({ ...REFERENCE_DECODER_CONFIG, ...options.referenceConfig });
      reference.useGrammar(phoneLoop.key, phoneLoop.jsgf, phoneLoop.words);
      const vad = model.createVad(vadOptions);
      const preRollFrames = vad.lagFrames + Math.ceil(PRE_ROLL_MS / 20);
      return {
        decoder,
        reference,
        vad,
        preRoll: new Int16Array(preRollFrames * frameSamples),
        utterance: new Int16Array((UTTERANCE_BUFFER_MS / 1000) * this.sampleRate),
        get currentGrammar() {
          return decoder.currentGrammar;
        },
        reset() {
          decoder.resetFeatures();
          reference.resetFeatures();
        },
        delete() {
          decoder.delete();
          reference.delete();
        },
      };
    }, options.pool);
  }

  /** Loads the model (failing with SWB_ERR_ASR_MODEL naming a missing or corrupt file) and warms the pool. */
  static async create(options: SoundSwallowerRecognizerOptions = {}): Promise<SoundSwallowerRecognizer> {
    const model = await SoundSwallowerModel.load(options);
    return new SoundSwallowerRecognizer(model, options);
  }

  start(grammar: RecognitionGrammar, listener: RecognitionListener, options: RecognitionOptions = {}): Recognition {
    const compiled = this.compiler.compile(grammar);
    const slot = this.pool.acquire(compiled.key);
    try {
      slot.decoder.useGrammar(compiled.key, compiled.jsgf, compiled.words);
    } catch (e) {
      this.pool.release(slot);
      throw e;
    }
    const recognition = new SoundSwallowerRecognition(slot, compiled, this.compiler, this.confidence, listener, { ...this.defaults, ...options }, (r) => {
      this.live.delete(r);
      this.pool.release(slot);
    });
    this.live.add(recognition);
    return recognition;
  }

  close(): void {
    for (const r of [...this.live]) r.cancel();
    this.pool.close();
  }
}
