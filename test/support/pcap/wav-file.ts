import { readFileSync, writeFileSync } from 'node:fs';

/** RIFF/WAVE PCM 16-bit reader and writer for test audio (espeak-ng + sox output, baresip's sndfile dumps). */

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** The first channel. */
  samples: Int16Array;
}

export function parseWav(data: Buffer, name = 'WAV'): WavAudio {
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${name}: not a RIFF/WAVE file`);
  }
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  let off = 12;
  while (off + 8 <= data.length) {
    const id = data.toString('ascii', off, off + 4);
    let size = data.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ' && body + 16 <= data.length) {
      fmt = {
        format: data.readUInt16LE(body),
        channels: data.readUInt16LE(body + 2),
        sampleRate: data.readUInt32LE(body + 4),
        bits: data.readUInt16LE(body + 14),
      };
      // WAVE_FORMAT_EXTENSIBLE keeps the real format tag in the first two bytes of the sub-format GUID.
      if (fmt.format === 0xfffe && size >= 26) fmt.format = data.readUInt16LE(body + 24);
    } else if (id === 'data') {
      if (!fmt) throw new Error(`${name}: data chunk before fmt chunk`);
      if (fmt.format !== 1 || fmt.bits !== 16) {
        throw new Error(`${name}: need 16-bit PCM (format ${fmt.format}, ${fmt.bits} bits); convert with sox IN -b 16 -e signed-integer OUT.wav`);
      }
      // Streams written while still recording may carry a 0 or oversized length: take what is there.
      if (size === 0 || size === 0xffffffff || body + size > data.length) size = data.length - body;
      const frames = Math.floor(size / (2 * fmt.channels));
      const samples = new Int16Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = data.readInt16LE(body + i * 2 * fmt.channels);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples };
    }
    off = body + size + (size % 2);
  }
  throw new Error(`${name}: no data chunk`);
}

export function readWav(path: string): WavAudio {
  return parseWav(readFileSync(path), path);
}

export function encodeWav(samples: Int16Array, sampleRate = 8000): Buffer {
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i], 44 + i * 2);
  return out;
}

export function writeWav(path: string, samples: Int16Array, sampleRate = 8000): void {
  writeFileSync(path, encodeWav(samples, sampleRate));
}
