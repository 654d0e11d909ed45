import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Schedule, TimeRange, Weekday } from '../schema/index.js';
import { evaluate } from './evaluate.js';
import { createScope } from './expression-scope.js';
import { parseExpression } from './parse-expression.js';
import { isScheduleOpen } from './schedule-open.js';
import { localTimestamp, zonedTime } from './zoned-time.js';

const range = (from: string, to: string): TimeRange => {
  const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  return { startMinute: m(from), endMinute: m(to) };
};

function schedule(timezone: string, hours: Partial<Record<Weekday, TimeRange[]>>, holidays: string[] = []): Schedule {
  const all: Record<Weekday, TimeRange[]> = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...hours };
  return { name: 'test', timezone, hours: all, holidays };
}

const weekdays = (ranges: TimeRange[]) => ({ mon: ranges, tue: ranges, wed: ranges, thu: ranges, fri: ranges });
const at = (iso: string) => Date.parse(iso);

const office = schedule('Europe/London', { ...weekdays([range('09:00', '17:30')]), sat: [range('10:00', '13:00')] }, ['2026-12-25']);

test('office hours follow London wall-clock time across the March 2026 change to BST', () => {
  assert.equal(isScheduleOpen(office, at('2026-03-27T08:59:00Z')), false, 'Fri 08:59 GMT');
  assert.equal(isScheduleOpen(office, at('2026-03-27T09:00:00Z')), true, 'Fri 09:00 GMT');
  assert.equal(isScheduleOpen(office, at('2026-03-27T17:29:00Z')), true, 'Fri 17:29 GMT');
  assert.equal(isScheduleOpen(office, at('2026-03-30T07:59:00Z')), false, 'Mon 08:59 BST');
  assert.equal(isScheduleOpen(office, at('2026-03-30T08:00:00Z')), true, 'Mon 09:00 BST');
  assert.equal(isScheduleOpen(office, at('2026-03-30T16:29:00Z')), true, 'Mon 17:29 BST');
  assert.equal(isScheduleOpen(office, at('2026-03-30T16:30:00Z')), false, 'Mon 17:30 BST');
  assert.equal(isScheduleOpen(office, at('2026-03-28T12:59:00Z')), true, 'Sat 12:59');
  assert.equal(isScheduleOpen(office, at('2026-03-28T13:00:00Z')), false, 'Sat 13:00');
  assert.equal(isScheduleOpen(office, at('2026-03-29T12:00:00Z')), false, 'Sunday is not listed');
});

test('holidays close the whole local day', () => {
  assert.equal(isScheduleOpen(office, at('2026-12-24T10:00:00Z')), true);
  assert.equal(isScheduleOpen(office, at('2026-12-25T10:00:00Z')), false);
  const tokyo = schedule('Asia/Tokyo', weekdays([range('00:00', '24:00')]), ['2026-12-25']);
  assert.equal(isScheduleOpen(tokyo, at('2026-12-24T14:59:00Z')), true, '23:59 on the 24th in Tokyo');
  assert.equal(isScheduleOpen(tokyo, at('2026-12-24T15:00:00Z')), false, 'already the 25th in Tokyo');
});

test('several ranges a day, and a night shift split at midnight', () => {
  const split = schedule('UTC', { ...weekdays([range('09:00', '12:00'), range('13:00', '17:00')]) });
  assert.equal(isScheduleOpen(split, at('2026-11-20T11:59:00Z')), true);
  assert.equal(isScheduleOpen(split, at('2026-11-20T12:30:00Z')), false, 'lunch');
  assert.equal(isScheduleOpen(split, at('2026-11-20T13:00:00Z')), true);
  const night = schedule('America/New_York', { fri: [range('22:00', '24:00')], sat: [range('00:00', '02:00')] });
  assert.equal(isScheduleOpen(night, at('2026-11-21T03:30:00Z')), true, 'Fri 22:30 EST is Sat in UTC');
  assert.equal(isScheduleOpen(night, at('2026-11-21T04:59:00Z')), true, 'Fri 23:59 EST');
  assert.equal(isScheduleOpen(night, at('2026-11-21T05:00:00Z')), true, 'Sat 00:00 EST');
  assert.equal(isScheduleOpen(night, at('2026-11-21T06:59:00Z')), true, 'Sat 01:59 EST');
  assert.equal(isScheduleOpen(night, at('2026-11-21T07:00:00Z')), false, 'Sat 02:00 EST');
  assert.equal(isScheduleOpen(night, at('2026-11-20T02:30:00Z')), false, 'Thu 21:30 EST');
});

test('New York DST: the skipped hour never opens, the repeated hour opens twice', () => {
  const twoToThree = schedule('America/New_York', { sun: [range('02:00', '03:00')] });
  assert.equal(isScheduleOpen(twoToThree, at('2026-03-08T06:59:00Z')), false, '01:59 EST');
  assert.equal(isScheduleOpen(twoToThree, at('2026-03-08T07:00:00Z')), false, '03:00 EDT, right after');
  const oneToTwo = schedule('America/New_York', { sun: [range('01:00', '02:00')] });
  assert.equal(isScheduleOpen(oneToTwo, at('2026-11-01T05:30:00Z')), true, '01:30 EDT');
  assert.equal(isScheduleOpen(oneToTwo, at('2026-11-01T06:30:00Z')), true, '01:30 EST');
  assert.equal(isScheduleOpen(oneToTwo, at('2026-11-01T07:00:00Z')), false, '02:00 EST');
});

test('hour(), minute(), weekday(), date() and open() read the scope clock in the scope zone', () => {
  let now = at('2026-03-29T00:59:00Z');
  const scope = createScope({ wallMs: () => now, timeZone: 'Europe/London', schedules: { office } });
  const run = (s: string) => evaluate(parseExpression(s), scope, s);
  assert.deepEqual([run('hour()'), run('minute()'), run('weekday()'), run('date()')], [0, 59, 'sun', '2026-03-29']);
  now = at('2026-03-29T01:00:00Z');
  assert.equal(run('hour()'), 2, 'clocks went forward');
  now = at('2026-11-23T23:30:00Z');
  assert.deepEqual([run('weekday()'), run('date()'), run('open("office")')], ['mon', '2026-11-23', false]);
  now = at('2026-11-23T10:30:00Z');
  assert.equal(run('open("office") and weekday() in ["mon", "tue"]'), true);
  const utc = createScope({ wallMs: () => at('2026-11-23T23:30:00Z') });
  assert.equal(evaluate(parseExpression('hour()'), utc), 23, 'UTC by default');
});

test('zoned time gives the local offset; the now timestamp carries it', () => {
  assert.equal(zonedTime(at('2026-07-01T12:00:00Z'), 'Europe/London').offsetMinutes, 60);
  assert.equal(zonedTime(at('2026-07-01T12:00:00Z'), 'America/New_York').offsetMinutes, -240);
  assert.equal(zonedTime(at('2026-07-01T12:00:00Z'), 'Asia/Kolkata').offsetMinutes, 330);
  assert.equal(localTimestamp(at('2026-11-21T10:00:00.750Z'), 'America/New_York'), '2026-11-21T05:00:00-05:00');
  assert.equal(localTimestamp(at('2026-11-21T00:00:00Z'), 'UTC'), '2026-11-21T00:00:00+00:00');
  assert.throws(() => zonedTime(0, 'Mars/Olympus'), /Unknown time zone "Mars\/Olympus"/);
});
