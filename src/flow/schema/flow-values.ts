import { WEEKDAYS, type TimeRange, type Weekday } from './flow-types.js';

/** Parsers for the small value syntaxes of a flow file; each returns a value or an error message, never throws. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;
/** Longest duration accepted anywhere in a flow: longer waits are mistakes (a caller will not wait an hour). */
export const MAX_DURATION_MS = 3_600_000;

/** `500ms`, `8s`, `1.5s`, `2m` or a number of milliseconds. */
export function parseDuration(input: unknown): Parsed<number> {
  let ms: number;
  if (typeof input === 'number') {
    ms = input;
  } else if (typeof input === 'string') {
    const m = DURATION.exec(input);
    if (!m) return { ok: false, message: `'${input}' is not a duration (use 500ms, 8s, 2m or milliseconds)` };
    ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  } else {
    return { ok: false, message: 'a duration must be like 500ms, 8s, 2m or a number of milliseconds' };
  }
  if (!Number.isFinite(ms) || ms < 0) return { ok: false, message: `${String(input)} is not a duration` };
  const rounded = Math.round(ms);
  if (Math.abs(rounded - ms) > 1e-6) return { ok: false, message: `${String(input)} is not a whole number of milliseconds` };
  if (rounded > MAX_DURATION_MS) return { ok: false, message: `${String(input)} is longer than one hour` };
  return { ok: true, value: rounded };
}

/** DTMF events 0-9, *, #, A-D (RFC 4733 §3.2, events 0-15). */
const DTMF_KEY = /^[0-9*#A-D]$/;

/** One DTMF key; YAML turns an unquoted `1` into a number, so single-digit numbers are accepted too. */
export function parseDtmfKey(input: unknown): Parsed<string> {
  const s = typeof input === 'number' && Number.isInteger(input) ? String(input) : input;
  if (typeof s === 'string' && DTMF_KEY.test(s)) return { ok: true, value: s };
  const shown = typeof input === 'string' ? `'${input}'` : String(input);
  return { ok: false, message: `${shown} is not a single DTMF key (0-9, *, #, A-D)` };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isIdentifier(s: string): boolean {
  return IDENTIFIER.test(s);
}

/** Variables every call has; a flow may read them but not store into them. */
/** `frustrated`: the caller asked for a person or sounded fed up in what they said (speech input). */
export const BUILTIN_VARIABLES: readonly string[] = ['caller', 'called', 'now', 'callId', 'vars', 'frustrated'];

/** Names the expression language keeps for itself. */
export const RESERVED_WORDS: readonly string[] = ['and', 'or', 'not', 'in', 'true', 'false', 'null'];

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

function parseClock(s: string): number | undefined {
  const m = CLOCK.exec(s.trim());
  if (!m) return undefined;
  const minute = Number(m[1]) * 60 + Number(m[2]);
  return minute <= 1440 ? minute : undefined;
}

/** `"09:00-17:30"` or several ranges `"09:00-12:00,13:00-17:00"`; sorted, non-overlapping, within one day. */
export function parseTimeRanges(input: unknown): Parsed<TimeRange[]> {
  if (typeof input !== 'string') return { ok: false, message: 'hours must be a string like "09:00-17:30"' };
  const ranges: TimeRange[] = [];
  for (const part of input.split(',')) {
    const [from, to, extra] = part.split('-');
    const start = from === undefined ? undefined : parseClock(from);
    const end = to === undefined ? undefined : parseClock(to);
    if (extra !== undefined || start === undefined || end === undefined) {
      return { ok: false, message: `'${part.trim()}' is not a time range like 09:00-17:30` };
    }
    if (end <= start) {
      return { ok: false, message: `'${part.trim()}' ends before it starts (ranges cannot cross midnight)` };
    }
    ranges.push({ startMinute: start, endMinute: end });
  }
  ranges.sort((a, b) => a.startMinute - b.startMinute);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i].startMinute < ranges[i - 1].endMinute) return { ok: false, message: `ranges in '${input}' overlap` };
  }
  return { ok: true, value: ranges };
}

/** `mon`, `mon-fri`, `sat-sun`, `fri-mon` (wrapping), or a comma list of those: `mon,wed,fri`. */
export function parseWeekdays(input: string): Parsed<Weekday[]> {
  const days = new Set<Weekday>();
  for (const part of input.split(',')) {
    const [from, to, extra] = part.trim().toLowerCase().split('-');
    const a = WEEKDAYS.indexOf(from as Weekday);
    const b = to === undefined ? a : WEEKDAYS.indexOf(to as Weekday);
    if (extra !== undefined || a < 0 || b < 0) {
      return { ok: false, message: `'${part.trim()}' is not a day or day range (mon, tue, … sun; mon-fri)` };
    }
    for (let i = a; ; i = (i + 1) % 7) {
      days.add(WEEKDAYS[i]);
      if (i === b) break;
    }
  }
  return { ok: true, value: WEEKDAYS.filter((d) => days.has(d)) };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date `YYYY-MM-DD`. */
export function parseDate(input: unknown): Parsed<string> {
  const m = typeof input === 'string' ? DATE.exec(input) : null;
  if (!m) return { ok: false, message: `${JSON.stringify(input)} is not a date like 2026-12-25` };
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    return { ok: false, message: `${input as string} is not a real date` };
  }
  return { ok: true, value: input as string };
}

/** An IANA timezone name, as the runtime's Intl knows it. */
export function isValidTimezone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
