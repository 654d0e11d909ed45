import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences } from './split-sentences.js';

test('splits at sentence punctuation and keeps it', () => {
  assert.deepEqual(splitSentences('Welcome to Switchboard. How can I help? Press 1 for sales!'),
    ['Welcome to Switchboard.', 'How can I help?', 'Press 1 for sales!']);
});

test('text without final punctuation is one sentence', () => {
  assert.deepEqual(splitSentences('  Please hold  '), ['Please hold']);
  assert.deepEqual(splitSentences(''), []);
  assert.deepEqual(splitSentences(' ... '), []);
});

test('does not split inside numbers, titles or lowercase continuations', () => {
  assert.deepEqual(splitSentences('Dr. Smith is 3.5 miles away on Main St. Louis. Call at 9 a.m. tomorrow.'),
    ['Dr. Smith is 3.5 miles away on Main St. Louis.', 'Call at 9 a.m. tomorrow.']);
  assert.deepEqual(splitSentences('Ask for No. 5 please. Or say no. Then wait.'),
    ['Ask for No. 5 please.', 'Or say no.', 'Then wait.']);
});

test('digits before a period end a sentence', () => {
  assert.deepEqual(splitSentences('For sales, press 1. For support, press 2.'), ['For sales, press 1.', 'For support, press 2.']);
});

test('ellipses, repeated marks and closing quotes stay with their sentence', () => {
  assert.deepEqual(splitSentences('Wait... Really?! He said "stop." Then left.'),
    ['Wait...', 'Really?!', 'He said "stop."', 'Then left.']);
});

test('blank lines separate sentences, single line breaks do not', () => {
  assert.deepEqual(splitSentences('Main menu\n\nFor sales press 1\nor stay on the line'),
    ['Main menu', 'For sales press 1 or stay on the line']);
});

test('long sentences are cut at clause boundaries, then at spaces, within maxChars', () => {
  const clauses = 'first part of it, second part of it; third part of it';
  assert.deepEqual(splitSentences(clauses, { maxChars: 20 }), ['first part of it,', 'second part of it;', 'third part of it']);
  const words = splitSentences('one two three four five six seven eight', { maxChars: 10 });
  assert.deepEqual(words, ['one two', 'three four', 'five six', 'seven', 'eight']);
  assert.deepEqual(splitSentences('abcdefghij', { maxChars: 4 }), ['abcd', 'efgh', 'ij']);
});
