import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '../../common/index.js';
import {
  MAJOR_CURRENCY_WORDS, MINOR_CURRENCY_WORDS, MONTH_WORDS, ORDINAL_TEEN_WORDS, ORDINAL_TENS_WORDS, ORDINAL_UNIT_WORDS, TEEN_WORDS,
  TENS_WORDS, UNIT_WORDS, WEEKDAY_WORDS,
} from '../spoken/index.js';
import {
  DEFAULT_GRAMMAR_TUNING, GrammarCompiler, PronunciationDictionary, phraseWords, type GrammarTuning, type RecognitionGrammar,
} from './index.js';

const DICT_TEXT = `;; test dictionary
billing B IH L IH NG
bills B IH L Z
invoice IH N V OY S
sales S EY L Z
please P L IY Z
um AH M
yes Y EH S
yeah Y AE
no N OW
nope N OW P
zero Z IH R OW
zero(2) Z IY R OW
oh OW
one W AH N
two T UW
three TH R IY
four F AO R
five F AY V
six S IH K S
seven S EH V AH N
eight EY T
nine N AY N
e M IY
mail M EY L
`;
const DICT = PronunciationDictionary.parse(DICT_TEXT);
const PHONES = DICT.phones();
const tuning = { ...DEFAULT_GRAMMAR_TUNING, prefixPhrases: ['um'], suffixPhrases: ['please'] };

function compile(g: RecognitionGrammar, exclude: number[] = []) {
  return new GrammarCompiler(DICT, PHONES, tuning).compile(g, exclude);
}

describe('GrammarCompiler', () => {
  it('gives each option its synonyms as alternatives and maps answer tokens back to the value', () => {
    const c = compile({ kind: 'options', options: [{ value: 'billing', phrases: ['billing', 'bills', 'invoice'] }, { value: 'sales' }] });
    assert.match(c.jsgf, /<answer> = a0_billing \| a0_bills \| a0_invoice \| a1_sales;/);
    assert.match(c.jsgf, /<accept> = \[<prefix>\] <answer> \[<suffix>\];/);
    assert.deepEqual(c.interpret(['c_um', 'a0_bills', 'c_please']), { text: 'um bills please', answer: 'bills', value: 'billing', option: 0 });
    assert.deepEqual(c.interpret(['g_AH', 'g_M']), { text: '', answer: '', value: null });
    assert.ok(c.words.some(([w, p]) => w === 'a0_invoice' && p === 'IH N V OY S'));
  });

  it('keeps a garbage path for out-of-grammar speech and the phone penalty sink', () => {
    const c = compile({ kind: 'options', options: [{ value: 'sales' }] });
    assert.match(c.jsgf, /public <utterance> = \/1\/ <accept> \| \/0\.1\/ <garbage>;/);
    assert.match(c.jsgf, /<garbage> = <phone>\+;/);
    assert.match(c.jsgf, /\/100000\/ g_sink/);
    assert.equal(c.token('g_sink')?.role, 'garbage');
  });

  it('allows at most two carriers before an answer, a run of garbage phones counting as one', () => {
    const c = compile({ kind: 'options', options: [{ value: 'sales' }] });
    assert.match(c.jsgf, /<prefix> = <carrier> \[<carrier>\];/);
    assert.match(c.jsgf, /<carrier> = c_um \| <garbage>;/);
    assert.doesNotMatch(c.jsgf, /\)\+/, 'no free loop of carrier words');
    const g: RecognitionGrammar = { kind: 'options', options: [{ value: 'sales' }] };
    const three = new GrammarCompiler(DICT, PHONES, { ...tuning, maxPrefixPhrases: 3 }).compile(g);
    assert.match(three.jsgf, /<prefix> = <carrier> \[<carrier> \[<carrier>\]\];/);
    const none = new GrammarCompiler(DICT, PHONES, { ...tuning, maxPrefixPhrases: 0 }).compile(g);
    assert.match(none.jsgf, /<accept> = <answer> \[<suffix>\];/);
    assert.doesNotMatch(none.jsgf, /<prefix>|<carrier>/);
  });

  it('puts neither garbage nor digit words before the first digit', () => {
    const compiler = new GrammarCompiler(DICT, PHONES, { ...tuning, digitPrefixPhrases: ['um', 'oh', 'yes'] });
    const c = compiler.compile({ kind: 'digits', minLength: 3, maxLength: 4 });
    assert.match(c.jsgf, /<carrier> = c_um \| c_yes;/, '"oh" is a digit here, and no <garbage> carrier');
    assert.match(c.jsgf, /<accept> = \[<prefix>\] <answer> \[<suffix>\];/);
    assert.equal(c.interpret(['c_um', 'a_four', 'a_one', 'a_seven']).value, '417');
  });

  it('builds digit strings of the given length range with alternate pronunciations', () => {
    const c = compile({ kind: 'digits', minLength: 2, maxLength: 4 });
    assert.match(c.jsgf, /<answer> = <digit> <digit> \[<digit> \[<digit>\]\];/);
    assert.ok(c.words.some(([w]) => w === 'a_zero(2)'), 'zero has two pronunciations');
    assert.equal(c.interpret(['a_four', 'a_oh', 'a_one']).value, '401');
    assert.equal(c.interpret(['a_one(2)', 'a_two']).value, '12', 'alternates map to their word');
    assert.equal(c.interpret(['a_one']).value, null, 'too short');
  });

  it('compiles yes/no from its preset, skipping phrases the dictionary lacks', () => {
    const c = compile({ kind: 'yes-no' });
    assert.equal(c.interpret(['a0_yeah']).value, 'yes');
    assert.equal(c.interpret(['a1_nope']).value, 'no');
    assert.doesNotMatch(c.jsgf, /correct/, 'no pronunciation for "correct" in this dictionary: phrase left out');
  });

  it('never lets phrase text reach the JSGF: metacharacters split words and tokens are generated', () => {
    assert.deepEqual(phraseWords('  Bills; <x> | "please" (now)* 42 '), ['bills', 'x', 'please', 'now', 'four', 'two']);
    const c = compile({ kind: 'options', options: [{ value: 'a|b;<c>', phrases: ['"bills"; | <sales>'] }] });
    assert.match(c.jsgf, /<answer> = a0_bills a0_sales;/);
    assert.doesNotMatch(c.jsgf, /"|<sales>|a\|b/);
    assert.equal(c.interpret(['a0_bills', 'a0_sales']).value, 'a|b;<c>');
  });

  it('reports every word without a pronunciation, takes custom ones, and splits unknown compounds', () => {
    assert.throws(
      () => compile({ kind: 'options', options: [{ value: 'x', phrases: ['acme widgets'] }] }),
      (e: unknown) => isSwitchboardError(e, 'SWB_ERR_ASR_GRAMMAR') && /"acme", "widgets"/.test((e as Error).message),
    );
    const c = compile({ kind: 'options', options: [{ value: 'acme', phrases: ['acme', 'e-mail'] }], pronunciations: { acme: 'ae k m iy' } });
    assert.ok(c.words.some(([w, p]) => w.startsWith('a0_acme_x') && p === 'AE K M IY'));
    assert.ok(c.words.some(([w, p]) => w === 'a0_e_2dmail' && p === 'M IY M EY L'));
    assert.throws(
      () => compile({ kind: 'options', options: [{ value: 'x' }], pronunciations: { x: 'EH KS' } }),
      (e: unknown) => isSwitchboardError(e, 'SWB_ERR_ASR_GRAMMAR') && /x: KS/.test((e as Error).message),
    );
  });

  it('rejects malformed grammars, listing every problem', () => {
    assert.throws(
      () => compile({ kind: 'options', options: [{ value: 'a' }, { value: 'a' }, { value: '', phrases: [] }] }),
      (e: unknown) => isSwitchboardError(e, 'SWB_ERR_ASR_GRAMMAR') && /appears twice/.test((e as Error).message)
        && /non-empty string/.test((e as Error).message) && /at least one phrase/.test((e as Error).message),
    );
    assert.throws(() => compile({ kind: 'digits', minLength: 3, maxLength: 2 }), /maxLength/);
  });

  it('caches compilations by content and leaves out excluded options', () => {
    const compiler = new GrammarCompiler(DICT, PHONES, tuning);
    const g: RecognitionGrammar = { kind: 'options', options: [{ value: 'billing' }, { value: 'sales' }] };
    assert.equal(compiler.compile(g), compiler.compile({ kind: 'options', options: [{ value: 'billing' }, { value: 'sales' }] }));
    const reduced = compiler.compile(g, [0]);
    assert.doesNotMatch(reduced.jsgf, /a0_billing/);
    assert.match(reduced.jsgf, /a1_sales/);
    assert.equal(compiler.cachedCount, 2);
    assert.match(compiler.phoneLoop().jsgf, /public <utterance> = <phone>\+;/);
    assert.doesNotMatch(compiler.phoneLoop().jsgf, /g_sink/);
  });
});

/** Every word the date and amount rules use, with a made-up pronunciation: enough to compile and interpret. */
const SPOKEN_DICT = PronunciationDictionary.parse([
  DICT_TEXT,
  ...[
    ...UNIT_WORDS, ...TEEN_WORDS, ...TENS_WORDS, ...ORDINAL_UNIT_WORDS, ...ORDINAL_TEEN_WORDS, ...ORDINAL_TENS_WORDS, ...MONTH_WORDS,
    ...WEEKDAY_WORDS, ...MAJOR_CURRENCY_WORDS, ...MINOR_CURRENCY_WORDS, 'ten', 'a', 'and', 'hundred', 'thousand', 'point', 'the', 'of',
    'today', 'tomorrow', 'yesterday', 'day', 'after', 'this', 'next', 'last', 'on', 'pay', 'it', 'is', "it's", 'deliver',
  ].map((w) => `${w} AH`),
].join('\n'));

function compileSpoken(g: RecognitionGrammar, overrides: Partial<GrammarTuning> = {}) {
  return new GrammarCompiler(SPOKEN_DICT, SPOKEN_DICT.phones(), { ...tuning, datePrefixPhrases: ['um', 'on', 'the'], amountPrefixPhrases: ['um', "it's"], ...overrides }).compile(g);
}

const PAY: RecognitionGrammar = {
  kind: 'options',
  options: [
    { value: 'pay', phrases: ['pay {amount}', 'pay it on {date}'] },
    { value: 'deliver', phrases: ['deliver it on {date}', '{date}'] },
    { value: 'account', phrases: ['{account}'] },
    { value: 'sales' },
  ],
  slots: { amount: { kind: 'amount', maxAmount: 500 }, date: { kind: 'date' }, account: { kind: 'digits', minLength: 3, maxLength: 4 } },
};

describe('GrammarCompiler: dates and amounts', () => {
  it('compiles a date answer as nested rules and reads the words back into the canonical date', () => {
    const c = compileSpoken({ kind: 'date' });
    assert.match(c.jsgf, /<answer> = <w_date>;/);
    assert.match(c.jsgf, /<w_date> = \[a_the\] <w_ordinal> \[\[a_of\] <w_month> \[<w_year>\]\] \| <w_month> \(\[a_the\] <w_ordinal> \| <w_day>\) \[<w_year>\]/);
    assert.match(c.jsgf, /<carrier> = c_um \| c_on \| <garbage>;/, '"the" is a date word, so no carrier');
    assert.ok(c.jsgf.length < 3000, `compact: ${c.jsgf.length} characters`);
    assert.deepEqual(c.interpret(['c_on', 'a_march', 'a_the', 'a_third', 'c_please']),
      { text: 'on march the third please', answer: 'march the third', value: '--03-03' });
    assert.equal(c.interpret(['a_the', 'a_fifteenth', 'a_of', 'a_june', 'a_twenty', 'a_twenty', 'a_seven']).value, '2027-06-15');
    assert.equal(c.interpret(['a_next', 'a_monday']).value, 'next-monday');
    assert.equal(c.interpret(['a_february', 'a_thirtieth']).value, null, 'no such day');
    assert.equal(c.interpret(['g_AH', 'g_M']).value, null);
  });

  it('compiles an amount answer, leaving out the thousands and hundreds a maxAmount cannot reach', () => {
    const c = compileSpoken({ kind: 'amount' });
    assert.match(c.jsgf, /<answer> = <w_amount>;/);
    assert.match(c.jsgf, /<w_u99> = <w_unit> \| a_ten \| <w_teen> \| <w_tens> \[<w_unit>\];/);
    assert.match(c.jsgf, /a_thousand/);
    assert.ok(c.jsgf.length < 3000, `compact: ${c.jsgf.length} characters`);
    assert.equal(c.interpret(['c_it_27s', 'a_forty', 'a_two', 'a_dollars', 'a_fifty']).value, '42.50');
    assert.equal(c.interpret(['a_seventy', 'a_five', 'a_cents']).value, '0.75');
    assert.equal(c.interpret(['a_forty', 'a_two', 'a_fifty']).value, '42.50');
    const small = compileSpoken({ kind: 'amount', maxAmount: 100 });
    assert.doesNotMatch(small.jsgf, /a_thousand/);
    assert.match(small.jsgf, /a_hundred/);
    assert.equal(small.interpret(['a_a', 'a_hundred', 'a_dollars']).value, '100.00');
    assert.equal(small.interpret(['a_a', 'a_hundred', 'a_and', 'a_twenty']).value, null, 'above maxAmount');
    assert.doesNotMatch(compileSpoken({ kind: 'amount', maxAmount: 50 }).jsgf, /a_hundred/);
  });

  it('gives spoken-number grammars their own reject path, and leaves the others as they were', () => {
    const date = compileSpoken({ kind: 'date' });
    assert.match(date.jsgf, /public <utterance> = \/1\/ <accept> \| \/0\.1\/ <reject>;/);
    assert.match(date.jsgf, /<reject> = <rphone>\+;\n<rphone> = g_AE \| g_AH \| .* \| \/300\/ g_sink;/);
    assert.match(date.jsgf, /<suffix> = c_please;/);
    const plain = compileSpoken({ kind: 'options', options: [{ value: 'sales' }] });
    assert.match(plain.jsgf, /\| \/0\.1\/ <garbage>;/);
    assert.doesNotMatch(plain.jsgf, /<reject>/);
    assert.match(compileSpoken({ kind: 'date' }, { spokenRejectPhonePenalty: 0 }).jsgf, /\| \/0\.1\/ <garbage>;/);
  });

  it('compiles {slot} placeholders as one rule per slot with marked tokens, and reads each slot', () => {
    const c = compileSpoken(PAY);
    assert.match(c.jsgf, /<answer> = a0_pay <s0_amount> \| a0_pay a0_it a0_on <s1_date> \| a1_deliver a1_it a1_on <s1_date> \| <s1_date> \| <s2_digits3_4> \| a3_sales;/);
    assert.equal(c.jsgf.match(/^<s1_date> =/gm)?.length, 1, 'a slot used twice is defined once');
    assert.deepEqual(c.token('s0_forty'), { role: 'answer', word: 'forty', slot: 'amount' });
    assert.deepEqual(c.interpret(['c_um', 'a0_pay', 's0_forty', 's0_two', 's0_dollars', 's0_fifty']),
      { text: 'um pay forty two dollars fifty', answer: 'pay forty two dollars fifty', value: 'pay', option: 0, slots: { amount: '42.50' } });
    assert.deepEqual(c.interpret(['a0_pay', 'a0_it', 'a0_on', 's1_march', 's1_third']).slots, { date: '--03-03' });
    assert.deepEqual(c.interpret(['s1_next', 's1_friday']), {
      text: 'next friday', answer: 'next friday', value: 'deliver', option: 1, slots: { date: 'next-friday' },
    }, 'a phrase of placeholders alone is known by its slots');
    assert.deepEqual(c.interpret(['s2_four', 's2_one', 's2_seven']).slots, { account: '417' });
    assert.deepEqual(c.interpret(['a3_sales']), { text: 'sales', answer: 'sales', value: 'sales', option: 3 });
  });

  it('does not understand an option whose slot words make no value', () => {
    const c = compileSpoken(PAY);
    assert.deepEqual(c.interpret(['a0_pay', 's0_six', 's0_hundred', 's0_dollars']), {
      text: 'pay six hundred dollars', answer: 'pay six hundred dollars', value: null,
    }, 'above the slot\'s maxAmount');
    assert.equal(c.interpret(['a1_deliver', 'a1_it', 'a1_on', 's1_february', 's1_thirtieth']).value, null);
    assert.equal(c.interpret(['s2_four', 's2_one']).value, null, 'too few digits');
  });

  it('leaves excluded options out, slots included', () => {
    const compiler = new GrammarCompiler(SPOKEN_DICT, SPOKEN_DICT.phones(), tuning);
    const reduced = compiler.compile(PAY, [0, 1]);
    assert.doesNotMatch(reduced.jsgf, /s0_|s1_|a0_|a1_/);
    assert.match(reduced.jsgf, /<answer> = <s2_digits3_4> \| a3_sales;/);
    assert.match(reduced.jsgf, /public <utterance> = <accept>;/);
    assert.equal(reduced.interpret(['s1_next', 's1_friday']).value, null);
  });

  it('rejects unknown placeholders and bad slots, naming each', () => {
    assert.throws(
      () => compileSpoken({
        kind: 'options',
        options: [{ value: 'pay', phrases: ['pay {amount}', 'from {when} to {when}'] }, { value: 'other', phrases: ['{when}'] }, { value: 'x', phrases: ['{when}'] }],
        slots: { when: { kind: 'date' }, bad: { kind: 'time' } as never, tip: { kind: 'amount', maxAmount: 0 } },
      }),
      (e: unknown) => isSwitchboardError(e, 'SWB_ERR_ASR_GRAMMAR')
        && /options\[0\]\.phrases\[0\]: unknown placeholder \{amount\}/.test((e as Error).message)
        && /placeholder \{when\} appears twice/.test((e as Error).message)
        && /options\[2\]\.phrases\[0\]: "\{when\}" is also a phrase of options\[1\]/.test((e as Error).message)
        && /slots\.bad\.kind/.test((e as Error).message)
        && /slots\.tip\.maxAmount: must be a number > 0/.test((e as Error).message),
    );
    assert.throws(() => compileSpoken({ kind: 'amount', maxAmount: -5 }), /maxAmount: must be a number > 0/);
    assert.throws(() => compileSpoken({ kind: 'options', options: [{ value: 'x', phrases: ['{}'] }] }), /unknown placeholder \{\}/);
  });

  it('names date and amount words the model cannot say', () => {
    assert.throws(() => compile({ kind: 'date' }), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_ASR_GRAMMAR') && /"january"/.test((e as Error).message));
  });
});
