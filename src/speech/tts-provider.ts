import { SwitchboardError } from '../common/index.js';

/** Mono 16-bit linear PCM at the engine's native rate; resampling to the call's codec rate is media/'s job. */
export interface SynthesizedAudio {
  pcm: Int16Array;
  sampleRate: number;
}

export interface SynthesizeOptions {
  /** One of `voices()`; the provider's default voice when omitted. */
  voice?: string;
  /** Speaking rate relative to the voice's normal pace: 2 is twice as fast, 0.5 half as fast. */
  rate?: number;
}

/** A text-to-speech engine. Implementations reject with SwitchboardError code SWB_ERR_TTS_FAILED. */
export interface TtsProvider {
  readonly name: string;
  voices(): string[];
  synthesize(text: string, options?: SynthesizeOptions): Promise<SynthesizedAudio>;
}

const QUOTED_TEXT_MAX_CHARS = 60;

/** The error every TTS failure becomes, naming the text (shortened) and voice so a failing prompt can be found. */
export function ttsFailure(text: string, voice: string, detail: string, cause?: unknown): SwitchboardError {
  const shown = text.length > QUOTED_TEXT_MAX_CHARS ? `${text.slice(0, QUOTED_TEXT_MAX_CHARS)}…` : text;
  return new SwitchboardError(
    'SWB_ERR_TTS_FAILED',
    `Speech synthesis failed for text ${JSON.stringify(shown)} with voice "${voice}": ${detail}`,
    cause === undefined ? undefined : { cause },
  );
}
