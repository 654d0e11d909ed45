import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OptionsGrammar } from '../../speech/index.js';
import { grammarValue, parseSpeechToken, scriptedMeaning, scriptedRecognition } from './scripted-recognition.js';

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

const SLOTTED: OptionsGrammar = {
  kind: 'options',
  options: [
    { value: 'pay', phrases: ['pay {total}', 'pay {total} from {account} on {day}'] },
    { value: 'rebook', phrases: ['{day}', 'deliver it on {day}'] },
    { value: 'balance', phrases: ['my balance'] },
  ],
  slots: { total: { kind: 'amount', maxAmount: 500 }, account: { kind: 'digits', minLength: 4, maxLength: 4 }, day: { kind: 'date' } },
};

test('option phrases with {slot}s: the words between the phrase\'s own are read by the spoken parsers', () => {
  assert.deepEqual(scriptedMeaning(SLOTTED, 'deliver it on next Friday'), { value: 'rebook', slots: { day: 'next-friday' } });
  assert.deepEqual(scriptedMeaning(SLOTTED, 'the third of March'), { value: 'rebook', slots: { day: '--03-03' } });
  assert.deepEqual(scriptedMeaning(SLOTTED, 'pay forty two dollars fifty'), { value: 'pay', slots: { total: '42.50' } });
  assert.deepEqual(scriptedMeaning(SLOTTED, 'pay $42.50'), { value: 'pay', slots: { total: '42.50' } }, 'written forms too');
  assert.deepEqual(
    scriptedMeaning(SLOTTED, 'pay twelve dollars from 4 1 1 2 on March 3rd'),
    { value: 'pay', slots: { total: '12.00', account: '4112', day: '--03-03' } },
  );
  assert.deepEqual(scriptedMeaning(SLOTTED, 'pay ten dollars from four one one two on 2027-01-05'), {
    value: 'pay', slots: { total: '10.00', account: '4112', day: '2027-01-05' },
  });
  assert.deepEqual(scriptedMeaning(SLOTTED, 'My balance.'), { value: 'balance' }, 'a phrase without slots has none');
});

test('slot words that make no value are no match, as with the recognizer', () => {
  assert.equal(scriptedMeaning(SLOTTED, 'february thirtieth'), null, 'no calendar has it');
  assert.equal(scriptedMeaning(SLOTTED, 'pay six hundred dollars'), null, 'above maxAmount');
  assert.equal(scriptedMeaning(SLOTTED, 'pay ten dollars from one two three on monday'), null, 'digits of the wrong length');
  assert.equal(scriptedMeaning(SLOTTED, 'deliver it on'), null, 'a placeholder takes words');
  assert.equal(scriptedMeaning(SLOTTED, 'deliver it next friday'), null, 'the phrase\'s own words must all be said');
  assert.equal(scriptedMeaning({ kind: 'options', options: [{ value: 'x', phrases: ['on {day}'] }] }, 'on monday'), null, 'an undeclared slot');
});

test('date and amount grammars take the whole answer; results carry the slots', () => {
  assert.equal(grammarValue({ kind: 'date' }, 'tomorrow'), 'tomorrow');
  assert.equal(grammarValue({ kind: 'date' }, 'March the 3rd'), '--03-03');
  assert.equal(grammarValue({ kind: 'date' }, 'pizza'), null);
  assert.equal(grammarValue({ kind: 'amount' }, '$1,200.5'), '1200.50');
  assert.equal(grammarValue({ kind: 'amount', maxAmount: 100 }, 'a hundred and twenty dollars'), null);
  const hit = scriptedRecognition(SLOTTED, { kind: 'say', text: 'pay $42.50', confidence: 0.9 });
  assert.deepEqual([hit.status, hit.value, hit.slots, hit.nBest[0].slots], ['match', 'pay', { total: '42.50' }, { total: '42.50' }]);
  const low = scriptedRecognition(SLOTTED, { kind: 'say', text: 'pay $42.50', confidence: 0.3 }, 0.5);
  assert.deepEqual([low.status, low.value, low.slots, low.nBest[0].slots], ['no-match', null, undefined, { total: '42.50' }]);
  assert.equal(scriptedRecognition(MENU, { kind: 'say', text: 'billing', confidence: 1 }).slots, undefined);
});
