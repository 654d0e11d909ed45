import { readFileSync, writeFileSync } from 'node:fs';
import { readWav as decodeWav, writeWav as encodeMonoWav } from '../../../src/media/index.js';

/** Test audio files (espeak-ng + sox output, baresip's sndfile dumps) through the media layer's WAV codec. */

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Mono (channels mixed down). */
  samples: Int16Array;
}

export function parseWav(data: Buffer, name = 'WAV'): WavAudio {
  try {
    const w = decodeWav(data);
    return { sampleRate: w.sampleRate, channels: w.channels, samples: w.pcm };
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
  }
}

export function readWav(path: string): WavAudio {
  return parseWav(readFileSync(path), path);
}

export function encodeWav(samples: Int16Array, sampleRate = 8000): Buffer {
  return encodeMonoWav(samples, sampleRate);
}

export function writeWav(path: string, samples: Int16Array, sampleRate = 8000): void {
  writeFileSync(path, encodeWav(samples, sampleRate));
}
