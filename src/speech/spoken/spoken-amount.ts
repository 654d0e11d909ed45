/**
 * Spoken money amounts read into a two-decimal string ("42.50"), the way prices are said: "forty two dollars
 * fifty", "forty two dollars and fifty cents", "seventy five cents", "twelve point five", and the bare pair
 * "forty two fifty" (dollars then cents, the second group 10..99). No currency is recorded: the flow asking knows
 * which one it asked for. Typed forms are read too ("$42.50", "42.50", "42 dollars").
 */
import {
  MAX_SPOKEN_NUMBER, SPOKEN_DIGITS, parseSpokenNumber, parseSpokenNumberUnder100, spokenWords,
} from './spoken-numbers.js';

export const MAJOR_CURRENCY_WORDS: readonly string[] = ['dollar', 'dollars', 'buck', 'bucks', 'pound', 'pounds', 'euro', 'euros'];
export const MINOR_CURRENCY_WORDS: readonly string[] = ['cent', 'cents', 'pence', 'penny'];
/** The currency words "a" may stand before ("a dollar"); "a dollars" is how "eight dollars" gets misheard. */
export const SINGULAR_CURRENCY_WORDS: readonly string[] = ['dollar', 'buck', 'pound', 'euro', 'cent', 'penny'];

/** The largest amount read: MAX_SPOKEN_NUMBER and 99 cents. */
export const MAX_SPOKEN_AMOUNT = MAX_SPOKEN_NUMBER + 0.99;

/** "$42.50", "£3", "1,200.5": the currency sign optional, at most two decimals. */
const WRITTEN_AMOUNT = /^[$£€]?((?:\d{1,3}(?:,\d{3})+|\d+))(?:\.(\d{1,2}))?$/;

/** Amounts are kept in cents so no binary fraction ever rounds them. */
function format(cents: number | null): string | null {
  if (cents === null || !Number.isSafeInteger(cents) || cents < 0 || cents > MAX_SPOKEN_NUMBER * 100 + 99) return null;
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function writtenCents(word: string): number | null {
  const m = WRITTEN_AMOUNT.exec(word);
  if (!m) return null;
  const whole = Number(m[1].replace(/,/g, ''));
  return whole > MAX_SPOKEN_NUMBER ? null : whole * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** "a" counts as one before a singular currency word ("a dollar fifty", "a penny"). */
function countBeforeCurrency(words: readonly string[], currency: string): number | null {
  if (words.length === 1 && words[0] === 'a') return SINGULAR_CURRENCY_WORDS.includes(currency) ? 1 : null;
  return parseSpokenNumber(words);
}

/** "twelve", "twelve point five", "twelve point oh five", "12.5", "$12.50": an amount of whole units, in cents. */
function unitsInCents(words: readonly string[]): number | null {
  if (words.length === 1) {
    const written = writtenCents(words[0]);
    if (written !== null) return written;
  }
  const point = words.indexOf('point');
  if (point < 0) {
    const n = parseSpokenNumber(words);
    return n === null ? null : n * 100;
  }
  const whole = parseSpokenNumber(words.slice(0, point));
  const decimals = words.slice(point + 1).map((w) => SPOKEN_DIGITS[w]);
  if (whole === null || decimals.length < 1 || decimals.length > 2 || decimals.some((d) => d === undefined)) return null;
  return whole * 100 + (decimals[0] * 10 + (decimals[1] ?? 0));
}

/** What follows "dollars": nothing, or "[and] fifty [cents]". */
function centsAfterMajor(words: readonly string[]): number | null {
  let w = words;
  if (w[0] === 'and') w = w.slice(1);
  if (MINOR_CURRENCY_WORDS.includes(w[w.length - 1])) w = w.slice(0, -1);
  if (w.length === 0) return words.length === 0 ? 0 : null;
  return parseSpokenNumberUnder100(w);
}

/** "forty two fifty": a dollar group, then a cents group of 10..99 said as one number (not "oh five"). */
function pairInCents(words: readonly string[]): number | null {
  for (let split = words.length - 1; split >= 1; split--) {
    const dollars = parseSpokenNumber(words.slice(0, split));
    const cents = parseSpokenNumberUnder100(words.slice(split));
    if (dollars !== null && dollars >= 1 && cents !== null && cents >= 10 && !/^\d/.test(words[split])) return dollars * 100 + cents;
  }
  return null;
}

/**
 * Reads an amount into "D.CC", or null for anything else (words that are not an amount, more than 999999.99,
 * "fifty cents" beyond 99). A whole number wins over a pair: "a hundred twenty five" is 125.00, not 100.25.
 */
export function parseSpokenAmount(words: readonly string[]): string | null {
  const w = spokenWords(words);
  if (w.length === 0) return null;
  const major = w.findIndex((word) => MAJOR_CURRENCY_WORDS.includes(word));
  if (major >= 0) {
    const before = w.slice(0, major);
    const after = w.slice(major + 1);
    if (after.length === 0) {
      const one = before.length === 1 && before[0] === 'a';
      return format(one ? (countBeforeCurrency(before, w[major]) === null ? null : 100) : unitsInCents(before));
    }
    const units = countBeforeCurrency(before, w[major]);
    const cents = centsAfterMajor(after);
    return units === null || cents === null ? null : format(units * 100 + cents);
  }
  const last = w[w.length - 1];
  if (MINOR_CURRENCY_WORDS.includes(last)) {
    const cents = countBeforeCurrency(w.slice(0, -1), last);
    return cents === null || cents > 99 ? null : format(cents);
  }
  return format(unitsInCents(w) ?? pairInCents(w));
}
