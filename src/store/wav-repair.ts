/**
 * Repairs a voicemail WAV whose recorder died before writing its final header. The recorder writes a 44-byte
 * PCM16 mono header with sizes 0, streams the samples after it, and rewrites the header with the real sizes when it
 * finishes; a crash in between leaves the placeholder. The store re-derives the sizes from the file length (store/
 * must not import media/, hence its own copy of the header layout):
 *
 *   offset  0 "RIFF"  4 riffSize=36+data  8 "WAVE"  12 "fmt "  16 16  20 format=1 (PCM)  22 channels=1
 *          24 sampleRate  28 byteRate  32 blockAlign=2  34 bits=16  36 "data"  40 dataSize  44 samples…
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

export const VOICEMAIL_SAMPLE_RATE = 8000;
export const WAV_HEADER_BYTES = 44;
/** PCM16 mono at 8 kHz: 16 bytes of samples per millisecond. */
const BYTES_PER_MS = (VOICEMAIL_SAMPLE_RATE * 2) / 1000;

export function pcm16MonoWavHeader(dataBytes: number, sampleRate = VOICEMAIL_SAMPLE_RATE): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
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
