/**
 * Separates the two tones of a DTMF pair from their Goertzel outputs.
 *
 * Over a block of L samples starting at sample s, a component a·e^(jω′n) puts a·G(ω′ − ω) into the filter at ω,
 * with the DFT kernel G(δ) = e^(jδ(s + (L−1)/2)) · sin(Lδ/2)/sin(δ/2). With 106-sample blocks the other group's
 * tone leaks into a filter only 13–21 dB down (the low/high gap of 268–936 Hz sits on the kernel's first side
 * lobes), enough to bend the phase and level of a tone 8 dB weaker. Modelling both tones at once removes that:
 *
 *   X_low  = G(ω′_low − ω_low)·a_low  + G(ω′_high − ω_low)·a_high
 *   X_high = G(ω′_low − ω_high)·a_low + G(ω′_high − ω_high)·a_high
 *
 * is a 2 × 2 complex system in the tone amplitudes a, solved here by Cramer's rule. The negative-frequency images
 * of the real tones (≥ 1394 Hz away) are left out.
 */

/** Writes G(δ) for a block of `length` samples starting at `start` into out[at], out[at + 1]. */
export function dftKernel(delta: number, length: number, start: number, out: Float64Array, at: number): void {
  const s = Math.sin(delta / 2);
  const k = Math.abs(s) < 1e-12 ? length : Math.sin((length * delta) / 2) / s;
  const phase = delta * (start + (length - 1) / 2);
  out[at] = k * Math.cos(phase);
  out[at + 1] = k * Math.sin(phase);
}

const m = new Float64Array(8);

/**
 * Solves for the complex amplitudes of tones at `toneLow`/`toneHigh` (rad/sample) given the outputs X of the
 * filters at `filterLow`/`filterHigh` over `length` samples from `start`. Writes [aLow.re, aLow.im, aHigh.re,
 * aHigh.im] into `out`; a tone A·cos(ω′n + θ) has |a| = A/2.
 */
export function fitTonePair(
  xLowRe: number,
  xLowIm: number,
  xHighRe: number,
  xHighIm: number,
  filterLow: number,
  filterHigh: number,
  toneLow: number,
  toneHigh: number,
  length: number,
  start: number,
  out: Float64Array,
): void {
  dftKernel(toneLow - filterLow, length, start, m, 0);
  dftKernel(toneHigh - filterLow, length, start, m, 2);
  dftKernel(toneLow - filterHigh, length, start, m, 4);
  dftKernel(toneHigh - filterHigh, length, start, m, 6);
  const aR = m[0], aI = m[1], bR = m[2], bI = m[3];
  const cR = m[4], cI = m[5], dR = m[6], dI = m[7];
  const detR = aR * dR - aI * dI - (bR * cR - bI * cI);
  const detI = aR * dI + aI * dR - (bR * cI + bI * cR);
  const lowR = xLowRe * dR - xLowIm * dI - (bR * xHighRe - bI * xHighIm);
  const lowI = xLowRe * dI + xLowIm * dR - (bR * xHighIm + bI * xHighRe);
  const highR = aR * xHighRe - aI * xHighIm - (cR * xLowRe - cI * xLowIm);
  const highI = aR * xHighIm + aI * xHighRe - (cR * xLowIm + cI * xLowRe);
  const den = detR * detR + detI * detI;
  out[0] = (lowR * detR + lowI * detI) / den;
  out[1] = (lowI * detR - lowR * detI) / den;
  out[2] = (highR * detR + highI * detI) / den;
  out[3] = (highI * detR - highR * detI) / den;
}
