import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '../../common/index.js';
import { IMPOSSIBLE_DATE, parseSpokenDate, readSpokenDate, resolveSpokenDate } from './index.js';

const date = (text: string): string | null => parseSpokenDate(text.split(' '));

describe('parseSpokenDate', () => {
  it('reads day-first and month-first dates, with and without a year', () => {
    for (const [text, value] of [
      ['march third', '--03-03'], ['march the third', '--03-03'], ['march three', '--03-03'], ['on march twenty first', '--03-21'],
      ['the third of march', '--03-03'], ['on the third of march', '--03-03'], ['third march', '--03-03'],
      ['the fifteenth of june', '--06-15'], ['june fifteenth', '--06-15'], ['december thirty first', '--12-31'],
      ['the third of march twenty twenty seven', '2027-03-03'], ['march third twenty twenty seven', '2027-03-03'],
      ['march three two thousand and seven', '2007-03-03'], ['july fourth nineteen seventy six', '1976-07-04'],
      ['march twenty twenty twenty', '2020-03-20'], ['march twenty one nineteen ninety', '1990-03-21'],
      ['february twenty ninth', '--02-29'], ['february twenty ninth twenty twenty four', '2024-02-29'],
    ] as const) {
      assert.equal(date(text), value, text);
    }
  });

  it('reads a day alone, relative days and weekdays', () => {
    for (const [text, value] of [
      ['the fifteenth', '---15'], ['on the first', '---01'], ['thirty first', '---31'], ['third', '---03'],
      ['today', 'today'], ['tomorrow', 'tomorrow'], ['yesterday', 'yesterday'], ['the day after tomorrow', 'day-after-tomorrow'],
      ['day after tomorrow', 'day-after-tomorrow'], ['monday', 'monday'], ['on friday', 'friday'], ['this friday', 'friday'],
      ['next monday', 'next-monday'], ['last sunday', 'last-sunday'], ['on next tuesday', 'next-tuesday'],
    ] as const) {
      assert.equal(date(text), value, text);
    }
  });

  it('reads typed dates', () => {
    assert.equal(parseSpokenDate(['March', '3rd,', '2027']), '2027-03-03');
    assert.equal(parseSpokenDate(['the', '15th', 'of', 'June']), '--06-15');
    assert.equal(parseSpokenDate(['Mar', '3']), '--03-03');
    assert.equal(parseSpokenDate(['2027-03-03']), '2027-03-03');
    assert.equal(parseSpokenDate(['day-after-tomorrow']), 'day-after-tomorrow');
  });

  it('refuses dates no calendar has', () => {
    for (const text of [
      'february thirtieth', 'april thirty first', 'february twenty ninth twenty twenty five', 'june thirty second',
      'the thirty second', 'march zero',
    ]) {
      assert.equal(date(text), null, text);
    }
    assert.equal(parseSpokenDate(['2027-02-30']), null);
  });

  it('refuses words that are not a date', () => {
    for (const text of [
      'march', 'the', 'on', 'three', 'the three of march', 'march third of', 'march third twenty seven',
      'next', 'next week', 'monday tuesday', 'some monday', 'march third please', 'the day before yesterday',
      'forty two dollars', 'march april third',
    ]) {
      assert.equal(date(text), null, text);
    }
    assert.equal(parseSpokenDate([]), null);
  });
});

describe('resolveSpokenDate', () => {
  // 2027-03-10 is a Wednesday.
  const today = '2027-03-10';

  it('resolves month and day to the next occurrence from today on, or the latest one for the past', () => {
    assert.equal(resolveSpokenDate('--03-10', today), '2027-03-10', 'today included');
    assert.equal(resolveSpokenDate('--03-20', today), '2027-03-20');
    assert.equal(resolveSpokenDate('--03-03', today), '2028-03-03');
    assert.equal(resolveSpokenDate('--03-03', today, 'past'), '2027-03-03');
    assert.equal(resolveSpokenDate('--03-20', today, 'past'), '2026-03-20');
    assert.equal(resolveSpokenDate('--03-10', today, 'past'), '2027-03-10');
    assert.equal(resolveSpokenDate('2026-12-25', today), '2026-12-25', 'a said year is kept whatever prefer says');
  });

  it('gives February 29 only in leap years', () => {
    assert.equal(resolveSpokenDate('--02-29', today), '2028-02-29', 'past this year\'s, so resolved into 2028, a leap year');
    assert.equal(resolveSpokenDate('--02-29', '2027-01-10'), null, 'resolves into 2027, a common year');
    assert.equal(resolveSpokenDate('--02-29', '2028-01-10'), '2028-02-29');
    assert.equal(resolveSpokenDate('--02-29', today, 'past'), null, '2027 is a common year');
    assert.equal(resolveSpokenDate('2027-02-29', today), null);
  });

  it('resolves a day alone to the next month that has it', () => {
    assert.equal(resolveSpokenDate('---15', today), '2027-03-15');
    assert.equal(resolveSpokenDate('---10', today), '2027-03-10');
    assert.equal(resolveSpokenDate('---05', today), '2027-04-05');
    assert.equal(resolveSpokenDate('---31', '2027-04-05'), '2027-05-31', 'April has no 31st');
    assert.equal(resolveSpokenDate('---30', '2027-01-31'), '2027-03-30', 'nor February a 30th');
    assert.equal(resolveSpokenDate('---05', '2027-12-20'), '2028-01-05');
    assert.equal(resolveSpokenDate('---15', today, 'past'), '2027-02-15');
    assert.equal(resolveSpokenDate('---31', '2027-03-10', 'past'), '2027-01-31', 'February has no 31st');
  });

  it('resolves relative days and weekdays, next/last meaning the following/preceding Monday-to-Sunday week', () => {
    assert.equal(resolveSpokenDate('today', today), '2027-03-10');
    assert.equal(resolveSpokenDate('tomorrow', '2027-12-31'), '2028-01-01');
    assert.equal(resolveSpokenDate('yesterday', '2028-03-01'), '2028-02-29');
    assert.equal(resolveSpokenDate('day-after-tomorrow', today), '2027-03-12');
    assert.equal(resolveSpokenDate('friday', today), '2027-03-12');
    assert.equal(resolveSpokenDate('wednesday', today), '2027-03-17', 'the same weekday is a week away');
    assert.equal(resolveSpokenDate('monday', today, 'past'), '2027-03-08');
    assert.equal(resolveSpokenDate('wednesday', today, 'past'), '2027-03-03');
    assert.equal(resolveSpokenDate('next-friday', today), '2027-03-19');
    assert.equal(resolveSpokenDate('next-monday', today), '2027-03-15');
    assert.equal(resolveSpokenDate('next-monday', '2027-03-14'), '2027-03-15', 'said on a Sunday: tomorrow starts the next week');
    assert.equal(resolveSpokenDate('last-friday', today), '2027-03-05');
    assert.equal(resolveSpokenDate('last-monday', today, 'future'), '2027-03-01');
  });

  it('returns null for values that are not canonical and throws on a bad reference day', () => {
    for (const value of ['', 'march third', '--13-01', '---32', '---00', 'next-day', '2027-3-3']) assert.equal(resolveSpokenDate(value, today), null, value);
    for (const bad of ['2027-02-30', '10/03/2027', 'today']) {
      assert.throws(() => resolveSpokenDate('today', bad), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_NLU_INPUT'));
    }
  });
});

describe('readSpokenDate', () => {
  it('tells a date no calendar has from words that are no date', () => {
    assert.equal(readSpokenDate(['february', 'thirtieth']), IMPOSSIBLE_DATE);
    assert.equal(readSpokenDate(['the', 'thirtieth', 'of', 'february']), IMPOSSIBLE_DATE);
    assert.equal(readSpokenDate(['the', 'thirty', 'second']), IMPOSSIBLE_DATE);
    assert.equal(readSpokenDate(['2027-02-30']), IMPOSSIBLE_DATE);
    assert.equal(readSpokenDate(['march', 'third']), '--03-03');
    assert.equal(readSpokenDate(['february', 'please']), null);
    assert.equal(readSpokenDate(['hello']), null);
  });
});
