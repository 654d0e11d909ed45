/**
 * A prompt is audio prepared once for sending many times: resampled to 8 kHz and encoded into 20 ms G.711 frames
 * for both laws up front, so playing it to any number of calls is a 160-byte copy per frame and no encoding.
 * Both encodings live in one SharedArrayBuffer, so a prompt can be handed to worker threads without copying
 * (`toData` / `fromData`).
 */
import {
  ALAW_SILENCE, ALAW_TO_MULAW, MULAW_SILENCE, MULAW_TO_ALAW, decodeG711, encodeG711, resamplePcm, type G711Law,
} from '../codec/index.js';

export const PROMPT_SAMPLE_RATE = 8000;
export const FRAME_MS = 20;
/** Samples, and G.711 bytes, per 20 ms frame at 8 kHz. */
export const FRAME_BYTES = 160;

/** Plain, structured-clone-friendly form of a prompt: µ-law frames then A-law frames in `storage`. */
export interface PromptData {
  name: string;
  frameCount: number;
  storage: SharedArrayBuffer;
}

export class Prompt {
  readonly pcmu: Buffer;
  readonly pcma: Buffer;

  private constructor(readonly name: string, readonly frameCount: number, private readonly storage: SharedArrayBuffer) {
    const bytes = frameCount * FRAME_BYTES;
    if (storage.byteLength < 2 * bytes) throw new RangeError('prompt storage is smaller than its frames');
    this.pcmu = Buffer.from(storage, 0, bytes);
    this.pcma = Buffer.from(storage, bytes, bytes);
  }

  get durationMs(): number {
    return this.frameCount * FRAME_MS;
  }

  /**
   * The prompt as 8 kHz PCM, decoded from the µ-law frames (what a caller hears, padding included); computed on
   * each call, for tools such as rendering a prompt to a WAV file.
   */
  get pcm8k(): Int16Array {
    return decodeG711('pcmu', this.pcmu);
  }

  /** All frames of one law, back to back; frame i starts at byte i * FRAME_BYTES. */
  frames(law: G711Law): Buffer {
    return law === 'pcmu' ? this.pcmu : this.pcma;
  }

  toData(): PromptData {
    return { name: this.name, frameCount: this.frameCount, storage: this.storage };
  }

  static fromData(data: PromptData): Prompt {
    return new Prompt(data.name, data.frameCount, data.storage);
  }

  /** Resamples to 8 kHz and encodes both laws; the last frame is padded with silence. */
  static fromPcm(pcm: Int16Array, sampleRate: number, name = 'pcm'): Prompt {
    const pcm8k = sampleRate === PROMPT_SAMPLE_RATE ? pcm : resamplePcm(pcm, sampleRate, PROMPT_SAMPLE_RATE);
    const { prompt, pcmu, pcma } = Prompt.allocate(name, pcm8k.length);
    encodeG711('pcmu', pcm8k, pcmu);
    encodeG711('pcma', pcm8k, pcma);
    return prompt;
  }

  /** Wraps audio that is already G.711 at 8 kHz (e.g. a recording); the other law is derived by table. */
  static fromG711(law: G711Law, bytes: Uint8Array, name = 'g711'): Prompt {
    const { prompt, pcmu, pcma } = Prompt.allocate(name, bytes.length);
    const [own, other, table] = law === 'pcmu' ? [pcmu, pcma, MULAW_TO_ALAW] : [pcma, pcmu, ALAW_TO_MULAW];
    own.set(bytes);
    for (let i = 0; i < bytes.length; i++) other[i] = table[bytes[i]];
    return prompt;
  }

  /** One prompt playing `prompts` back to back (each keeps its own padded last frame). */
  static concat(prompts: readonly Prompt[], name = prompts.map((p) => p.name).join('+')): Prompt {
    const frameCount = prompts.reduce((n, p) => n + p.frameCount, 0);
    const storage = new SharedArrayBuffer(2 * frameCount * FRAME_BYTES);
    const prompt = new Prompt(name, frameCount, storage);
    let offset = 0;
    for (const p of prompts) {
      p.pcmu.copy(prompt.pcmu, offset);
      p.pcma.copy(prompt.pcma, offset);
      offset += p.pcmu.length;
    }
    return prompt;
  }

  private static allocate(name: string, samples: number): { prompt: Prompt; pcmu: Buffer; pcma: Buffer } {
    const frameCount = Math.ceil(samples / FRAME_BYTES);
    const prompt = new Prompt(name, frameCount, new SharedArrayBuffer(2 * frameCount * FRAME_BYTES));
    prompt.pcmu.fill(MULAW_SILENCE, samples);
    prompt.pcma.fill(ALAW_SILENCE, samples);
    return { prompt, pcmu: prompt.pcmu.subarray(0, samples), pcma: prompt.pcma.subarray(0, samples) };
  }
}
