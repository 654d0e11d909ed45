import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../common/index.js';
import { loadFliteModule } from './flite-engine.js';
import { SayAsError, escapeSpeechMarkup, normalizeSpeech } from './say-as.js';
import { sayCurrency, sayDate, sayDigits, sayNumber, sayPhone, sayTime } from './say-as-formats.js';
import { integerToWords, ordinalToWords, yearToWords } from './say-as-numbers.js';
import { runWasiCommand } from './wasi-memory-host.js';

async function fliteWords(text: string): Promise<string> {
  const result = runWasiCommand(await loadFliteModule(), { args: ['flite', '-pw', '-t', text, '-o', 'none'] });
  return result.stdout.trim();
}

function sayAsError(fn: () => unknown): SayAsError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SayAsError, String(e));
    assert.ok(isSwitchboardError(e, 'SWB_ERR_SAY_AS'));
    return e;
  }
  assert.fail('no error');
}

test('whole numbers, decimals, ordinals and years in words', () => {
  assert.equal(integerToWords(0), 'zero');
  assert.equal(integerToWords(1234), 'one thousand two hundred thirty-four');
  assert.equal(integerToWords(1_000_015), 'one million fifteen');
  assert.equal(integerToWords(-40), 'minus forty');
  assert.equal(sayNumber('1,250.05'), 'one thousand two hundred fifty point zero five');
  assert.equal(sayNumber('-7'), 'minus seven');
  assert.deepEqual([1, 2, 3, 5, 8, 9, 11, 12, 20, 21, 30, 31, 100].map(ordinalToWords), [
    'first', 'second', 'third', 'fifth', 'eighth', 'ninth', 'eleventh', 'twelfth', 'twentieth', 'twenty-first',
    'thirtieth', 'thirty-first', 'one hundredth',
  ]);
  assert.deepEqual([2026, 2000, 2005, 2010, 1999, 1905, 1900, 800].map(yearToWords), [
    'twenty twenty-six', 'two thousand', 'two thousand five', 'twenty ten', 'nineteen ninety-nine', 'nineteen oh five',
    'nineteen hundred', 'eight hundred',
  ]);
  assert.throws(() => sayNumber('12abc'), /Cannot read "12abc" as number/);
});

test('currency: dollars, pounds and euros with their minor units', () => {
  assert.equal(sayCurrency('12.50', 'USD'), 'twelve dollars and fifty cents');
  assert.equal(sayCurrency('12.50', 'GBP'), 'twelve pounds and fifty pence');
  assert.equal(sayCurrency('12.50', 'EUR'), 'twelve euros and fifty cents');
  assert.equal(sayCurrency('1.01'), 'one dollar and one cent');
  assert.equal(sayCurrency('0.01', 'GBP'), 'one penny');
  assert.equal(sayCurrency('3', 'GBP'), 'three pounds');
  assert.equal(sayCurrency('0'), 'zero dollars');
  assert.equal(sayCurrency('1,000,000.5'), 'one million dollars and fifty cents');
  assert.equal(sayCurrency('9.995'), 'ten dollars', 'rounds half up into the next dollar');
  assert.equal(sayCurrency('£4.20', 'USD'), 'four pounds and twenty pence', 'a written symbol wins');
  assert.equal(sayCurrency('4.20 eur'), 'four euros and twenty cents');
  assert.equal(sayCurrency('GBP 2'), 'two pounds');
  assert.equal(sayCurrency('$5', 'CAD'), 'five Canadian dollars');
  assert.equal(sayCurrency('-$5'), 'minus five dollars');
  assert.equal(sayCurrency('1500.60', 'JPY'), 'one thousand five hundred one yen');
  assert.throws(() => sayCurrency('12', 'XYZ'), /unknown currency XYZ/);
  assert.throws(() => sayCurrency('twelve'), /Cannot read "twelve" as currency/);
});

test('dates read with weekday, ordinal day and spoken year; invalid days are refused', () => {
  assert.equal(sayDate('2026-11-21'), 'Saturday, November twenty-first, twenty twenty-six');
  assert.equal(sayDate('2024-02-29T10:00:00+00:00'), 'Thursday, February twenty-ninth, twenty twenty-four');
  assert.throws(() => sayDate('2026-02-29'), /no such day/);
  assert.throws(() => sayDate('21/11/2026'), /expected YYYY-MM-DD/);
});

test('times read as twelve-hour words; a timestamp is read as its own wall-clock time', () => {
  assert.equal(sayTime('22:42'), 'ten forty-two p.m.');
  assert.equal(sayTime('09:05'), 'nine oh five a.m.');
  assert.equal(sayTime('15:00'), 'three p.m.');
  assert.equal(sayTime('12:00'), 'noon');
  assert.equal(sayTime('0:00'), 'midnight');
  assert.equal(sayTime('12:30'), 'twelve thirty p.m.');
  assert.equal(sayTime('00:15'), 'twelve fifteen a.m.');
  assert.equal(sayTime('2:05 pm'), 'two oh five p.m.');
  assert.equal(sayTime('12:10 AM'), 'twelve ten a.m.');
  assert.equal(sayTime('2026-11-21T05:00:00-05:00'), 'five a.m.');
  assert.throws(() => sayTime('25:00'), /out of range/);
  assert.throws(() => sayTime('13:00 pm'), /hour out of range/);
});

test('digits one key at a time; phone numbers in groups', () => {
  assert.equal(sayDigits('1234#'), 'one, two, three, four, pound');
  assert.equal(sayDigits('*0A'), 'star, zero, A');
  assert.throws(() => sayDigits('12x'), /"x" is not a key/);
  assert.equal(sayPhone('+441234567890'), 'plus four four, one two three, four five six, seven eight nine zero');
  assert.equal(sayPhone('+15551234567'), 'plus one, five five five, one two three, four five six seven');
  assert.equal(sayPhone('+353 1 234 5678'), 'plus three five three, one, two three four, five six seven eight');
  assert.equal(sayPhone('+3531234567'), 'plus three five three, one two three, four five six seven');
  assert.equal(sayPhone('(555) 123-4567'), 'five five five, one two three, four five six seven');
  assert.equal(sayPhone('5551234567'), 'five five five, one two three, four five six seven');
  assert.equal(sayPhone('01234567890'), 'zero one two, three four five six, seven eight nine zero');
  assert.throws(() => sayPhone('call me'), /as phone/);
});

test('markup: breaks become pauses, say-as becomes words, text is tidied', () => {
  assert.deepEqual(normalizeSpeech('Hello.<break 500ms/>You owe <say-as currency GBP>12.50</say-as>.'), [
    { text: 'Hello.' }, { pauseMs: 500 }, { text: 'You owe twelve pounds and fifty pence.' },
  ]);
  assert.deepEqual(normalizeSpeech('<break 1m/>', { maxPauseMs: 60_000 }), [{ pauseMs: 60_000 }]);
  assert.deepEqual(normalizeSpeech('<break/>A<break 1.5s/><break time="250ms"/>  B  '), [
    { pauseMs: 500 }, { text: 'A' }, { pauseMs: 1750 }, { text: 'B' },
  ]);
  assert.deepEqual(normalizeSpeech('The time is <say-as time>22:42</say-as>.'), [{ text: 'The time is ten forty-two p.m.' }]);
  assert.deepEqual(normalizeSpeech('Pay <say-as currency>3</say-as>', { currency: 'EUR' }), [{ text: 'Pay three euros' }]);
  assert.deepEqual(normalizeSpeech('<say-as interpret-as="currency" currency="GBP">1</say-as>'), [{ text: 'one pound' }]);
  assert.deepEqual(normalizeSpeech('Code<say-as digits>12</say-as>, 1 < 2.'), [{ text: 'Code one, two, 1 < 2.' }]);
  assert.deepEqual(normalizeSpeech(''), []);
});

test('markup errors name the problem and where it is', () => {
  const cases: [string, number, RegExp][] = [
    ['Hi <break 500ms>', 3, /must close itself/],
    ['Hi <break soon/>', 3, /Bad break "soon"/],
    ['<break 2m/>', 0, /longer than 60000 ms/],
    ['A <say-as digits>12', 2, /without <\/say-as>/],
    ['A </say-as>', 2, /without <say-as>/],
    ['<say-as colour>x</say-as>', 0, /needs one of digits, number/],
    ['<say-as digits GBP>1</say-as>', 0, /Only <say-as currency> takes a currency/],
    ['<say-as digits><break/></say-as>', 15, /cannot nest/],
    ['<emphasis>hi</emphasis>', 0, /Unknown tag <emphasis>/],
    ['x <say-as', 2, /Unclosed tag/],
    ['It is <say-as number>lots</say-as>', 21, /Cannot read "lots" as number/],
  ];
  for (const [text, offset, reason] of cases) {
    const e = sayAsError(() => normalizeSpeech(text));
    assert.equal(e.offset, offset, `${text}: ${e.message}`);
    assert.match(e.reason, reason, text);
  }
});

test('lenient mode reads unreadable content as written, but markup errors still fail', () => {
  assert.deepEqual(normalizeSpeech('You said <say-as number>lots</say-as>.', { lenient: true }), [{ text: 'You said lots.' }]);
  assert.throws(() => normalizeSpeech('<say-as number>1', { lenient: true }), SayAsError);
});

test('escaped values cannot open tags', () => {
  assert.deepEqual(normalizeSpeech(`Caller ${escapeSpeechMarkup('<break 9s/>bob')}`), [{ text: 'Caller break 9s/ bob' }]);
});

test('Flite reads the normalized words as intended', async () => {
  const [text] = normalizeSpeech(
    'At <say-as time>10:05</say-as> on <say-as date>2026-11-21</say-as> pay <say-as currency>12.50</say-as>.',
  );
  assert.ok('text' in text);
  assert.equal(
    await fliteWords(text.text),
    'at ten oh five _a m on saturday november twenty first twenty twenty six pay twelve dollars and fifty cents',
  );
  assert.equal(await fliteWords(sayPhone('+441234567890')), 'plus four four one two three four five six seven eight nine zero');
});
