import { WEEKDAYS, type Schedule } from '../schema/index.js';
import { formatZonedDate, zonedTime } from './zoned-time.js';

/**
 * Whether `schedule` is open at the instant `epochMs`. Hours are wall-clock hours in the schedule's zone, so
 * "09:00-17:30" keeps meaning 9 to 5:30 local on either side of a DST change; on the change day itself an hour
 * that does not exist (spring forward) is simply never reached and a repeated hour (fall back) is open twice.
 */
export function isScheduleOpen(schedule: Schedule, epochMs: number): boolean {
  const z = zonedTime(epochMs, schedule.timezone);
  if (schedule.holidays.includes(formatZonedDate(z))) return false;
  const minute = z.hour * 60 + z.minute;
  return schedule.hours[WEEKDAYS[z.weekday]].some((r) => r.startMinute <= minute && minute < r.endMinute);
}
