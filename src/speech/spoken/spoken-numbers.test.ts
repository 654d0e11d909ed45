import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { integerToWords, ordinalToWords, yearToWords } from '../say-as-numbers.js';
import { parseSpokenNumber, parseSpokenOrdinal, parseSpokenYear, spokenWords } from './index.js';

const words = (text: string): string[] => text.split(' ');

describe('parseSpokenNumber', () => {
  it('reads cardinals as callers say them', () => {
    for (const [text, n] of [
      ['zero', 0], ['seven', 7], ['ten', 10], ['fifteen', 15], ['forty', 40], ['forty two', 42],
      ['a hundred', 100], ['a hundred and twenty', 120], ['one hundred twenty', 120], ['three hundred and five', 305],
      ['one thousand two hundred five', 1205], ['a thousand', 1000], ['two thousand and seven', 2007],
      ['twelve hundred', 1200], ['twelve hundred and fifty', 1250], ['twenty five hundred', 2500],
      ['nine hundred ninety nine thousand nine hundred ninety nine', 999999], ['ten thousand', 10000],
      ['one hundred twenty thousand five', 120005],
    ] as const) {
      assert.equal(parseSpokenNumber(words(text)), n, text);
    }
  });

  it('reads what say-as writes, for every size of number (round trip with integerToWords)', () => {
    for (let n = 0; n <= 999_999; n += n < 1000 ? 1 : 997) {
      assert.equal(parseSpokenNumber(words(integerToWords(n))), n, integerToWords(n));
    }
  });

  it('reads written numbers, hyphens and stray punctuation', () => {
    assert.equal(parseSpokenNumber(['1,200']), 1200);
    assert.equal(parseSpokenNumber(['42']), 42);
    assert.equal(parseSpokenNumber(['Forty-Two,']), 42);
  });

  it('refuses what is not one cardinal', () => {
    for (const text of [
      'fifty forty', 'one two', 'twenty twenty seven', 'hundred', 'and', 'a', 'forty and two', 'one hundred and',
      'ten hundred', 'twenty hundred', 'a million', 'one thousand thousand', 'seven apples', 'twelve hundred thousand',
    ]) {
      assert.equal(parseSpokenNumber(words(text)), null, text);
    }
    assert.equal(parseSpokenNumber([]), null);
    assert.equal(parseSpokenNumber(['1000000']), null, 'above 999999');
    assert.equal(parseSpokenNumber(['1,2']), null);
  });
});

describe('parseSpokenOrdinal', () => {
  it('reads first to thirty-first in words, both spellings, and written', () => {
    for (let n = 1; n <= 31; n++) {
      assert.equal(parseSpokenOrdinal([ordinalToWords(n)]), n, ordinalToWords(n));
      assert.equal(parseSpokenOrdinal(ordinalToWords(n).split('-')), n);
    }
    assert.equal(parseSpokenOrdinal(['thirty', 'first']), 31);
    assert.deepEqual(['1st', '2nd', '3rd', '11th', '12th', '13th', '21st', '22nd', '23rd', '31st'].map((w) => parseSpokenOrdinal([w])),
      [1, 2, 3, 11, 12, 13, 21, 22, 23, 31]);
  });

  it('refuses cardinals, wrong suffixes and ordinals in the wrong place', () => {
    for (const w of [['three'], ['3'], ['3th'], ['11st'], ['first', 'twenty'], ['twenty', 'tenth'], ['the', 'third'], ['0th']]) {
      assert.equal(parseSpokenOrdinal(w), null, w.join(' '));
    }
  });
});

describe('parseSpokenYear', () => {
  it('reads years in pairs, as cardinals and written', () => {
    for (const [text, year] of [
      ['twenty twenty seven', 2027], ['twenty twenty', 2020], ['nineteen ninety nine', 1999], ['nineteen oh five', 1905],
      ['nineteen hundred', 1900], ['two thousand twenty seven', 2027], ['two thousand and seven', 2007], ['two thousand', 2000],
      ['twenty ten', 2010], ['2027', 2027],
    ] as const) {
      assert.equal(parseSpokenYear(words(text)), year, text);
    }
    for (const year of [1905, 1999, 2000, 2005, 2010, 2026, 2100]) assert.equal(parseSpokenYear(spokenWords([yearToWords(year)])), year);
  });

  it('refuses what is not a year', () => {
    for (const text of ['twenty seven', 'seven', 'twenty oh', 'twenty twenty twenty', 'nineteen five', 'fifty fifty', '999', 'ten thousand']) {
      assert.equal(parseSpokenYear(words(text)), null, text);
    }
  });
});
