/**
 * A minimal reader for RIFF/WAVE files holding 16-bit linear PCM, the format Flite writes. media/ has the general
 * audio file handling, but speech/ may not import media/ (docs/architecture.md), and this is all Flite needs.
 *
 * Layout (little-endian throughout):
 *   "RIFF" u32:riffSize "WAVE"  then chunks, each  id:4 u32:size data[size] pad[size & 1]
 *   "fmt " chunk: u16 formatTag (1 = PCM), u16 channels, u32 sampleRate, u32 byteRate, u16 blockAlign, u16 bits
 *   "data" chunk: interleaved samples
 */
import { SwitchboardError } from '../common/index.js';

export interface Pcm16Wave {
  /** Samples of the first channel only. */
  pcm: Int16Array;
  sampleRate: number;
  channels: number;
}

const WAVE_FORMAT_PCM = 1;
const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

function formatError(detail: string): SwitchboardError {
  return new SwitchboardError('SWB_ERR_MEDIA_FORMAT', `WAVE data is not usable 16-bit PCM: ${detail}`);
}

function fourCc(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

/** Parses a PCM16 WAVE file; a data chunk longer than the bytes present (a streamed header) is read to the end. */
export function parsePcm16Wave(bytes: Uint8Array): Pcm16Wave {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < RIFF_HEADER_BYTES || fourCc(view, 0) !== 'RIFF' || fourCc(view, 8) !== 'WAVE') {
    throw formatError('missing RIFF/WAVE header');
  }
  let fmt: { channels: number; sampleRate: number; blockAlign: number } | undefined;
  let at = RIFF_HEADER_BYTES;
  while (at + CHUNK_HEADER_BYTES <= bytes.byteLength) {
    const id = fourCc(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + CHUNK_HEADER_BYTES;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.byteLength) throw formatError('fmt chunk too short');
      const formatTag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bits = view.getUint16(body + 14, true);
      if (formatTag !== WAVE_FORMAT_PCM) throw formatError(`format tag ${formatTag}, expected 1 (PCM)`);
      if (bits !== 16) throw formatError(`${bits} bits per sample, expected 16`);
      if (channels < 1 || sampleRate < 1 || blockAlign !== channels * 2) {
        throw formatError(`inconsistent fmt chunk (channels ${channels}, rate ${sampleRate}, blockAlign ${blockAlign})`);
      }
      fmt = { channels, sampleRate, blockAlign };
    } else if (id === 'data') {
      if (!fmt) throw formatError('data chunk before fmt chunk');
      const end = Math.min(body + size, bytes.byteLength);
      const frames = Math.floor((end - body) / fmt.blockAlign);
      const pcm = new Int16Array(frames);
      for (let i = 0; i < frames; i++) pcm[i] = view.getInt16(body + i * fmt.blockAlign, true);
      return { pcm, sampleRate: fmt.sampleRate, channels: fmt.channels };
    }
    // RIFF chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    at = body + size + (size & 1);
  }
  throw formatError(fmt ? 'no data chunk' : 'no fmt chunk');
}
