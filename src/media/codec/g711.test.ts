import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALAW_TO_MULAW, MULAW_TO_ALAW, aLawToLinear, decodeG711, encodeG711, linearToALaw, linearToMuLaw, muLawToLinear,
  MULAW_SILENCE, ALAW_SILENCE,
} from './g711.js';

test('µ-law decode of reference code words (G.711 table 2)', () => {
  assert.equal(muLawToLinear(0xff), 0);
  assert.equal(muLawToLinear(0x7f), 0);
  assert.equal(muLawToLinear(0x80), 32124);
  assert.equal(muLawToLinear(0x00), -32124);
  assert.equal(linearToMuLaw(0), MULAW_SILENCE);
});

test('A-law decode of reference code words', () => {
  assert.equal(aLawToLinear(0xd5), 8);
  assert.equal(aLawToLinear(0x55), -8);
  assert.equal(aLawToLinear(0xaa), 32256);
  assert.equal(linearToALaw(0), ALAW_SILENCE);
});

test('every code word survives decode → encode (both laws)', () => {
  for (let b = 0; b < 256; b++) {
    const u = muLawToLinear(b);
    // 0x7f and 0xff are both zero in µ-law; encode picks 0xff.
    if (b !== 0x7f) assert.equal(linearToMuLaw(u), b, `µ-law ${b}`);
    assert.equal(linearToALaw(aLawToLinear(b)), b, `A-law ${b}`);
  }
});

test('quantisation error stays within the segment step', () => {
  for (let s = -32768; s < 32768; s += 7) {
    const u = muLawToLinear(linearToMuLaw(s));
    const a = aLawToLinear(linearToALaw(s));
    const step = Math.max(8, Math.abs(s) / 16);
    assert.ok(Math.abs(Math.max(-32124, Math.min(32124, s)) - u) <= step + 4, `µ ${s} -> ${u}`);
    assert.ok(Math.abs(Math.max(-32256, Math.min(32256, s)) - a) <= step + 8, `A ${s} -> ${a}`);
  }
});

test('PCMU↔PCMA transcoding keeps the level', () => {
  for (let b = 0; b < 256; b++) {
    const direct = muLawToLinear(b);
    const via = aLawToLinear(MULAW_TO_ALAW[b]);
    assert.ok(Math.abs(direct - via) <= Math.max(16, Math.abs(direct) / 16), `${b}: ${direct} vs ${via}`);
    assert.ok(Math.abs(aLawToLinear(b) - muLawToLinear(ALAW_TO_MULAW[b])) <= Math.max(16, Math.abs(aLawToLinear(b)) / 16));
  }
});

test('buffer encode/decode round trip of a sine', () => {
  const pcm = new Int16Array(160);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000));
  for (const law of ['pcmu', 'pcma'] as const) {
    const back = decodeG711(law, encodeG711(law, pcm));
    let err = 0;
    let sig = 0;
    for (let i = 0; i < pcm.length; i++) {
      err += (pcm[i] - back[i]) ** 2;
      sig += pcm[i] ** 2;
    }
    const snrDb = 10 * Math.log10(sig / err);
    assert.ok(snrDb > 30, `${law} SNR ${snrDb.toFixed(1)} dB`);
  }
});
