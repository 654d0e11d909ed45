import { SwitchboardError } from '../../common/index.js';

/** Wall-clock fields of an instant in a time zone. */
export interface ZonedTime {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  /** 0-23. */
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday … 6 = Sunday (ISO 8601 order, as schedules list days). */
  weekday: number;
  /** Local time minus UTC, in minutes (e.g. 60 for BST). */
  offsetMinutes: number;
}

const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    try {
      // hourCycle h23: some ICU versions print midnight as "24" with hour12: false.
      format = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch (e) {
      throw new SwitchboardError('SWB_ERR_FLOW_EXPRESSION', `Unknown time zone ${JSON.stringify(timeZone)}`, { cause: e });
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function zonedTime(epochMs: number, timeZone: string): ZonedTime {
  const fields: Record<string, string> = {};
  for (const p of formatFor(timeZone).formatToParts(epochMs)) fields[p.type] = p.value;
  const z = {
    year: Number(fields.year), month: Number(fields.month), day: Number(fields.day),
    hour: Number(fields.hour), minute: Number(fields.minute), second: Number(fields.second),
    weekday: WEEKDAY_INDEX[fields.weekday] ?? 0, offsetMinutes: 0,
  };
  const wallAsUtc = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second);
  z.offsetMinutes = Math.round((wallAsUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
  return z;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD`. */
export function formatZonedDate(z: ZonedTime): string {
  return `${pad(z.year, 4)}-${pad(z.month)}-${pad(z.day)}`;
}

/** ISO 8601 local time with its offset, e.g. `2026-03-29T02:30:00+01:00`: the value of the `now` variable. */
export function localTimestamp(epochMs: number, timeZone: string): string {
  const z = zonedTime(epochMs, timeZone);
  const sign = z.offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(z.offsetMinutes);
  return `${formatZonedDate(z)}T${pad(z.hour)}:${pad(z.minute)}:${pad(z.second)}${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}
