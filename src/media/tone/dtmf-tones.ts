/**
 * DTMF signalling frequencies and digit synthesis, ITU-T Q.23 §2 (Table 1): each key is one low-group and one
 * high-group frequency sent together.
 *
 *            1209  1336  1477  1633 Hz
 *     697     1     2     3     A
 *     770     4     5     6     B
 *     852     7     8     9     C
 *     941     *     0     #     D
 */
import { renderTone } from './tone-generator.js';

export const DTMF_LOW_GROUP_HZ: readonly number[] = [697, 770, 852, 941];
export const DTMF_HIGH_GROUP_HZ: readonly number[] = [1209, 1336, 1477, 1633];
/** Keys row by row: the key of low-group index r and high-group index c is DTMF_KEYS[r * 4 + c]. */
export const DTMF_KEYS = '123A456B789C*0#D';

/** [low, high] frequency indices of `digit` (0–9, *, #, A–D, case-insensitive). */
export function dtmfIndices(digit: string): [number, number] {
  const k = digit.length === 1 ? DTMF_KEYS.indexOf(digit.toUpperCase()) : -1;
  if (k < 0) throw new RangeError(`"${digit}" is not a DTMF key`);
  return [k >> 2, k & 3];
}

/** [low, high] frequencies of `digit` in Hz. */
export function dtmfFrequencies(digit: string): [number, number] {
  const [r, c] = dtmfIndices(digit);
  return [DTMF_LOW_GROUP_HZ[r], DTMF_HIGH_GROUP_HZ[c]];
}

/**
 * Renders one key press. `levelDbm0` is the level of the low-group component and `twistDb` the high-group level
 * relative to it (positive: high group louder, "reverse twist"; negative: high group quieter, the "normal twist" a
 * line's high-frequency loss produces), as Q.24 states levels per frequency.
 */
export function renderDtmfDigit(
  digit: string,
  durationMs: number,
  levelDbm0 = -10,
  twistDb = 0,
  sampleRate = 8000,
): Int16Array {
  return renderTone({
    frequencies: dtmfFrequencies(digit),
    levelDbm0: [levelDbm0, levelDbm0 + twistDb],
    durationMs,
    sampleRate,
  });
}
