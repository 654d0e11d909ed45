/**
 * RIFF/WAVE reading and writing. Reading accepts what prompt authoring tools produce (PCM 8/16/24/32-bit, IEEE
 * float32, G.711 A-law/µ-law, WAVE_FORMAT_EXTENSIBLE wrappers, extra chunks) and mixes down to mono PCM16;
 * writing produces the plain 44-byte PCM16 mono layout that every tool reads.
 *
 *   RIFF header (12 bytes)          chunk (8-byte header, body, pad byte when the size is odd — RIFF rule)
 *   +------+--------+------+        +------+--------+----------------+-----+
 *   | RIFF | size   | WAVE |  then  | id   | size   | body (size B)  | pad |  ...
 *   +------+--------+------+        +------+--------+----------------+-----+
 */
import { SwitchboardError } from '../../common/index.js';
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR } from './g711.js';

export interface WavAudio {
  sampleRate: number;
  /** Channels in the file; `pcm` is already mixed down to one. */
  channels: number;
  pcm: Int16Array;
}

export const WAV_HEADER_BYTES = 44;

const FORMAT_PCM = 0x0001;
const FORMAT_IEEE_FLOAT = 0x0003;
const FORMAT_ALAW = 0x0006;
const FORMAT_MULAW = 0x0007;
const FORMAT_EXTENSIBLE = 0xfffe;
/** KSDATAFORMAT_SUBTYPE_* GUIDs are the format tag as a 32-bit value followed by these 12 bytes (mmreg.h). */
const SUBFORMAT_GUID_TAIL = Buffer.from([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3',
  0x0064: 'G.726 ADPCM',
  0x0065: 'G.722 ADPCM',
};

function formatError(message: string): SwitchboardError {
  return new SwitchboardError('SWB_ERR_MEDIA_FORMAT', `WAV: ${message}`);
}

function hex4(tag: number): string {
  return `0x${tag.toString(16).padStart(4, '0')}`;
}

interface FmtChunk {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

function parseFmt(buf: Buffer, at: number, size: number): FmtChunk {
  if (size < 16) throw formatError(`fmt chunk of ${size} bytes is too short`);
  let tag = buf.readUInt16LE(at);
  const fmt = {
    channels: buf.readUInt16LE(at + 2),
    sampleRate: buf.readUInt32LE(at + 4),
    blockAlign: buf.readUInt16LE(at + 12),
    bitsPerSample: buf.readUInt16LE(at + 14),
  };
  if (tag === FORMAT_EXTENSIBLE) {
    if (size < 40) throw formatError(`WAVE_FORMAT_EXTENSIBLE fmt chunk of ${size} bytes is too short`);
    tag = buf.readUInt16LE(at + 24);
    const guidHigh = buf.readUInt16LE(at + 26);
    if (guidHigh !== 0 || !buf.subarray(at + 28, at + 40).equals(SUBFORMAT_GUID_TAIL)) {
      throw formatError('WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format GUID is not supported');
    }
  }
  return { tag, ...fmt };
}

/** Returns a reader of one sample as a 16-bit value, or throws naming the unsupported format. */
function sampleReader(fmt: FmtChunk): (buf: Buffer, at: number) => number {
  const { tag, bitsPerSample: bits } = fmt;
  const supported = 'supported: PCM 8/16/24/32-bit, IEEE float32, A-law, µ-law';
  switch (tag) {
    case FORMAT_PCM:
      if (bits === 8) return (b, at) => (b[at] - 128) << 8;
      if (bits === 16) return (b, at) => b.readInt16LE(at);
      if (bits === 24) return (b, at) => b.readIntLE(at, 3) >> 8;
      if (bits === 32) return (b, at) => b.readInt32LE(at) >> 16;
      throw formatError(`PCM with ${bits} bits per sample is not supported (${supported})`);
    case FORMAT_IEEE_FLOAT:
      if (bits === 32) {
        return (b, at) => {
          const v = Math.round(b.readFloatLE(at) * 32768);
          return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
        };
      }
      throw formatError(`IEEE float with ${bits} bits per sample is not supported (${supported})`);
    case FORMAT_ALAW:
    case FORMAT_MULAW: {
      if (bits !== 8) throw formatError(`G.711 with ${bits} bits per sample is not supported`);
      const table = tag === FORMAT_ALAW ? ALAW_TO_LINEAR : MULAW_TO_LINEAR;
      return (b, at) => table[b[at]];
    }
    default: {
      const name = FORMAT_NAMES[tag] ?? 'unknown';
      throw formatError(`format ${hex4(tag)} (${name}) is not supported (${supported})`);
    }
  }
}

/** Parses a WAVE file and returns its audio as mono PCM16 at the file's own sample rate. */
export function readWav(buf: Buffer): WavAudio {
  if (buf.length < 12) throw formatError(`${buf.length} bytes is too short for a RIFF header`);
  const container = buf.toString('latin1', 0, 4);
  if (container !== 'RIFF') {
    throw formatError(container === 'RF64' ? 'RF64 (64-bit RIFF) is not supported' : 'not a RIFF file');
  }
  if (buf.toString('latin1', 8, 12) !== 'WAVE') throw formatError(`RIFF form ${buf.toString('latin1', 8, 12)} is not WAVE`);

  let fmt: FmtChunk | undefined;
  let dataAt = -1;
  let dataBytes = 0;
  for (let at = 12; at + 8 <= buf.length; ) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > buf.length) throw formatError('fmt chunk is truncated');
      fmt = parseFmt(buf, body, size);
    } else if (id === 'data') {
      dataAt = body;
      // A recorder that died before patching the sizes — or one still writing, like baresip's sndfile — leaves
      // 0, 0xFFFFFFFF or a short count: keep what is there.
      const unpatched = size === 0 && buf.length > body;
      dataBytes = unpatched ? buf.length - body : Math.min(size, buf.length - body);
      if (unpatched || size > buf.length - body) break;
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw formatError('no fmt chunk');
  if (dataAt < 0) throw formatError('no data chunk');
  if (fmt.channels < 1) throw formatError('zero channels');
  if (fmt.sampleRate < 1) throw formatError('zero sample rate');
  const read = sampleReader(fmt);
  const bytesPerSample = Math.ceil(fmt.bitsPerSample / 8);
  if (fmt.blockAlign !== bytesPerSample * fmt.channels) {
    throw formatError(`block align ${fmt.blockAlign} does not match ${fmt.channels} × ${fmt.bitsPerSample}-bit samples`);
  }

  const frames = Math.floor(dataBytes / fmt.blockAlign);
  const pcm = new Int16Array(frames);
  const channels = fmt.channels;
  for (let f = 0, at = dataAt; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += bytesPerSample) sum += read(buf, at);
    pcm[f] = channels === 1 ? sum : Math.round(sum / channels);
  }
  return { sampleRate: fmt.sampleRate, channels, pcm };
}

/**
 * The 44-byte header of a PCM16 mono WAVE file holding `dataBytes` bytes of samples. A recorder writes it with 0,
 * streams the samples, then writes it again at offset 0 with the final count.
 */
export function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  if (!Number.isInteger(dataBytes) || dataBytes < 0 || dataBytes > 0xffffffff - 36) {
    throw new RangeError(`WAV data size ${dataBytes} is out of range`);
  }
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(FORMAT_PCM, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** A complete PCM16 mono WAVE file. */
export function writeWav(pcm: Int16Array, sampleRate: number): Buffer {
  const out = Buffer.alloc(WAV_HEADER_BYTES + pcm.length * 2);
  wavHeader(pcm.length * 2, sampleRate).copy(out, 0);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i], WAV_HEADER_BYTES + i * 2);
  return out;
}
