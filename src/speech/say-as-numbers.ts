/**
 * Numbers as English words (American style, no "and" inside numbers: "one hundred twenty"), the forms Flite
 * reads without guessing. Words are hyphenated within tens ("forty-two"); Flite reads the parts as words.
 */
import { SwitchboardError } from '../common/index.js';

const ONES = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];
const IRREGULAR_ORDINALS: Record<string, string> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

export const DIGIT_WORDS: readonly string[] = ONES.slice(0, 10);

function underThousand(n: number): string {
  const words: string[] = [];
  if (n >= 100) {
    words.push(`${ONES[Math.floor(n / 100)]} hundred`);
    n %= 100;
  }
  if (n >= 20) words.push(TENS[Math.floor(n / 10)] + (n % 10 ? `-${ONES[n % 10]}` : ''));
  else if (n > 0) words.push(ONES[n]);
  return words.join(' ');
}

/** A whole number below one quadrillion: 1234 → "one thousand two hundred thirty-four". */
export function integerToWords(n: number): string {
  if (!Number.isSafeInteger(n) || Math.abs(n) >= 1e15) {
    throw new SwitchboardError('SWB_ERR_SAY_AS', `Cannot read ${n} as a whole number`);
  }
  if (n < 0) return `minus ${integerToWords(-n)}`;
  if (n === 0) return 'zero';
  const groups: string[] = [];
  for (let scale = 0; n > 0; scale++, n = Math.floor(n / 1000)) {
    const chunk = n % 1000;
    if (chunk) groups.unshift(SCALES[scale] ? `${underThousand(chunk)} ${SCALES[scale]}` : underThousand(chunk));
  }
  return groups.join(' ');
}

const DECIMAL = /^([-+])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

/** A decimal number as written: "1,234.05" → "one thousand two hundred thirty-four point zero five". */
export function numberToWords(text: string): string {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new SwitchboardError('SWB_ERR_SAY_AS', `Cannot read ${JSON.stringify(text)} as a number`);
  const whole = integerToWords(Number(m[2].replace(/,/g, '')));
  const fraction = m[3] ? ` point ${[...m[3]].map((d) => ONES[Number(d)]).join(' ')}` : '';
  return `${m[1] === '-' ? 'minus ' : ''}${whole}${fraction}`;
}

/** 21 → "twenty-first". */
export function ordinalToWords(n: number): string {
  const cardinal = integerToWords(n);
  const cut = Math.max(cardinal.lastIndexOf(' '), cardinal.lastIndexOf('-')) + 1;
  const last = cardinal.slice(cut);
  const ordinal = IRREGULAR_ORDINALS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return cardinal.slice(0, cut) + ordinal;
}

/** Years as people say them: 2026 → "twenty twenty-six", 2005 → "two thousand five", 1905 → "nineteen oh five". */
export function yearToWords(year: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return integerToWords(year);
  if (year >= 2000 && year < 2010) return integerToWords(year);
  const high = Math.floor(year / 100);
  const low = year % 100;
  if (low === 0) return year % 1000 === 0 ? integerToWords(year) : `${integerToWords(high)} hundred`;
  return `${integerToWords(high)} ${low < 10 ? `oh ${ONES[low]}` : integerToWords(low)}`;
}
