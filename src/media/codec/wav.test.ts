import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isSwitchboardError } from '../../common/index.js';
import { WAV_HEADER_BYTES, readWav, wavHeader, writeWav } from './wav.js';

// The fixtures are made by sox (make-wav-fixtures.sh beside them) from one 81-sample 1 kHz sine at half scale.
// Tests run from dist*/src/media/codec/, the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../../../src/media/codec/testdata/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(FIXTURES + name);
const reference = readWav(fixture('ref-s16.wav'));

function assertNear(actual: Int16Array, expected: Int16Array, tolerance: (v: number) => number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance(expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('the sox reference is 8 kHz mono PCM16 with the expected sine', () => {
  assert.equal(reference.sampleRate, 8000);
  assert.equal(reference.channels, 1);
  assert.equal(reference.pcm.length, 81);
  assert.equal(reference.pcm[2], 16384);
  assert.equal(reference.pcm[6], -16384);
});

const formats: [string, (v: number) => number][] = [
  ['u8.wav', () => 256],
  ['s24-extensible.wav', () => 1],
  ['s32.wav', () => 1],
  ['f32.wav', () => 1],
  ['mulaw.wav', (v) => Math.abs(v) / 16 + 8],
  ['alaw.wav', (v) => Math.abs(v) / 16 + 16],
];
for (const [name, tolerance] of formats) {
  test(`reads ${name} (sox) as the reference signal`, () => {
    const wav = readWav(fixture(name));
    assert.equal(wav.sampleRate, 8000);
    assert.equal(wav.channels, 1);
    assertNear(wav.pcm, reference.pcm, tolerance, name);
  });
}

test('mixes stereo down to mono by averaging the channels', () => {
  const wav = readWav(fixture('stereo-left-only-16k.wav'));
  assert.equal(wav.sampleRate, 16000);
  assert.equal(wav.channels, 2);
  assert.equal(wav.pcm.length, 81);
  // Left is a 1 kHz sine at 16 kHz (peak 16384 at sample 4), right is silent.
  assert.equal(wav.pcm[4], 8192);
  assert.ok(Math.max(...wav.pcm) <= 8193);
});

test('unsupported encodings fail with SWB_ERR_MEDIA_FORMAT naming what was found', () => {
  assert.throws(() => readWav(fixture('ima-adpcm.wav')),
    (e) => isSwitchboardError(e, 'SWB_ERR_MEDIA_FORMAT') && /0x0011 \(IMA ADPCM\)/.test(e.message));
  assert.throws(() => readWav(fixture('f64.wav')),
    (e) => isSwitchboardError(e, 'SWB_ERR_MEDIA_FORMAT') && /IEEE float with 64 bits/.test(e.message));
  assert.throws(() => readWav(Buffer.from('RF64\0\0\0\0WAVE')), (e) => isSwitchboardError(e, 'SWB_ERR_MEDIA_FORMAT') && /RF64/.test(e.message));
  assert.throws(() => readWav(Buffer.from('OggS\0\0\0\0\0\0\0\0')), (e) => isSwitchboardError(e, 'SWB_ERR_MEDIA_FORMAT') && /not a RIFF/.test(e.message));
  const noData = wavHeader(0, 8000).subarray(0, 36);
  assert.throws(() => readWav(noData), (e) => isSwitchboardError(e, 'SWB_ERR_MEDIA_FORMAT') && /no data chunk/.test(e.message));
});

test('skips LIST and odd-sized chunks (with their pad byte) before the data', () => {
  const plain = writeWav(reference.pcm, 8000);
  const info = Buffer.from('INFOISFT\x05\0\0\0sox!\0\0', 'latin1');
  const odd = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.alloc(4), info.subarray(0, 15), Buffer.from([0])]);
  odd.writeUInt32LE(15, 4);
  const withList = Buffer.concat([plain.subarray(0, 36), odd, plain.subarray(36)]);
  withList.writeUInt32LE(withList.length - 8, 4);
  assert.deepEqual(readWav(withList).pcm, reference.pcm);
});

test('writeWav round-trips, and its header is the 44-byte wavHeader', () => {
  const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
  const file = writeWav(pcm, 16000);
  assert.equal(file.length, WAV_HEADER_BYTES + 12);
  assert.deepEqual(file.subarray(0, WAV_HEADER_BYTES), wavHeader(12, 16000));
  assert.equal(file.toString('latin1', 0, 4), 'RIFF');
  assert.equal(file.readUInt32LE(4), 36 + 12);
  assert.equal(file.readUInt32LE(24), 16000);
  assert.equal(file.readUInt32LE(40), 12);
  const back = readWav(file);
  assert.deepEqual(back, { sampleRate: 16000, channels: 1, pcm });
});

test('a recorder can write a zero-size header, stream samples, then patch the sizes', () => {
  const pcm = Int16Array.from([5, -5, 500, -500]);
  const body = writeWav(pcm, 8000).subarray(WAV_HEADER_BYTES);
  const file = Buffer.concat([wavHeader(0, 8000), body]);
  // Unpatched (a crash mid-recording, or a recorder still writing): what was written is still read.
  assert.deepEqual(readWav(file).pcm, pcm);
  file.writeUInt32LE(0xffffffff, 40);
  assert.deepEqual(readWav(file).pcm, pcm);
  wavHeader(body.length, 8000).copy(file, 0);
  assert.deepEqual(readWav(file).pcm, pcm);
  assert.throws(() => wavHeader(-1, 8000), RangeError);
});
