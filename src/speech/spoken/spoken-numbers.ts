/**
 * Spoken numbers read back from words: cardinals, day ordinals and years, the way callers say them (American and
 * British: "a hundred and twenty", "one thousand two hundred five", "twelve hundred", "twenty twenty seven").
 * The word lists are exported because the recognition grammars are built from the same ones (asr/spoken-rules.ts):
 * whatever a grammar lets the decoder hear, these parsers read.
 *
 * Every parser takes the whole word list or refuses it (null): "fifty forty" is no cardinal, "one two" is a digit
 * string and not a number.
 */

export const UNIT_WORDS: readonly string[] = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** Eleven to nineteen; "ten" stands apart because "ten hundred" is not how anyone says 1000. */
export const TEEN_WORDS: readonly string[] = ['eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
export const TENS_WORDS: readonly string[] = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
export const ORDINAL_UNIT_WORDS: readonly string[] = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
export const ORDINAL_TEEN_WORDS: readonly string[] = [
  'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth',
];
export const ORDINAL_TENS_WORDS: readonly string[] = [
  'twentieth', 'thirtieth', 'fortieth', 'fiftieth', 'sixtieth', 'seventieth', 'eightieth', 'ninetieth',
];
/** Digits as read after "point" and in years ("twenty oh five"). */
export const SPOKEN_DIGITS: Readonly<Record<string, number>> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};

/** The largest cardinal the parsers read. */
export const MAX_SPOKEN_NUMBER = 999_999;

const UNITS = indexFrom(UNIT_WORDS, 1);
const TEENS = indexFrom(TEEN_WORDS, 11);
const TENS = new Map(TENS_WORDS.map((w, i) => [w, (i + 2) * 10]));
const ORDINALS = new Map<string, number>([
  ...indexFrom(ORDINAL_UNIT_WORDS, 1), ...indexFrom(ORDINAL_TEEN_WORDS, 10),
  ...ORDINAL_TENS_WORDS.map((w, i): [string, number] => [w, (i + 2) * 10]),
]);
const ORDINAL_SUFFIX = /^(\d{1,2})(st|nd|rd|th)$/;
/** A written whole number, with or without thousands separators. */
const WRITTEN_INTEGER = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/;

function indexFrom(words: readonly string[], first: number): Map<string, number> {
  return new Map(words.map((w, i) => [w, first + i]));
}

/**
 * Lower-cases words and splits "twenty-seven" and "day-after-tomorrow" into their words; punctuation around a
 * word goes ("3rd," → "3rd"), while written numbers and amounts ("1,200", "$42.50", "2027-03-03") stay whole.
 */
export function spokenWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    for (const raw of word.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'").split(/\s+/)) {
      const w = raw.replace(/^[^a-z0-9$£€]+|[^a-z0-9]+$/g, '');
      if (w === '') continue;
      if (/[a-z]-[a-z]/.test(w)) out.push(...w.split('-').filter((p) => p !== ''));
      else out.push(w);
    }
  }
  return out;
}

/** A parse of words[at…] that stops where the number ends. */
interface Step {
  value: number;
  next: number;
}

/** 1..99: "seven", "ten", "fifteen", "forty", "forty two". */
function under100(w: readonly string[], at: number): Step | null {
  const tens = TENS.get(w[at]);
  if (tens !== undefined) {
    const unit = UNITS.get(w[at + 1]);
    return unit === undefined ? { value: tens, next: at + 1 } : { value: tens + unit, next: at + 2 };
  }
  if (w[at] === 'ten') return { value: 10, next: at + 1 };
  const single = TEENS.get(w[at]) ?? UNITS.get(w[at]);
  return single === undefined ? null : { value: single, next: at + 1 };
}

/** `base` plus an optional tail, itself optionally after "and" ("a hundred and twenty"). */
function withTail(w: readonly string[], at: number, base: number, tail: (w: readonly string[], at: number) => Step | null): Step {
  const direct = tail(w, at);
  if (direct) return { value: base + direct.value, next: direct.next };
  const afterAnd = w[at] === 'and' ? tail(w, at + 1) : null;
  return afterAnd ? { value: base + afterAnd.value, next: afterAnd.next } : { value: base, next: at };
}

/** 1..999: "a hundred", "three hundred and five", "ninety nine". */
function under1000(w: readonly string[], at: number): Step | null {
  const head = w[at] === 'a' ? 1 : UNITS.get(w[at]);
  if (head !== undefined && w[at + 1] === 'hundred') return withTail(w, at + 2, head * 100, under100);
  return under100(w, at);
}

/** 1..999999, plus "twelve hundred [and] fifty" (eleven to ninety-nine hundreds, not round tens). */
function cardinal(w: readonly string[], at: number): Step | null {
  const thousands = w[at] === 'a' && w[at + 1] === 'thousand' ? { value: 1, next: at + 1 } : under1000(w, at);
  if (thousands && w[thousands.next] === 'thousand') return withTail(w, thousands.next + 1, thousands.value * 1000, under1000);
  const hundreds = under100(w, at);
  if (hundreds && hundreds.value > 10 && hundreds.value % 10 !== 0 && w[hundreds.next] === 'hundred') {
    return withTail(w, hundreds.next + 1, hundreds.value * 100, under100);
  }
  return thousands;
}

/** The words taken whole by `parse`, else null. */
function whole(w: readonly string[], parse: (w: readonly string[], at: number) => Step | null): number | null {
  if (w.length === 0) return null;
  const step = parse(w, 0);
  return step && step.next === w.length ? step.value : null;
}

/** A written whole number ("42", "1,200") up to MAX_SPOKEN_NUMBER, else null. */
function writtenNumber(word: string): number | null {
  if (!WRITTEN_INTEGER.test(word)) return null;
  const n = Number(word.replace(/,/g, ''));
  return n <= MAX_SPOKEN_NUMBER ? n : null;
}

/** A cardinal 0..999999 said in words ("a hundred and twenty", "twelve hundred") or written ("1,200"). */
export function parseSpokenNumber(words: readonly string[]): number | null {
  const w = spokenWords(words);
  if (w.length === 1) {
    if (w[0] === 'zero') return 0;
    const written = writtenNumber(w[0]);
    if (written !== null) return written;
  }
  return whole(w, cardinal);
}

/** 1..99 said with two words at most ("fifteen", "forty two"): the cents of an amount, a day of the month. */
export function parseSpokenNumberUnder100(words: readonly string[]): number | null {
  const w = spokenWords(words);
  if (w.length === 1 && /^\d{1,2}$/.test(w[0])) return Number(w[0]) >= 1 ? Number(w[0]) : null;
  return whole(w, under100);
}

/** An ordinal 1..99: "third", "twenty first", "thirty-first", "31st". */
export function parseSpokenOrdinal(words: readonly string[]): number | null {
  const w = spokenWords(words);
  if (w.length === 1) {
    const m = ORDINAL_SUFFIX.exec(w[0]);
    if (m) {
      const n = Number(m[1]);
      return n >= 1 && m[2] === ordinalSuffix(n) ? n : null;
    }
    return ORDINALS.get(w[0]) ?? null;
  }
  if (w.length === 2) {
    const tens = TENS.get(w[0]);
    const unit = ORDINALS.get(w[1]);
    if (tens !== undefined && unit !== undefined && unit < 10) return tens + unit;
  }
  return null;
}

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

/**
 * A year 1000..2999 as people say it: in pairs ("twenty twenty seven", "nineteen oh five", "nineteen hundred"),
 * as a cardinal ("two thousand and seven", "two thousand twenty seven") or written ("2027").
 */
export function parseSpokenYear(words: readonly string[]): number | null {
  const w = spokenWords(words);
  if (w.length === 1 && /^\d{4}$/.test(w[0])) return inYearRange(Number(w[0]));
  if (w.includes('thousand')) return inYearRange(whole(w, cardinal));
  const high = under100(w, 0);
  if (!high || high.value < 10) return null;
  const rest = w.slice(high.next);
  let low: number | null = null;
  if (rest.length === 1 && rest[0] === 'hundred') low = 0;
  else if (rest.length === 2 && rest[0] === 'oh' && UNITS.has(rest[1])) low = UNITS.get(rest[1])!;
  else {
    const pair = whole(rest, under100);
    if (pair !== null && pair >= 10) low = pair;
  }
  return low === null ? null : inYearRange(high.value * 100 + low);
}

function inYearRange(year: number | null): number | null {
  return year !== null && year >= 1000 && year <= 2999 ? year : null;
}
