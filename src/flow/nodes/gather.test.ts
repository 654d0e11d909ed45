import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidEntry } from './gather.js';
import { passesLuhn } from './luhn.js';

test('Luhn: known card numbers pass, one changed digit fails', () => {
  for (const n of ['4111111111111111', '5500005555555559', '378282246310005', '79927398713']) assert.equal(passesLuhn(n), true, n);
  for (const n of ['4111111111111112', '79927398710', '1', '', '12a4']) assert.equal(passesLuhn(n), false, n);
});

test('an entry must have minDigits, match the whole pattern and pass Luhn when asked', () => {
  assert.equal(isValidEntry({ minDigits: 4 }, '123'), false);
  assert.equal(isValidEntry({ minDigits: 4 }, '1234'), true);
  assert.equal(isValidEntry({ minDigits: 1, validate: { pattern: '[0-9]{4}', luhn: false } }, '12345'), false, 'anchored');
  assert.equal(isValidEntry({ minDigits: 1, validate: { pattern: '1|22', luhn: false } }, '122'), false, 'alternation anchored too');
  assert.equal(isValidEntry({ minDigits: 1, validate: { pattern: '1|22', luhn: false } }, '22'), true);
  assert.equal(isValidEntry({ minDigits: 1, validate: { luhn: true } }, '79927398713'), true);
  assert.equal(isValidEntry({ minDigits: 1, validate: { luhn: true } }, '79927398714'), false);
});
