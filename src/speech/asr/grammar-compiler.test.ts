import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '../../common/index.js';
import { DEFAULT_GRAMMAR_TUNING, GrammarCompiler, PronunciationDictionary, phraseWords, type RecognitionGrammar } from './index.js';

const DICT = PronunciationDictionary.parse(`;; test dictionary
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
`);
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
