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
/** Bound on the silence fed by reset(): the endpointer leaves speech after ~12 frames of it (150 ms window). */
const MAX_RESET_FRAMES = 100;

export class SoundSwallowerVad implements VoiceActivityDetector {
  readonly frameSamples: number;
  readonly lagFrames: number;
  private readonly endpointer: number;
  private readonly framePtr: number;
  private readonly gate: NoiseFloorGate | null;

  constructor(private readonly module: SoundSwallowerModule, sampleRate: number, options: SoundSwallowerVadOptions = {}) {
    const windowMs = options.windowMs ?? 150;
    const ratio = options.ratio ?? 0.8;
    this.endpointer = module._endpointer_init(windowMs / 1000, ratio, options.mode ?? 0, sampleRate, FRAME_MS / 1000);
    if (this.endpointer === 0) {
      throw new SwitchboardError('SWB_ERR_ASR_STATE', `Invalid VAD settings (window ${windowMs} ms, ratio ${ratio}, rate ${sampleRate} Hz)`);
    }
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

  reset(): void {
    this.gate?.reset();
    // No reset entry point either: digital silence until the endpointer has left speech and its window is clear.
    const base = this.framePtr >> 1;
    this.module.HEAP16.fill(0, base, base + this.frameSamples);
    let quiet = 0;
    for (let i = 0; i < MAX_RESET_FRAMES && quiet <= this.lagFrames; i++) {
      this.module._endpointer_process(this.endpointer, this.framePtr);
      quiet = this.module._endpointer_in_speech(this.endpointer) === 0 ? quiet + 1 : 0;
    }
  }
}
