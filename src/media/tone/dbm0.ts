/**
 * Signal levels in dBm0 for 16-bit linear PCM that travels as G.711.
 *
 * ITU-T G.711 §5 ties the code to analogue level: the periodic sequence of its Table 6 (µ-law "digital milliwatt")
 * decodes to a 1 kHz sine at 0 dBm0, and the theoretical load capacity T_max, the sine whose peaks reach the top
 * decision value ±8159 of the 14-bit µ-law range, is +3.17 dBm0. Our 16-bit samples are that range shifted left by
 * two bits (g711.ts), so T_max peaks at 8159 × 4 = 32 636 and a 0 dBm0 sine peaks at 32 636 × 10^(−3.17/20) ≈ 22 657
 * (RMS ≈ 16 021). The digital milliwatt itself decodes to RMS 16 016.8, within 0.003 dB of that (see dbm0.test.ts).
 * A-law (T_max +3.14 dBm0 at ±4096 × 8) gives 22 827, 0.065 dB away; we use the µ-law value for both laws.
 */

/** Peak amplitude, in 16-bit linear units, of a 0 dBm0 sine. */
export const DBM0_SINE_PEAK = 8159 * 4 * 10 ** (-3.17 / 20);

/** Mean-square value (per sample) of a 0 dBm0 signal. */
export const DBM0_MEAN_SQUARE = (DBM0_SINE_PEAK * DBM0_SINE_PEAK) / 2;

/** Peak amplitude of a sine at `levelDbm0`. */
export function dbm0ToPeak(levelDbm0: number): number {
  return DBM0_SINE_PEAK * 10 ** (levelDbm0 / 20);
}

/** Level in dBm0 of a signal whose mean square (power per sample) is `meanSquare`. */
export function meanSquareToDbm0(meanSquare: number): number {
  return 10 * Math.log10(meanSquare / DBM0_MEAN_SQUARE);
}

/** Mean square (power per sample) of a signal at `levelDbm0`. */
export function dbm0ToMeanSquare(levelDbm0: number): number {
  return DBM0_MEAN_SQUARE * 10 ** (levelDbm0 / 10);
}
