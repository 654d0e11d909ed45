import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../common/index.js';
import { parsePcm16Wave } from './riff-wave.js';

interface WaveSpec {
  formatTag?: number;
  channels?: number;
  sampleRate?: number;
  bits?: number;
  samples: number[];
  extraChunk?: Uint8Array;
  dataSizeOverride?: number;
}

function wave(spec: WaveSpec): Uint8Array {
  const channels = spec.channels ?? 1;
  const bits = spec.bits ?? 16;
  const extra = spec.extraChunk ?? new Uint8Array(0);
  const extraBytes = extra.length ? 8 + extra.length + (extra.length & 1) : 0;
  const dataBytes = spec.samples.length * 2;
  const out = new Uint8Array(12 + 24 + extraBytes + 8 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => { for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF'); v.setUint32(4, out.length - 8, true); ascii(8, 'WAVE');
  let at = 12;
  if (extra.length) {
    ascii(at, 'LIST'); v.setUint32(at + 4, extra.length, true); out.set(extra, at + 8);
    at += extraBytes;
  }
  ascii(at, 'fmt '); v.setUint32(at + 4, 16, true);
  v.setUint16(at + 8, spec.formatTag ?? 1, true); v.setUint16(at + 10, channels, true);
  v.setUint32(at + 12, spec.sampleRate ?? 8000, true); v.setUint32(at + 16, (spec.sampleRate ?? 8000) * channels * 2, true);
  v.setUint16(at + 20, channels * (bits / 8), true); v.setUint16(at + 22, bits, true);
  at += 24;
  ascii(at, 'data'); v.setUint32(at + 4, spec.dataSizeOverride ?? dataBytes, true);
  spec.samples.forEach((s, i) => v.setInt16(at + 8 + i * 2, s, true));
  return out;
}

test('reads mono PCM16 samples little-endian, with sign', () => {
  const parsed = parsePcm16Wave(wave({ sampleRate: 16000, samples: [0, 1, -1, 32767, -32768, 258] }));
  assert.equal(parsed.sampleRate, 16000);
  assert.equal(parsed.channels, 1);
  assert.deepEqual([...parsed.pcm], [0, 1, -1, 32767, -32768, 258]);
});

test('skips unknown chunks including the pad byte after an odd-sized one', () => {
  const parsed = parsePcm16Wave(wave({ samples: [5, -5], extraChunk: new Uint8Array([1, 2, 3]) }));
  assert.deepEqual([...parsed.pcm], [5, -5]);
});

test('keeps the first channel of interleaved stereo', () => {
  const parsed = parsePcm16Wave(wave({ channels: 2, samples: [1, 100, 2, 200, 3, 300] }));
  assert.equal(parsed.channels, 2);
  assert.deepEqual([...parsed.pcm], [1, 2, 3]);
});

test('a data size beyond the file (streamed header) reads the samples present', () => {
  const parsed = parsePcm16Wave(wave({ samples: [7, 8, 9], dataSizeOverride: 0xffffffff }));
  assert.deepEqual([...parsed.pcm], [7, 8, 9]);
});

test('works on a view into a larger, unaligned buffer', () => {
  const bytes = wave({ samples: [300, -300] });
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  assert.deepEqual([...parsePcm16Wave(padded.subarray(3)).pcm], [300, -300]);
});

test('rejects what is not PCM16 WAVE with SWB_ERR_MEDIA_FORMAT', () => {
  const cases: [Uint8Array, RegExp][] = [
    [new TextEncoder().encode('RIFX....WAVE'), /RIFF\/WAVE header/],
    [new Uint8Array(4), /RIFF\/WAVE header/],
    [wave({ formatTag: 3, samples: [0] }), /format tag 3/],
    [wave({ bits: 8, samples: [0] }), /8 bits/],
    [wave({ samples: [0] }).subarray(0, 36), /no data chunk/],
    [wave({ samples: [0] }).subarray(0, 12), /no fmt chunk/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => parsePcm16Wave(bytes), (e) => isSwitchboardError(e, 'SWB_ERR_MEDIA_FORMAT') && message.test(e.message));
  }
});
