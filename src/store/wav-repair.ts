/**
 * Repairs a voicemail WAV whose recorder died before writing its final header. The recorder writes a 44-byte
 * PCM16 mono header with sizes 0, streams the samples after it, and rewrites the header with the real sizes when it
 * finishes; a crash in between leaves the placeholder. The store re-derives the sizes from the file length and
 * writes the same header the recorder would (media/codec's wavHeader).
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { WAV_HEADER_BYTES, wavHeader } from '../media/index.js';

export const VOICEMAIL_SAMPLE_RATE = 8000;
/** PCM16 mono at 8 kHz: 16 bytes of samples per millisecond. */
const BYTES_PER_MS = (VOICEMAIL_SAMPLE_RATE * 2) / 1000;

/** The header of an 8 kHz PCM16 mono voicemail holding `dataBytes` of samples. */
export function pcm16MonoWavHeader(dataBytes: number): Buffer {
  return wavHeader(dataBytes, VOICEMAIL_SAMPLE_RATE);
}

export interface RepairedWav {
  durationMs: number;
  /** True when the header or a trailing half sample had to be fixed. */
  repaired: boolean;
}

/**
 * Makes `path` a complete 8 kHz PCM16 mono WAV holding every whole sample written, and fsyncs it. Returns undefined
 * when the file is missing or holds no samples (the caller removes such a message).
 */
export function repairVoicemailWav(path: string): RepairedWav | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const size = fstatSync(fd).size;
    const dataBytes = Math.max(0, size - WAV_HEADER_BYTES) & ~1;
    if (dataBytes === 0) return undefined;
    const expected = pcm16MonoWavHeader(dataBytes);
    const found = Buffer.alloc(WAV_HEADER_BYTES);
    readSync(fd, found, 0, WAV_HEADER_BYTES, 0);
    const trailing = size !== WAV_HEADER_BYTES + dataBytes;
    const repaired = trailing || !found.equals(expected);
    if (trailing) ftruncateSync(fd, WAV_HEADER_BYTES + dataBytes);
    if (!found.equals(expected)) writeSync(fd, expected, 0, WAV_HEADER_BYTES, 0);
    if (repaired) fsyncSync(fd);
    return { durationMs: Math.round(dataBytes / BYTES_PER_MS), repaired };
  } finally {
    closeSync(fd);
  }
}
