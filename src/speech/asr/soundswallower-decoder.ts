/**
 * One SoundSwallower (PocketSphinx) decoder, driven through the C functions the WASM module exports so that feeding
 * a 20 ms frame copies 160 samples into a buffer allocated once, with no per-frame allocation on either side.
 */
import { SwitchboardError } from '../../common/index.js';

/** The upstream JS Decoder object (soundswallower/index.d.ts), with the fields its initialize() would set. */
interface UpstreamDecoder {
  cdecoder: number;
  initialized: boolean;
  cacmod: number;
  has_config(key: string): boolean;
  set_config(key: string, val: string | number): boolean;
  get_config(key: string): string | number;
  add_words(...words: Array<[string, string]>): void;
  set_grammar(jsgf: string): void;
  delete(): void;
}

/** The parts of the Emscripten module used here (exported C symbols of SoundSwallower 0.6). */
export interface SoundSwallowerModule {
  HEAPU8: Uint8Array;
  HEAP16: Int16Array;
  HEAP32: Int32Array;
  HEAPF32: Float32Array;
  Decoder: new (config: Record<string, string | number | boolean>) => UpstreamDecoder;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _s3file_init(ptr: number, bytes: number): number;
  _s3file_free(s3f: number): void;
  _decoder_init_cleanup(d: number): number;
  _decoder_init_fe(d: number): number;
  _decoder_init_feat_s3file(d: number, lda: number): number;
  _decoder_init_acmod_pre(d: number): number;
  _decoder_init_acmod_post(d: number): number;
  _acmod_reinit_feat(acmod: number, fe: number, fcb: number): number;
  _bin_mdef_read_s3file(s3f: number, cionly: number): number;
  _set_mdef(d: number, mdef: number): void;
  _decoder_logmath(d: number): number;
  _tmat_init_s3file(s3f: number, logmath: number, floor: number): number;
  _set_tmat(d: number, tmat: number): void;
  _load_gmm(d: number, means: number, variances: number, mixw: number, sendump: number): number;
  _decoder_init_dict_s3file(d: number, dict: number, fdict: number): number;
  _decoder_start_utt(d: number): number;
  _decoder_end_utt(d: number): number;
  _decoder_process_float32(d: number, pcm: number, samples: number, noSearch: number, fullUtt: number): number;
  _decoder_hyp(d: number, outScore: number): number;
  _decoder_result_json(d: number, start: number, alignLevel: number): number;
  _endpointer_init(window: number, ratio: number, mode: number, sampleRate: number, frameLength: number): number;
  _endpointer_process(ep: number, frame: number): number;
  _endpointer_in_speech(ep: number): number;
  _endpointer_vad(ep: number): number;
}

export interface DecoderModelFiles {
  featParams: Record<string, unknown>;
  mdef: Uint8Array;
  means: Uint8Array;
  variances: Uint8Array;
  tmat: Uint8Array;
  mixture: { name: 'sendump' | 'mixture_weights'; bytes: Uint8Array };
  noiseDict: Uint8Array;
}

/** A word of the final hypothesis and where it lies, in 10 ms feature frames. */
export interface WordSegment {
  word: string;
  startFrame: number;
  frames: number;
}

/** Samples copied into the WASM heap per call; longer inputs are fed in pieces. */
const CHUNK_SAMPLES = 1600;
const utf8 = new TextDecoder();

export function readCString(module: SoundSwallowerModule, ptr: number): string {
  if (ptr === 0) return '';
  const heap = module.HEAPU8;
  let end = ptr;
  while (heap[end] !== 0) end++;
  return utf8.decode(heap.subarray(ptr, end));
}

/** Copies bytes into the WASM heap as an s3file (the module's in-memory file); the memory stays with the decoder. */
function toS3File(module: SoundSwallowerModule, bytes: Uint8Array): number {
  const ptr = module._malloc(bytes.length + 1);
  if (ptr === 0) throw new SwitchboardError('SWB_ERR_ASR_MODEL', `Out of WASM memory loading ${bytes.length} bytes of model data`);
  module.HEAPU8.set(bytes, ptr);
  module.HEAPU8[ptr + bytes.length] = 0;
  return module._s3file_init(ptr, bytes.length);
}

export class SoundSwallowerDecoder {
  private readonly words = new Set<string>();
  private grammarKey: string | null = null;
  private readonly pcmPtr: number;
  private readonly scorePtr: number;
  private inUtterance = false;

  private constructor(private readonly module: SoundSwallowerModule, private readonly upstream: UpstreamDecoder) {
    this.pcmPtr = module._malloc(CHUNK_SAMPLES * 4);
    this.scorePtr = module._malloc(4);
  }

  /**
   * Builds a decoder from model bytes; throws SWB_ERR_ASR_MODEL naming the file that failed to load. `log` holds
   * the engine's recent error lines, quoted in the message.
   */
  static create(
    module: SoundSwallowerModule,
    config: Record<string, string | number | boolean>,
    files: DecoderModelFiles,
    modelDir: string,
    log: () => string = () => '',
  ): SoundSwallowerDecoder {
    const fail = (file: string, what: string): SwitchboardError => {
      const detail = log();
      return new SwitchboardError('SWB_ERR_ASR_MODEL', `Speech model file ${modelDir}/${file} ${what}${detail ? ` (engine: ${detail})` : ''}`);
    };
    let upstream: UpstreamDecoder;
    try {
      upstream = new module.Decoder(config);
    } catch (e) {
      throw new SwitchboardError('SWB_ERR_ASR_MODEL', `SoundSwallower rejected the decoder settings: ${(e as Error).message}`, { cause: e });
    }
    const d = upstream.cdecoder;
    try {
      for (const [key, value] of Object.entries(files.featParams)) {
        if (upstream.has_config(key)) upstream.set_config(key, typeof value === 'boolean' ? Number(value) : (value as string | number));
      }
      if (module._decoder_init_cleanup(d) < 0 || module._decoder_init_fe(d) === 0 || module._decoder_init_feat_s3file(d, 0) === 0) {
        throw fail('feat_params.json', 'has feature settings the engine rejects');
      }
      const acmod = module._decoder_init_acmod_pre(d);
      if (acmod === 0) throw fail('feat_params.json', 'could not set up acoustic scoring');
      const mdefFile = toS3File(module, files.mdef);
      const mdef = module._bin_mdef_read_s3file(mdefFile, Number(upstream.get_config('cionly')));
      module._s3file_free(mdefFile);
      if (mdef === 0) throw fail('mdef', 'is corrupt (model definition could not be parsed)');
      module._set_mdef(d, mdef);
      const tmatFile = toS3File(module, files.tmat);
      const tmat = module._tmat_init_s3file(tmatFile, module._decoder_logmath(d), Number(upstream.get_config('tmatfloor')));
      module._s3file_free(tmatFile);
      if (tmat === 0) throw fail('transition_matrices', 'is corrupt');
      module._set_tmat(d, tmat);
      const means = toS3File(module, files.means);
      const variances = toS3File(module, files.variances);
      const mixture = toS3File(module, files.mixture.bytes);
      const sendump = files.mixture.name === 'sendump';
      if (module._load_gmm(d, means, variances, sendump ? 0 : mixture, sendump ? mixture : 0) < 0) {
        throw fail(`{means,variances,${files.mixture.name}}`, 'are inconsistent or corrupt');
      }
      if (module._decoder_init_acmod_post(d) < 0) throw fail('mdef', 'does not match the Gaussian parameters');
      if (module._decoder_init_dict_s3file(d, 0, toS3File(module, files.noiseDict)) === 0) throw fail('noisedict.txt', 'is corrupt');
      upstream.cacmod = acmod;
      upstream.initialized = true;
    } catch (e) {
      upstream.delete();
      if (e instanceof SwitchboardError) throw e;
      throw new SwitchboardError('SWB_ERR_ASR_MODEL', `Speech model in ${modelDir} failed to load: ${(e as Error).message}`, { cause: e });
    }
    return new SoundSwallowerDecoder(module, upstream);
  }

  /** The grammar this decoder last searched with (kept between recognitions to skip rebuilding it). */
  get currentGrammar(): string | null {
    return this.grammarKey;
  }

  /**
   * Rebuilds the feature extractor and its cepstral mean normalization (CMN) from the decoder's settings, as the
   * package's reinitialize_audio() does. Live CMN carries its running mean from one utterance into the next, so
   * without this a pooled decoder's result depends on what it heard before, a previous caller included; afterwards
   * the mean is the model's `cmninit` again, as in a new decoder. ~60 µs, no lasting heap growth.
   */
  resetFeatures(): void {
    this.finish();
    const d = this.upstream.cdecoder;
    const fe = this.module._decoder_init_fe(d);
    const fcb = fe === 0 ? 0 : this.module._decoder_init_feat_s3file(d, 0);
    if (fcb === 0 || this.module._acmod_reinit_feat(this.upstream.cacmod, fe, fcb) < 0) {
      throw new SwitchboardError('SWB_ERR_ASR_STATE', 'The decoder could not reset its feature extraction');
    }
  }

  /** Adds the words a grammar needs and makes it the search; a no-op when it already is. */
  useGrammar(key: string, jsgf: string, words: ReadonlyArray<readonly [string, string]>): void {
    if (this.grammarKey === key) return;
    const fresh = words.filter(([w]) => !this.words.has(w)).map(([w, p]) => [w, p] as [string, string]);
    if (fresh.length > 0) {
      this.upstream.add_words(...fresh);
      for (const [w] of fresh) this.words.add(w);
    }
    this.grammarKey = null;
    try {
      this.upstream.set_grammar(jsgf);
    } catch (e) {
      throw new SwitchboardError('SWB_ERR_ASR_GRAMMAR', `The engine rejected the compiled grammar: ${(e as Error).message}`, { cause: e });
    }
    this.grammarKey = key;
  }

  start(): void {
    if (this.inUtterance) this.finish();
    if (this.module._decoder_start_utt(this.upstream.cdecoder) < 0) {
      throw new SwitchboardError('SWB_ERR_ASR_STATE', 'The decoder could not start an utterance');
    }
    this.inUtterance = true;
  }

  /**
   * Decodes PCM16 samples (any count); returns the number of 10 ms feature frames searched. `wholeUtterance`
   * says the samples are the entire utterance, so cepstral mean normalization is computed over all of them
   * instead of being estimated as the audio arrives.
   */
  process(pcm: Int16Array, offset = 0, length = pcm.length - offset, wholeUtterance = false): number {
    if (wholeUtterance) return this.processWhole(pcm, offset, length);
    let searched = 0;
    while (length > 0) {
      const n = Math.min(length, CHUNK_SAMPLES);
      const heap = this.module.HEAPF32;
      const base = this.pcmPtr >> 2;
      for (let i = 0; i < n; i++) heap[base + i] = pcm[offset + i] / 32768;
      const rv = this.module._decoder_process_float32(this.upstream.cdecoder, this.pcmPtr, n, 0, 0);
      if (rv < 0) throw new SwitchboardError('SWB_ERR_ASR_STATE', 'The decoder failed to process audio');
      searched += rv;
      offset += n;
      length -= n;
    }
    return searched;
  }

  private processWhole(pcm: Int16Array, offset: number, length: number): number {
    const ptr = this.module._malloc(length * 4);
    if (ptr === 0) throw new SwitchboardError('SWB_ERR_ASR_STATE', `Out of WASM memory for a ${length}-sample utterance`);
    try {
      const heap = this.module.HEAPF32;
      const base = ptr >> 2;
      for (let i = 0; i < length; i++) heap[base + i] = pcm[offset + i] / 32768;
      const rv = this.module._decoder_process_float32(this.upstream.cdecoder, ptr, length, 0, 1);
      if (rv < 0) throw new SwitchboardError('SWB_ERR_ASR_STATE', 'The decoder failed to process audio');
      return rv;
    } finally {
      this.module._free(ptr);
    }
  }

  /** The best hypothesis so far (partial during the utterance, final after finish()), with its path score. */
  hypothesis(): { text: string; score: number } {
    const ptr = this.module._decoder_hyp(this.upstream.cdecoder, this.scorePtr);
    return { text: readCString(this.module, ptr), score: this.module.HEAP32[this.scorePtr >> 2] };
  }

  /**
   * The final hypothesis's words (after finish()), silence and the grammar's empty transitions left out. Read once
   * per utterance from the engine's JSON result, which gives times in seconds.
   */
  segments(): WordSegment[] {
    const json = readCString(this.module, this.module._decoder_result_json(this.upstream.cdecoder, 0, 0));
    if (json === '') return [];
    const parsed = JSON.parse(json) as { w?: Array<{ t: string; b: number; d: number }> };
    return (parsed.w ?? [])
      .filter((w) => w.t !== '(NULL)' && !w.t.startsWith('<') && !w.t.startsWith('['))
      .map((w) => ({ word: w.t, startFrame: Math.round(w.b * 100), frames: Math.round(w.d * 100) }));
  }

  /** Ends the utterance: searches what is buffered and computes the lattice and word posteriors. */
  finish(): void {
    if (!this.inUtterance) return;
    this.inUtterance = false;
    if (this.module._decoder_end_utt(this.upstream.cdecoder) < 0) {
      throw new SwitchboardError('SWB_ERR_ASR_STATE', 'The decoder could not end the utterance');
    }
  }

  delete(): void {
    this.module._free(this.pcmPtr);
    this.module._free(this.scorePtr);
    this.upstream.delete();
  }
}
