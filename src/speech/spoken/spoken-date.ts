/**
 * Spoken dates in two steps. parseSpokenDate reads the words into a canonical value that keeps what was NOT said
 * unsaid: `2027-03-03` with a year, `--03-03` for a month and day, `---15` for a day alone (the truncated forms of
 * ISO 8601:2000 §5.2.1.3), `today` / `tomorrow` / `yesterday` / `day-after-tomorrow`, and `monday`,
 * `next-monday`, `last-monday`. resolveSpokenDate turns such a value into a calendar date against a reference day,
 * so a recognition result can be logged as heard and resolved later in the caller's time zone.
 */
import { SwitchboardError } from '../../common/index.js';
import {
  parseSpokenNumberUnder100, parseSpokenOrdinal, parseSpokenYear, spokenWords,
} from './spoken-numbers.js';

export const MONTH_WORDS: readonly string[] = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];
/** ISO 8601 order: Monday is day 1 of the week. */
export const WEEKDAY_WORDS: readonly string[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Relative days and their canonical value. */
const RELATIVE_DAYS: Readonly<Record<string, string>> = {
  today: 'today', tomorrow: 'tomorrow', yesterday: 'yesterday', 'day after tomorrow': 'day-after-tomorrow',
  'the day after tomorrow': 'day-after-tomorrow',
};

/** Written abbreviations, for typed text ("Mar 3rd"); the grammars only use the full names. */
const MONTH_ABBREVIATIONS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const RELATIVE_OFFSETS: Readonly<Record<string, number>> = { today: 0, tomorrow: 1, yesterday: -1, 'day-after-tomorrow': 2 };
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^--(\d{2})-(\d{2})$/;
const DAY_ONLY = /^---(\d{2})$/;
const WEEKDAY_VALUE = /^(?:(next|last)-)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;

function monthOf(word: string): number {
  const full = MONTH_WORDS.indexOf(word);
  if (full >= 0) return full + 1;
  const short = MONTH_ABBREVIATIONS.indexOf(word === 'sept' ? 'sep' : word);
  return short >= 0 ? short + 1 : 0;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month; February has 29 when no year is known, since some year has that date. */
function daysInMonth(month: number, year?: number): number {
  if (month === 2) return year === undefined || isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function dateValue(day: number | null, month: number, year: number | null): string | null {
  if (day === null || day < 1 || day > daysInMonth(month, year ?? undefined)) return null;
  return year === null ? `--${pad(month)}-${pad(day)}` : `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** A day of the month said as an ordinal ("third", "3rd") or, after the month, as a number ("march three"). */
function dayOf(words: readonly string[], cardinalToo: boolean): number | null {
  const ordinal = parseSpokenOrdinal(words);
  if (ordinal !== null) return ordinal;
  return cardinalToo ? parseSpokenNumberUnder100(words) : null;
}

/** "[the] third [of]" before a month. */
function dayBeforeMonth(words: readonly string[]): number | null {
  let w = words;
  if (w[0] === 'the') w = w.slice(1);
  if (w[w.length - 1] === 'of') w = w.slice(0, -1);
  return w.length > 0 ? parseSpokenOrdinal(w) : null;
}

/**
 * "[the] third | three [year]" after a month. The day takes at most two words; the longer day is tried first
 * ("march twenty one nineteen ninety" is the 21st, 1990), and what follows it must be a year or nothing.
 */
function dayAfterMonth(words: readonly string[], month: number): string | null {
  const the = words[0] === 'the' ? 1 : 0;
  for (let end = Math.min(words.length, the + 2); end > the; end--) {
    const day = dayOf(words.slice(the, end), the === 0);
    if (day === null) continue;
    const rest = words.slice(end);
    const year = rest.length === 0 ? null : parseSpokenYear(rest);
    if (rest.length > 0 && year === null) continue;
    return dateValue(day, month, year) ?? IMPOSSIBLE_DATE;
  }
  return null;
}

/**
 * What readSpokenDate gives for words shaped as a date that no calendar has. A searcher stepping through text
 * needs it: "february thirtieth" is not a date, and must not leave "thirtieth" to be read as a day alone.
 */
export const IMPOSSIBLE_DATE = 'impossible';

/**
 * Reads a spoken or written date into its canonical unresolved value (see the file comment), or null. Accepts
 * "[on] [the] third [of] march [twenty twenty seven]", "march [the] third", "march three", "the fifteenth",
 * "today", "[on | this | next | last] monday", and typed forms ("March 3rd, 2027", "2027-03-03"). A date no
 * calendar has ("february thirtieth", "february twenty ninth twenty twenty five") is null.
 */
export function parseSpokenDate(words: readonly string[]): string | null {
  const value = readSpokenDate(words);
  return value === IMPOSSIBLE_DATE ? null : value;
}

/** parseSpokenDate, except that a date no calendar has is IMPOSSIBLE_DATE instead of null. */
export function readSpokenDate(words: readonly string[]): string | null {
  let w = spokenWords(words);
  if (w[0] === 'on') w = w.slice(1);
  if (w.length === 0) return null;
  const relative = RELATIVE_DAYS[w.join(' ')];
  if (relative !== undefined) return relative;
  if (w.length <= 2 && WEEKDAY_WORDS.includes(w[w.length - 1])) {
    if (w.length === 1 || w[0] === 'this') return w[w.length - 1];
    return w[0] === 'next' || w[0] === 'last' ? `${w[0]}-${w[1]}` : null;
  }
  if (w.length === 1) {
    const iso = ISO_DATE.exec(w[0]);
    if (iso) return dateValue(Number(iso[3]), Number(iso[2]), Number(iso[1])) === w[0] ? w[0] : IMPOSSIBLE_DATE;
  }
  const at = w.findIndex((word) => monthOf(word) > 0);
  if (at < 0) {
    const day = dayBeforeMonth(w);
    if (day === null) return null;
    return day <= 31 ? `---${pad(day)}` : IMPOSSIBLE_DATE;
  }
  const month = monthOf(w[at]);
  const before = w.slice(0, at);
  const after = w.slice(at + 1);
  if (before.length === 0) return dayAfterMonth(after, month);
  const year = after.length === 0 ? null : parseSpokenYear(after);
  if (after.length > 0 && year === null) return null;
  const day = dayBeforeMonth(before);
  return day === null ? null : dateValue(day, month, year) ?? IMPOSSIBLE_DATE;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function parseToday(today: string): Ymd {
  const m = ISO_DATE.exec(today);
  const ymd = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  if (!ymd || ymd.month < 1 || ymd.month > 12 || ymd.day < 1 || ymd.day > daysInMonth(ymd.month, ymd.year)) {
    throw new SwitchboardError('SWB_ERR_NLU_INPUT', `The reference day must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(today)}`);
  }
  return ymd;
}

/** Days since 1970-01-01 (proleptic Gregorian), computed in UTC so no time zone shifts a day. */
const dayNumber = (d: Ymd): number => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;

function fromDayNumber(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** Monday 0 … Sunday 6. */
const weekdayOf = (dayNo: number): number => (((dayNo + 3) % 7) + 7) % 7;

/**
 * The calendar date (YYYY-MM-DD) a canonical value stands for, seen from `today` (YYYY-MM-DD, the caller's
 * local date). null for a value that is not canonical or names no date (February 29 resolved into a common year).
 *
 * - `--MM-DD`: its next occurrence from today on (today included); for 'past', its latest up to today.
 * - `---DD`: the next month from this one (this one included if the day is not past) that has that day, so "the
 *   thirty-first" said on April 5 is May 31; for 'past', the latest such day up to today.
 * - `monday`: the next Monday after today ('past': the latest before today); said on a Monday it is a week away.
 * - `next-monday` / `last-monday`: the Monday of the following / preceding week, weeks starting on Monday
 *   (ISO 8601): said on a Wednesday, "next friday" is nine days away, not two; said on a Sunday, "next monday" is
 *   tomorrow. `prefer` does not apply, the word already says which way.
 * - `today`, `tomorrow`, `yesterday`, `day-after-tomorrow`: as said. `YYYY-MM-DD`: itself, when it is a real date.
 */
export function resolveSpokenDate(value: string, today: string, prefer: 'future' | 'past' = 'future'): string | null {
  const now = parseToday(today);
  const todayNo = dayNumber(now);
  const past = prefer === 'past';
  if (value in RELATIVE_OFFSETS) return fromDayNumber(todayNo + RELATIVE_OFFSETS[value]);
  const iso = ISO_DATE.exec(value);
  if (iso) return dateValue(Number(iso[3]), Number(iso[2]), Number(iso[1])) === value ? value : null;
  const monthDay = MONTH_DAY.exec(value);
  if (monthDay) {
    const month = Number(monthDay[1]);
    const day = Number(monthDay[2]);
    if (month < 1 || month > 12 || dateValue(day, month, null) === null) return null;
    const thisYear = month * 100 + day;
    const nowKey = now.month * 100 + now.day;
    const year = past ? (thisYear <= nowKey ? now.year : now.year - 1) : (thisYear >= nowKey ? now.year : now.year + 1);
    return dateValue(day, month, year);
  }
  const dayOnly = DAY_ONLY.exec(value);
  if (dayOnly) {
    const day = Number(dayOnly[1]);
    if (day < 1 || day > 31) return null;
    let { year, month } = now;
    const step = past ? -1 : 1;
    if (past ? day > now.day : day < now.day) ({ year, month } = addMonths(year, month, step));
    while (day > daysInMonth(month, year)) ({ year, month } = addMonths(year, month, step));
    return dateValue(day, month, year);
  }
  const weekday = WEEKDAY_VALUE.exec(value);
  if (weekday) {
    const target = WEEKDAY_WORDS.indexOf(weekday[2]);
    const current = weekdayOf(todayNo);
    if (weekday[1] === 'next') return fromDayNumber(todayNo - current + 7 + target);
    if (weekday[1] === 'last') return fromDayNumber(todayNo - current - 7 + target);
    if (past) return fromDayNumber(todayNo - (((current - target + 6) % 7) + 1));
    return fromDayNumber(todayNo + ((target - current + 6) % 7) + 1);
  }
  return null;
}

function addMonths(year: number, month: number, step: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + step;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}
