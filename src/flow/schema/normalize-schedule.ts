import type { FlowDiagnosticCode } from './diagnostics.js';
import type { z } from 'zod';
import type { scheduleSchema } from './flow-schema.js';
import { WEEKDAYS, type Schedule, type TimeRange, type Weekday } from './flow-types.js';
import { parseDate, parseTimeRanges, parseWeekdays } from './flow-values.js';

type Report = (code: FlowDiagnosticCode, path: (string | number)[], message: string, onKey?: boolean) => void;

/** Builds a Schedule: every weekday present, days listed by ranges (`mon-fri`) expanded, each day named once. */
export function normalizeSchedule(
  name: string,
  raw: z.output<typeof scheduleSchema>,
  flowTimezone: string,
  report: Report,
): Schedule {
  const timezone = raw.timezone ?? flowTimezone;
  const hours = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as TimeRange[]])) as Record<Weekday, TimeRange[]>;
  const namedBy = new Map<Weekday, string>();
  for (const [days, text] of Object.entries(raw.hours)) {
    const parsedDays = parseWeekdays(days);
    if (!parsedDays.ok) {
      report('SWB_FLOW_INVALID_HOURS', ['hours', days], parsedDays.message, true);
      continue;
    }
    const ranges = parseTimeRanges(text);
    if (!ranges.ok) {
      report('SWB_FLOW_INVALID_HOURS', ['hours', days], ranges.message);
      continue;
    }
    for (const d of parsedDays.value) {
      const earlier = namedBy.get(d);
      if (earlier !== undefined) {
        report('SWB_FLOW_INVALID_HOURS', ['hours', days], `'${d}' already has hours from '${earlier}'`, true);
        continue;
      }
      namedBy.set(d, days);
      hours[d] = ranges.value.map((r) => ({ ...r }));
    }
  }
  const holidays: string[] = [];
  raw.holidays.forEach((h, i) => {
    const date = parseDate(h);
    if (date.ok) holidays.push(date.value);
    else report('SWB_FLOW_INVALID_DATE', ['holidays', i], date.message);
  });
  return { name, timezone, hours, holidays };
}
