import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isValidTimezone,
  parseDate,
  parseDtmfKey,
  parseDuration,
  parseTimeRanges,
  parseWeekdays,
  type Parsed,
} from './flow-values.js';

function value<T>(r: Parsed<T>): T {
  if (!r.ok) assert.fail(r.message);
  return r.value;
}

function refused<T>(r: Parsed<T>): string {
  if (r.ok) assert.fail(`expected a refusal, got ${JSON.stringify(r.value)}`);
  return r.message;
}

describe('parseDuration', () => {
  it('reads ms, s, m and plain milliseconds', () => {
    assert.equal(value(parseDuration('500ms')), 500);
    assert.equal(value(parseDuration('8s')), 8000);
    assert.equal(value(parseDuration('1.5s')), 1500);
    assert.equal(value(parseDuration('2m')), 120_000);
    assert.equal(value(parseDuration(' 3 s ')), 3000);
    assert.equal(value(parseDuration(750)), 750);
    assert.equal(value(parseDuration(0)), 0);
  });

  it('refuses other units, negatives, fractions of a millisecond and absurd lengths', () => {
    assert.match(refused(parseDuration('8 seconds')), /not a duration/);
    assert.match(refused(parseDuration('8h')), /not a duration/);
    assert.match(refused(parseDuration(-5)), /not a duration/);
    assert.match(refused(parseDuration('0.5ms')), /whole number/);
    assert.match(refused(parseDuration('61m')), /longer than one hour/);
    assert.match(refused(parseDuration(true)), /a duration must be/);
  });
});

describe('parseDtmfKey', () => {
  it('takes the sixteen RFC 4733 keys, and single-digit numbers YAML made of unquoted keys', () => {
    for (const k of ['0', '9', '*', '#', 'A', 'D']) assert.equal(value(parseDtmfKey(k)), k);
    assert.equal(value(parseDtmfKey(7)), '7');
  });

  it('refuses anything else', () => {
    for (const k of ['10', 'E', 'a', '', '**', 12, null]) assert.match(refused(parseDtmfKey(k)), /not a single DTMF key/);
  });
});

describe('parseTimeRanges', () => {
  it('reads one or several ranges, sorted, in minutes', () => {
    assert.deepEqual(value(parseTimeRanges('09:00-17:30')), [{ startMinute: 540, endMinute: 1050 }]);
    assert.deepEqual(value(parseTimeRanges('13:00-17:00, 09:00-12:00')), [
      { startMinute: 540, endMinute: 720 },
      { startMinute: 780, endMinute: 1020 },
    ]);
    assert.deepEqual(value(parseTimeRanges('00:00-24:00')), [{ startMinute: 0, endMinute: 1440 }]);
  });

  it('refuses bad clocks, reversed or midnight-crossing ranges and overlaps', () => {
    assert.match(refused(parseTimeRanges('9-17')), /not a time range/);
    assert.match(refused(parseTimeRanges('09:00-24:30')), /not a time range/);
    assert.match(refused(parseTimeRanges('22:00-02:00')), /cannot cross midnight/);
    assert.match(refused(parseTimeRanges('09:00-12:00,11:00-13:00')), /overlap/);
    assert.match(refused(parseTimeRanges(900)), /must be a string/);
  });
});

describe('parseWeekdays', () => {
  it('reads days, ranges (wrapping past Sunday) and lists', () => {
    assert.deepEqual(value(parseWeekdays('mon-fri')), ['mon', 'tue', 'wed', 'thu', 'fri']);
    assert.deepEqual(value(parseWeekdays('fri-mon')), ['mon', 'fri', 'sat', 'sun']);
    assert.deepEqual(value(parseWeekdays('Sat')), ['sat']);
    assert.deepEqual(value(parseWeekdays('mon,wed, fri')), ['mon', 'wed', 'fri']);
  });

  it('refuses unknown days', () => {
    assert.match(refused(parseWeekdays('funday')), /not a day/);
    assert.match(refused(parseWeekdays('mon-fri-sat')), /not a day/);
  });
});

describe('parseDate and isValidTimezone', () => {
  it('accepts real dates only', () => {
    assert.equal(value(parseDate('2028-02-29')), '2028-02-29');
    assert.match(refused(parseDate('2026-02-29')), /not a real date/);
    assert.match(refused(parseDate('25/12/2026')), /not a date/);
  });

  it('accepts IANA names the runtime knows', () => {
    assert.equal(isValidTimezone('Europe/London'), true);
    assert.equal(isValidTimezone('UTC'), true);
    assert.equal(isValidTimezone('Europe/Londres'), false);
    assert.equal(isValidTimezone(''), false);
  });
});
