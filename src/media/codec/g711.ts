/**
 * G.711 µ-law and A-law (ITU-T G.711), table-driven: encoding and decoding are one array lookup per sample,
 * and PCMU↔PCMA transcoding is one lookup per byte, so the media hot path does no arithmetic and no allocation.
 */

const BIAS = 0x84;
const CLIP = 32635;

function linearToMuLawSlow(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function muLawToLinearSlow(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

function linearToALawSlow(sample: number): number {
  let s = sample >> 3; // A-law works on 13-bit magnitude
  let mask: number;
  if (s >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    s = -s - 1;
  }
  const segEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  let seg = 0;
  while (seg < 8 && s > segEnds[seg]) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  let aval = seg << 4;
  aval |= seg < 2 ? (s >> 1) & 0x0f : (s >> seg) & 0x0f;
  return aval ^ mask;
}

function aLawToLinearSlow(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

/** Decoding tables: byte → linear 16-bit sample. */
export const MULAW_TO_LINEAR = new Int16Array(256);
export const ALAW_TO_LINEAR = new Int16Array(256);
/** Encoding tables indexed by (sample >> 2) + 8192, i.e. 14-bit precision, which G.711 never exceeds. */
const LINEAR14_TO_MULAW = new Uint8Array(16384);
const LINEAR14_TO_ALAW = new Uint8Array(16384);
/** Transcoding tables: PCMU byte → PCMA byte and back (G.711 Appendix: via the linear value). */
export const MULAW_TO_ALAW = new Uint8Array(256);
export const ALAW_TO_MULAW = new Uint8Array(256);

for (let i = 0; i < 256; i++) {
  MULAW_TO_LINEAR[i] = muLawToLinearSlow(i);
  ALAW_TO_LINEAR[i] = aLawToLinearSlow(i);
}
for (let i = 0; i < 16384; i++) {
  const sample = (i - 8192) << 2;
  LINEAR14_TO_MULAW[i] = linearToMuLawSlow(sample);
  LINEAR14_TO_ALAW[i] = linearToALawSlow(sample);
}
for (let i = 0; i < 256; i++) {
  MULAW_TO_ALAW[i] = LINEAR14_TO_ALAW[(MULAW_TO_LINEAR[i] >> 2) + 8192];
  ALAW_TO_MULAW[i] = LINEAR14_TO_MULAW[(ALAW_TO_LINEAR[i] >> 2) + 8192];
}

export function linearToMuLaw(sample: number): number {
  return LINEAR14_TO_MULAW[(sample >> 2) + 8192];
}
export function linearToALaw(sample: number): number {
  return LINEAR14_TO_ALAW[(sample >> 2) + 8192];
}
export function muLawToLinear(byte: number): number {
  return MULAW_TO_LINEAR[byte];
}
export function aLawToLinear(byte: number): number {
  return ALAW_TO_LINEAR[byte];
}

export type G711Law = 'pcmu' | 'pcma';

/** Encodes `pcm` into `out` (same length); returns `out`. */
export function encodeG711(law: G711Law, pcm: Int16Array, out: Uint8Array = new Uint8Array(pcm.length)): Uint8Array {
  const table = law === 'pcmu' ? LINEAR14_TO_MULAW : LINEAR14_TO_ALAW;
  for (let i = 0; i < pcm.length; i++) out[i] = table[(pcm[i] >> 2) + 8192];
  return out;
}

/** Decodes `bytes` into `out` (same length); returns `out`. */
export function decodeG711(law: G711Law, bytes: Uint8Array, out: Int16Array = new Int16Array(bytes.length)): Int16Array {
  const table = law === 'pcmu' ? MULAW_TO_LINEAR : ALAW_TO_LINEAR;
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]];
  return out;
}

/** µ-law byte of digital silence (0), used to pad partial frames. */
export const MULAW_SILENCE = 0xff;
export const ALAW_SILENCE = 0xd5;
