/**
 * Voice activity from SoundSwallower's endpointer: the WebRTC VAD classifies each 20 ms frame and the endpointer
 * smooths it, reporting speech once `ratio` of the frames in the last `windowMs` are speech (and silence once
 * `ratio` are not). A NoiseFloorGate must agree, so steady line noise ends an utterance as silence would. The
 * smoothed answer lags the audio by up to one window; SpeechEndpointer accounts for it.
 */
import { SwitchboardError } from '../../common/index.js';
import { NoiseFloorGate } from './noise-floor-gate.js';
import type { SoundSwallowerModule } from './soundswallower-decoder.js';

export interface SoundSwallowerVadOptions {
  /** Smoothing window; 150 ms by default. */
  windowMs?: number;
  /** Share of the window's frames that must agree to switch state; 0.8 by default. */
  ratio?: number;
  /** WebRTC VAD aggressiveness 0–3 (3 rejects the most noise); 0 by default. */
  mode?: 0 | 1 | 2 | 3;
  /** Energy above the running noise floor also required for speech (see NoiseFloorGate); 6 dB by default, 0 turns it off. */
  noiseMarginDb?: number;
}

/** Classifies 20 ms frames; `process` answers whether the caller is speaking (smoothed). */
export interface VoiceActivityDetector {
  /** Samples per frame `process` takes. */
  readonly frameSamples: number;
  /** How many frames the smoothed decision lags the audio. */
  readonly lagFrames: number;
  process(frame: Int16Array, offset?: number): boolean;
  /** Forgets the audio heard so far, so the next frame starts a fresh decision. */
  reset(): void;
}

const FRAME_MS = 20;

interface HeapBlock {
  ptr: number;
  bytes: Uint8Array;
}

/**
 * Copies of the endpointer's C memory as endpointer_init left it: the struct (SoundSwallower 0.6's endpointer_s:
 * vad pointer at 0, refcount 4, frame_size 28, maxlen 32, buf 36, is_speech 40; 88 bytes), the VAD with its WebRTC
 * state, and the two rings. The VAD's size is read from the allocator's chunk header (dlmalloc: size and in-use
 * bits in the word before the block). Every assumption is checked, so a different engine build fails here, loudly.
 */
function pristineEndpointer(module: SoundSwallowerModule, ep: number): HeapBlock[] {
  const word = (ptr: number): number => module.HEAP32[ptr >> 2];
  const usable = (ptr: number): number => {
    const head = word(ptr - 4);
    return (head & 2) === 0 ? 0 : (head & ~7) - 4;
  };
  const [vad, frameSize, maxLen, buf, isSpeech] = [word(ep), word(ep + 28), word(ep + 32), word(ep + 36), word(ep + 40)];
  const blocks: Array<[number, number]> = [[ep, 88], [vad, usable(vad)], [buf, maxLen * frameSize * 2], [isSpeech, maxLen]];
  const layoutOk = vad === module._endpointer_vad(ep) && word(ep + 4) === 1 && frameSize > 0 && maxLen > 0
    && blocks.every(([ptr, size]) => ptr > 0 && size > 0 && usable(ptr) >= size);
  if (!layoutOk) throw new SwitchboardError('SWB_ERR_ASR_STATE', 'The speech engine\'s endpointer has an unexpected memory layout');
  return blocks.map(([ptr, size]) => ({ ptr, bytes: module.HEAPU8.slice(ptr, ptr + size) }));
}

export class SoundSwallowerVad implements VoiceActivityDetector {
  readonly frameSamples: number;
  readonly lagFrames: number;
  private readonly endpointer: number;
  private readonly framePtr: number;
  private readonly gate: NoiseFloorGate | null;
  private readonly pristine: HeapBlock[];

  constructor(private readonly module: SoundSwallowerModule, sampleRate: number, options: SoundSwallowerVadOptions = {}) {
    const windowMs = options.windowMs ?? 150;
    const ratio = options.ratio ?? 0.8;
    this.endpointer = module._endpointer_init(windowMs / 1000, ratio, options.mode ?? 0, sampleRate, FRAME_MS / 1000);
    if (this.endpointer === 0) {
      throw new SwitchboardError('SWB_ERR_ASR_STATE', `Invalid VAD settings (window ${windowMs} ms, ratio ${ratio}, rate ${sampleRate} Hz)`);
    }
    this.pristine = pristineEndpointer(module, this.endpointer);
    this.frameSamples = (sampleRate * FRAME_MS) / 1000;
    this.lagFrames = Math.ceil(windowMs / FRAME_MS);
    // The endpointer has no free function in the module's exports: one lives as long as its pooled slot.
    this.framePtr = module._malloc(this.frameSamples * 2);
    const marginDb = options.noiseMarginDb ?? 6;
    this.gate = marginDb > 0 ? new NoiseFloorGate({ windowFrames: this.lagFrames, ratio, marginDb }) : null;
  }

  process(frame: Int16Array, offset = 0): boolean {
    const heap = this.module.HEAP16;
    const base = this.framePtr >> 1;
    for (let i = 0; i < this.frameSamples; i++) heap[base + i] = frame[offset + i];
    this.module._endpointer_process(this.endpointer, this.framePtr);
    const gated = this.gate ? this.gate.process(frame, offset, this.frameSamples) : true;
    return gated && this.module._endpointer_in_speech(this.endpointer) !== 0;
  }

  /**
   * The WebRTC VAD adapts its noise and speech models to what it hears, so a pooled VAD would judge one caller by
   * the line of the one before. The module exports no way to reset or free it: its memory is put back as it was
   * after init (~3 KB copied), the same as a new VAD.
   */
  reset(): void {
    this.gate?.reset();
    for (const block of this.pristine) this.module.HEAPU8.set(block.bytes, block.ptr);
  }
}
