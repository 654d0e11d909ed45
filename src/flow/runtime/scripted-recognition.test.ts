import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grammarValue, parseSpeechToken, scriptedRecognition } from './scripted-recognition.js';

const MENU = { kind: 'options' as const, options: [{ value: '1', phrases: ['billing', "I'd like billing"] }, { value: '2' }] };

test('a phrase matches as a whole, case and punctuation aside; an option without phrases is said by its value', () => {
  assert.equal(grammarValue(MENU, 'Billing!'), '1');
  assert.equal(grammarValue(MENU, 'i’d like, billing'), '1');
  assert.equal(grammarValue(MENU, '2'), '2', 'digits are spelt out on both sides');
  assert.equal(grammarValue(MENU, 'billing please'), null, 'no carrier words');
  assert.equal(grammarValue({ kind: 'yes-no' }, "That's right"), 'yes');
  assert.equal(grammarValue({ kind: 'yes-no' }, 'nope'), 'no');
});

test('digits: spoken or written, "oh" is zero, the length must fit', () => {
  const digits = { kind: 'digits' as const, minLength: 4, maxLength: 6 };
  assert.equal(grammarValue(digits, 'four oh one two'), '4012');
  assert.equal(grammarValue(digits, '40 12 9'), '40129');
  assert.equal(grammarValue(digits, 'one two three'), null);
  assert.equal(grammarValue(digits, 'one two three four five six seven'), null);
  assert.equal(grammarValue(digits, 'one two three four please'), null);
});

test('tokens: say:<words>[@confidence], silence, noise; anything else is not speech', () => {
  assert.deepEqual(parseSpeechToken('say:put me through to sales@0.45'), { kind: 'say', text: 'put me through to sales', confidence: 0.45 });
  assert.deepEqual(parseSpeechToken('say:billing'), { kind: 'say', text: 'billing', confidence: 1 });
  assert.deepEqual(parseSpeechToken('silence'), { kind: 'silence' });
  assert.deepEqual(parseSpeechToken('noise'), { kind: 'noise' });
  for (const t of ['say:', 'say: ', 'billing', '1', 'timeout']) assert.equal(parseSpeechToken(t), undefined, t);
  assert.deepEqual(parseSpeechToken('say:me@2'), { kind: 'say', text: 'me@2', confidence: 1 }, 'a confidence above 1 is not one');
});

test('results: match with the value; below the threshold or outside the grammar a no-match; silence a no-input', () => {
  const hit = scriptedRecognition(MENU, { kind: 'say', text: 'billing', confidence: 0.7 });
  assert.deepEqual([hit.status, hit.value, hit.text, hit.confidence], ['match', '1', 'billing', 0.7]);
  const low = scriptedRecognition(MENU, { kind: 'say', text: 'billing', confidence: 0.3 }, 0.5);
  assert.deepEqual([low.status, low.value, low.nBest[0].value], ['no-match', null, '1']);
  assert.equal(scriptedRecognition(MENU, { kind: 'say', text: 'pizza', confidence: 1 }).status, 'no-match');
  const quiet = scriptedRecognition(MENU, { kind: 'silence' });
  assert.deepEqual([quiet.status, quiet.nBest, quiet.speechStartMs], ['no-input', [], null]);
  assert.deepEqual(scriptedRecognition(MENU, { kind: 'noise' }).status, 'no-match');
});
