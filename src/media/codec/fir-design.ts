/**
 * Kaiser-windowed sinc low-pass design (Kaiser & Schafer; formulas as in Oppenheim & Schafer, "Discrete-Time Signal
 * Processing", §7.5.3). The Kaiser window lets us ask for a stop-band attenuation and a transition width directly
 * instead of tuning a window by hand.
 */

/** Zeroth-order modified Bessel function of the first kind, by its power series (converges fast for x < 50). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser β for a stop-band attenuation in dB (O&S eq. 7.62). */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/** Taps needed for `attenuationDb` with a transition of `transitionCycles` cycles per sample (O&S eq. 7.63). */
export function kaiserTaps(attenuationDb: number, transitionCycles: number): number {
  return Math.ceil((attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionCycles)) + 1;
}

/**
 * Value at `t` (in samples from the centre) of a low-pass kernel with cut-off `cutoffCycles` (cycles per sample),
 * Kaiser-windowed over ±`halfWidth` samples. Its integral is 1, so unit DC gain after sampling.
 */
export function kaiserSinc(t: number, cutoffCycles: number, halfWidth: number, beta: number, i0Beta: number): number {
  const u = t / halfWidth;
  if (u <= -1 || u >= 1) return 0;
  const x = 2 * Math.PI * cutoffCycles * t;
  const sinc = x === 0 ? 1 : Math.sin(x) / x;
  return 2 * cutoffCycles * sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta);
}
