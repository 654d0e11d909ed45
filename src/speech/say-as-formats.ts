/**
 * Readers for each `<say-as KIND>`: content in, words out. Every reader throws SWB_ERR_SAY_AS on content it
 * cannot read, so a wrong value is caught instead of being mangled by the synthesizer.
 */
import { SwitchboardError } from '../common/index.js';
import { DIGIT_WORDS, integerToWords, numberToWords, ordinalToWords, yearToWords } from './say-as-numbers.js';

export const SAY_AS_KINDS = ['digits', 'number', 'currency', 'date', 'time', 'phone'] as const;
export type SayAsKind = (typeof SAY_AS_KINDS)[number];

const fail = (kind: string, content: string, why = ''): never => {
  throw new SwitchboardError('SWB_ERR_SAY_AS', `Cannot read ${JSON.stringify(content)} as ${kind}${why ? `: ${why}` : ''}`);
};

const KEY_WORDS: Record<string, string> = { '*': 'star', '#': 'pound', '+': 'plus' };
/** Characters that only format a number for the eye ("(555) 123-4567"). */
const FORMATTING = /[\s\-().]/;

function keyWord(c: string, kind: string, content: string): string {
  if (c >= '0' && c <= '9') return DIGIT_WORDS[Number(c)];
  if (/^[A-D]$/i.test(c)) return c.toUpperCase();
  return KEY_WORDS[c] ?? fail(kind, content, `${JSON.stringify(c)} is not a key`);
}

/** Keys one at a time, commas between so each is distinct: "12#" → "one, two, pound". */
export function sayDigits(content: string): string {
  const words = [...content].filter((c) => !FORMATTING.test(c)).map((c) => keyWord(c, 'digits', content));
  if (words.length === 0) fail('digits', content, 'no keys');
  return words.join(', ');
}

/** ITU-T E.164 country codes of one and two digits; every other code has three. */
const SHORT_COUNTRY_CODES = new Set([
  '1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86',
  '90', '91', '92', '93', '94', '95', '98',
]);

/** Sizes of the groups a run of `n` digits is read in: threes, ending in a four (or two fours) as people say them. */
function groupSizes(n: number): number[] {
  if (n <= 4) return [n];
  if (n === 5) return [2, 3];
  const sizes: number[] = [];
  let rest = n;
  const tail = n % 3 === 0 ? [] : n % 3 === 1 ? [4] : [4, 4];
  rest -= tail.reduce((a, b) => a + b, 0);
  while (rest > 0) {
    sizes.push(3);
    rest -= 3;
  }
  return [...sizes, ...tail];
}

function split(digits: string, sizes: number[]): string[] {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  return groups;
}

/**
 * A phone number digit by digit, in groups with a pause between them. Groups the caller wrote
 * ("+44 1234 567890") are kept; otherwise the country code is split off and the rest grouped in threes and fours
 * (NANP numbers as 3-3-4).
 */
export function sayPhone(content: string): string {
  const trimmed = content.trim();
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) fail('phone', content);
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 3 || digits.length > 15) fail('phone', content, 'a phone number has 3 to 15 digits');
  let groups: string[];
  const written = trimmed.replace(/^\+/, '').split(/[\s\-().]+/).filter(Boolean);
  if (written.length > 1) {
    groups = written;
  } else if (plus) {
    const cc = [1, 2, 3].map((n) => digits.slice(0, n)).find((c) => SHORT_COUNTRY_CODES.has(c)) ?? digits.slice(0, 3);
    groups = [cc, ...split(digits.slice(cc.length), cc === '1' ? [3, 3, 4] : groupSizes(digits.length - cc.length))];
  } else if (digits.length === 10) {
    groups = split(digits, [3, 3, 4]);
  } else if (digits.length === 11 && digits.startsWith('1')) {
    groups = split(digits, [1, 3, 3, 4]);
  } else {
    groups = split(digits, groupSizes(digits.length));
  }
  const spoken = groups.filter(Boolean).map((g) => [...g].map((d) => DIGIT_WORDS[Number(d)]).join(' ')).join(', ');
  return plus ? `plus ${spoken}` : spoken;
}

export function sayNumber(content: string): string {
  try {
    return numberToWords(content);
  } catch {
    return fail('number', content);
  }
}

interface CurrencyWords {
  major: [string, string];
  /** Absent for currencies without a minor unit in use (yen). */
  minor?: [string, string];
}

const CURRENCIES: Record<string, CurrencyWords> = {
  USD: { major: ['dollar', 'dollars'], minor: ['cent', 'cents'] },
  CAD: { major: ['Canadian dollar', 'Canadian dollars'], minor: ['cent', 'cents'] },
  AUD: { major: ['Australian dollar', 'Australian dollars'], minor: ['cent', 'cents'] },
  NZD: { major: ['New Zealand dollar', 'New Zealand dollars'], minor: ['cent', 'cents'] },
  GBP: { major: ['pound', 'pounds'], minor: ['penny', 'pence'] },
  EUR: { major: ['euro', 'euros'], minor: ['cent', 'cents'] },
  CHF: { major: ['franc', 'francs'], minor: ['centime', 'centimes'] },
  INR: { major: ['rupee', 'rupees'], minor: ['paisa', 'paise'] },
  JPY: { major: ['yen', 'yen'] },
};
const SYMBOLS: Record<string, string> = { $: 'USD', '£': 'GBP', '€': 'EUR', '¥': 'JPY', '₹': 'INR' };

export const SUPPORTED_CURRENCIES: readonly string[] = Object.keys(CURRENCIES);

/**
 * An amount of money: "12.50" → "twelve dollars and fifty cents". The currency is the one written with the
 * amount ("£3", "12.50 EUR"), else `currency`. A "$" keeps `currency` when that is a dollar currency (CAD, AUD…).
 */
export function sayCurrency(content: string, currency = 'USD'): string {
  let text = content.trim();
  let code = currency.toUpperCase();
  const leading = /^([A-Za-z]{3})\s*(.+)$/.exec(text);
  const trailing = /^(.+?)\s*([A-Za-z]{3})$/.exec(text);
  if (leading) {
    code = leading[1].toUpperCase();
    text = leading[2];
  } else if (trailing) {
    code = trailing[2].toUpperCase();
    text = trailing[1];
  }
  const sign = text.startsWith('-') ? '-' : '';
  if (sign) text = text.slice(1).trim();
  const symbol = SYMBOLS[text[0] ?? ''];
  if (symbol) {
    if (!(text[0] === '$' && CURRENCIES[code]?.major[0].endsWith('dollar'))) code = symbol;
    text = text.slice(1).trim();
  }
  const words = CURRENCIES[code] ?? fail('currency', content, `unknown currency ${code}`);
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(text) ?? fail('currency', content);
  let major = Number(m[1].replace(/,/g, ''));
  const fraction = (m[2] ?? '').padEnd(3, '0');
  let minor = Number(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1 : 0);
  if (!words.minor) {
    major += minor >= 50 ? 1 : 0;
    minor = 0;
  } else if (minor === 100) {
    major += 1;
    minor = 0;
  }
  const unit = (n: number, [one, many]: [string, string]) => `${integerToWords(n)} ${n === 1 ? one : many}`;
  const parts: string[] = [];
  if (major > 0 || minor === 0) parts.push(unit(major, words.major));
  if (minor > 0 && words.minor) parts.push(unit(minor, words.minor));
  return `${sign ? 'minus ' : ''}${parts.join(' and ')}`;
}

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "2026-11-21" (or an ISO timestamp, whose date part is read) → "Saturday, November twenty-first, twenty twenty-six". */
export function sayDate(content: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(content.trim()) ?? fail('date', content, 'expected YYYY-MM-DD');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    fail('date', content, 'no such day');
  }
  return `${DAYS[date.getUTCDay()]}, ${MONTHS[month - 1]} ${ordinalToWords(day)}, ${yearToWords(year)}`;
}

/**
 * A wall-clock time: "14:05", "2:05 pm" or an ISO timestamp (its local part, as written) →
 * "two oh five p.m."; "12:00" → "noon", "00:00" → "midnight". Flite reads "a.m." as the letters.
 */
export function sayTime(content: string): string {
  const text = content.trim();
  const iso = /^\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  const clock = iso ?? /^(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp]\.?[Mm]\.?)?$/.exec(text) ?? fail('time', content);
  let hour = Number(clock[1]);
  const minute = Number(clock[2]);
  const period = iso ? undefined : clock[3]?.[0].toLowerCase();
  if (period) {
    if (hour < 1 || hour > 12) fail('time', content, 'hour out of range');
    hour = (hour % 12) + (period === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) fail('time', content, 'out of range');
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'noon';
  const h12 = integerToWords(hour % 12 === 0 ? 12 : hour % 12);
  const mm = minute === 0 ? '' : minute < 10 ? ` oh ${integerToWords(minute)}` : ` ${integerToWords(minute)}`;
  return `${h12}${mm} ${hour < 12 ? 'a.m.' : 'p.m.'}`;
}

export function sayAs(kind: SayAsKind, content: string, options: { currency?: string } = {}): string {
  switch (kind) {
    case 'digits': return sayDigits(content);
    case 'number': return sayNumber(content);
    case 'currency': return sayCurrency(content, options.currency);
    case 'date': return sayDate(content);
    case 'time': return sayTime(content);
    case 'phone': return sayPhone(content);
  }
}
