/**
 * RecognitionGrammar → JSGF for SoundSwallower, cached by content. The JSGF holds generated tokens only
 * (`a3_billing`, `c_please`, `g_AA`); each token is added to the decoder's dictionary with the word's phones, and
 * the token says what the word was for: part of option 3's answer, carrier speech around it, or garbage.
 *
 *   utterance = /1/ accept | /rejectWeight/ garbage
 *   accept    = [prefix] answer [suffix phrase]
 *   prefix    = carrier [carrier]                 (at most maxPrefixPhrases carriers)
 *   carrier   = prefix phrase | garbage           (digits: digit prefix phrase only)
 *   garbage   = phone+        phone = AA | AE | … | /garbagePhonePenalty/ sink
 *
 * Prefix phrases and garbage let "um, I'd like billing please" and "yeah, I have a question about billing" find
 * "billing"; the garbage path gives out-of-grammar speech a way out, so it is rejected instead of being forced
 * onto the nearest option. Tuned on bench:speech (phrase carriers beat a free loop of carrier words: 67 % against
 * 58 % there, since short words like "a", "to", "oh" swallow answers).
 *
 * The carriers are counted, not looped: the filler words are one or two phones long ("a", "er", "oh", "the", "my"),
 * so a free chain of them is a phone loop without the garbage penalty and "what is the weather like tomorrow" came
 * out as "the my er my um ah oh sales". Two carriers cover the bench's phrasings (hesitation + lead-in);
 * anything longer has to pay for its garbage phones. Digit strings take no garbage and no one-phone fillers before
 * the first digit: a phone as a one-phone word out-scores the digit's triphones (on "four": F AO R loses to g_F g_AO
 * c_er by ~220, more than the two phones' penalty), which is how "four one seven two" became "172".
 *
 * Dates and amounts, as whole answers and as `{slot}` placeholders in option phrases, are nested rules built by
 * spoken-rules.ts; their words are answer tokens, a slot's marked with its name (`s0_forty`), and the spoken/
 * parsers read the words back into the value ("42.50", "--03-03"). Number words fit almost any speech, so these
 * grammars reject through a cheaper phone loop (spokenRejectPhonePenalty) and take fewer carriers:
 *
 *   utterance = /1/ accept | /rejectWeight/ reject       reject = phone+   (sink weight spokenRejectPhonePenalty)
 */
import { SwitchboardError } from '../../common/index.js';
import { PronunciationDictionary } from './pronunciation-dictionary.js';
import { CompiledGrammar, type GrammarToken } from './compiled-grammar.js';
import {
  DIGIT_WORDS, grammarOptions, phraseParts, phraseWords, placeholderSignature, validateGrammar, type RecognitionGrammar,
} from './recognition-grammar.js';
import { SpokenRules } from './spoken-rules.js';

export interface GrammarTuning {
  /** What callers say before an answer ("um", "I'd like to talk to"); see maxPrefixPhrases. */
  prefixPhrases: readonly string[];
  /** How many prefix phrases (or runs of garbage phones) may come before the answer; 0 allows none. */
  maxPrefixPhrases: number;
  /** What callers say before a digit string; no garbage and no one-phone fillers, which would take the first digit. */
  digitPrefixPhrases: readonly string[];
  /** What callers say before a date ("on", "it's"). */
  datePrefixPhrases: readonly string[];
  /** What callers say before an amount ("it's", "I want to pay"). */
  amountPrefixPhrases: readonly string[];
  /** What callers say after it ("please", "thank you"). */
  suffixPhrases: readonly string[];
  /** What callers say after a date or an amount; fewer than suffixPhrases, which would help out-of-grammar speech fit. */
  spokenSuffixPhrases: readonly string[];
  /** Whether unknown words (a run of garbage phones) may also stand for a prefix phrase ("yeah, I have a question about …"). */
  carrierGarbage: boolean;
  /** JSGF weight of the whole-utterance garbage path against 1 for the in-grammar path; 0 leaves the path out. */
  rejectWeight: number;
  /**
   * Cost of each garbage phone, as the weight of a sink alternative that takes probability mass from the phone
   * loop (a phone's weight is 1): 1000 makes every garbage phone ~1000× less likely. Without it a phone loop
   * out-scores real words, since it fits any sound.
   */
  garbagePhonePenalty: number;
  /**
   * Garbage phone cost on the whole-utterance reject path of grammars with spoken numbers (date and amount
   * answers, option phrases with `{slot}`s); 0 uses the garbage rule (garbagePhonePenalty) there too. Measured
   * on 16 out-of-grammar sentences × 3 Flite voices through G.711, threshold 0.5 (0.6): 300 lets 9 (9) of 96
   * date/amount decodes through against 16 (13) with the garbage rule, with 61 (60) of 66 in-grammar answers right
   * against 61 (61); 1–30 let 7 through but lose short answers ("the ninth") to beam pruning, as the cheap phone
   * loop crowds the grammar's paths out early.
   */
  spokenRejectPhonePenalty: number;
}

export const DEFAULT_PREFIX_PHRASES: readonly string[] = [
  'um', 'uh', 'er', 'ah', 'hmm', 'oh', 'well', 'so', 'okay', 'yes', 'yeah', 'hi', 'hello', 'the', 'my', 'a',
  "i'd like", 'i would like', 'i want', 'i need', 'i wanna', "i'm calling about", 'calling about', 'about',
  'talk to', 'speak to', 'speak with', "i'd like to talk to", "i'd like to speak to", 'i want to talk to',
  'i need to talk to', 'can i talk to', 'can i speak to', 'can you connect me to', 'connect me to',
  'transfer me to', 'put me through to', 'give me', 'get me', 'i have a question about', 'it is about', "it's about",
];

export const DEFAULT_DIGIT_PREFIX_PHRASES: readonly string[] = [
  'um', 'hmm', "it's", 'it is', 'my number is', 'the number is', "that's", 'that is',
];

/**
 * Before dates and amounts: no one-phone fillers ("uh", "er", "a"), as for digits, and none that sound like a
 * number word ("well" took "twelve", "for" took "four", "by" let "what is the weather like" through as a date).
 */
export const DEFAULT_DATE_PREFIX_PHRASES: readonly string[] = [
  'um', 'hmm', 'okay', 'yes', 'yeah', "it's", 'it is', "that's", 'that is', 'on', 'how about', "i'd like it on",
  'i need it on',
];

export const DEFAULT_AMOUNT_PREFIX_PHRASES: readonly string[] = [
  'um', 'hmm', 'okay', 'yes', 'yeah', "it's", 'it is', "that's", 'that is', 'about', 'pay', 'i want to pay',
  "i'd like to pay", 'i owe',
];

export const DEFAULT_SUFFIX_PHRASES: readonly string[] = [
  'please', 'thanks', 'thank you', 'please thanks', 'please thank you', 'department', 'department please', 'now',
];

export const DEFAULT_SPOKEN_SUFFIX_PHRASES: readonly string[] = ['please', 'thanks', 'thank you', 'please thanks', 'please thank you'];

export const DEFAULT_GRAMMAR_TUNING: GrammarTuning = {
  prefixPhrases: DEFAULT_PREFIX_PHRASES,
  maxPrefixPhrases: 2,
  digitPrefixPhrases: DEFAULT_DIGIT_PREFIX_PHRASES,
  datePrefixPhrases: DEFAULT_DATE_PREFIX_PHRASES,
  amountPrefixPhrases: DEFAULT_AMOUNT_PREFIX_PHRASES,
  suffixPhrases: DEFAULT_SUFFIX_PHRASES,
  spokenSuffixPhrases: DEFAULT_SPOKEN_SUFFIX_PHRASES,
  carrierGarbage: true,
  rejectWeight: 0.1,
  garbagePhonePenalty: 100000,
  spokenRejectPhonePenalty: 300,
};

/** Spelled to be unmatchable: it exists to take probability mass from the phone loop (see garbagePhonePenalty). */
const SINK_PHONES = 'ZH OY ZH OY ZH OY ZH OY ZH OY ZH OY';


function encodeWord(word: string): string {
  return word.replace(/[^a-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** JSGF weights are plain decimals: the parser does not read exponents. */
function jsgfWeight(w: number): string {
  const plain = String(w);
  return plain.includes('e') ? w.toFixed(20).replace(/0+$/, '') : plain;
}

function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** Compiles grammars against one model's dictionary and phone set, keeping the most recent ones. */
export class GrammarCompiler {
  private readonly cache = new Map<string, CompiledGrammar>();

  constructor(
    private readonly dictionary: PronunciationDictionary,
    private readonly phones: readonly string[],
    readonly tuning: GrammarTuning = DEFAULT_GRAMMAR_TUNING,
    private readonly cacheSize = 64,
  ) {}

  /**
   * Compiles (or returns the cached compilation of) a grammar. `excludeOptions` drops options by index, which is
   * how the recognizer finds the runner-up answers for an N-best list.
   */
  compile(grammar: RecognitionGrammar, excludeOptions: readonly number[] = []): CompiledGrammar {
    const key = JSON.stringify([grammar, [...excludeOptions].sort((a, b) => a - b)]);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    validateGrammar(grammar);
    const compiled = new GrammarBuilder(this.dictionary, this.phones, this.tuning, grammar).build(key, new Set(excludeOptions));
    this.cache.set(key, compiled);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return compiled;
  }

  /**
   * A free phone loop with no penalty: the best any phones could score on the audio. A hypothesis's score
   * relative to it, per frame, measures how well the grammar explains the audio (the recognizer's confidence).
   */
  phoneLoop(): CompiledGrammar {
    const key = 'phone-loop';
    let hit = this.cache.get(key);
    if (!hit) {
      hit = new GrammarBuilder(this.dictionary, this.phones, { ...this.tuning, garbagePhonePenalty: 0 }, { kind: 'options', options: [] })
        .buildPhoneLoop(key);
      this.cache.set(key, hit);
    }
    return hit;
  }

  get cachedCount(): number {
    return this.cache.size;
  }
}

class GrammarBuilder {
  private readonly tokens = new Map<string, GrammarToken>();
  private readonly words: Array<readonly [string, string]> = [];
  private readonly missing = new Set<string>();
  private readonly custom = new Map<string, string[]>();

  constructor(
    private readonly dictionary: PronunciationDictionary,
    private readonly phones: readonly string[],
    private readonly tuning: GrammarTuning,
    private readonly grammar: RecognitionGrammar,
  ) {
    const phoneSet = new Set(phones);
    const badPhones: string[] = [];
    for (const [word, prons] of Object.entries(grammar.pronunciations ?? {})) {
      const list = (Array.isArray(prons) ? prons : [prons]).map((p) => p.trim().toUpperCase().replace(/\s+/g, ' '));
      for (const p of list) for (const ph of p.split(' ')) if (!phoneSet.has(ph)) badPhones.push(`${word}: ${ph}`);
      this.custom.set(word.toLowerCase(), list);
    }
    if (badPhones.length > 0) {
      throw new SwitchboardError('SWB_ERR_ASR_GRAMMAR', `Unknown phones in pronunciations (${badPhones.join(', ')}); the model's phones are ${phones.join(' ')}`);
    }
  }

  build(key: string, exclude: ReadonlySet<number>): CompiledGrammar {
    const g = this.grammar;
    const answerWords = new Set<string>();
    const placeholderOnly = new Map<string, number>();
    let spoken = g.kind === 'date' || g.kind === 'amount';
    let answerRule: string;
    if (g.kind === 'date' || g.kind === 'amount') {
      const rules = new SpokenRules('w_', (w) => {
        answerWords.add(w);
        return this.tokenFor('answer', w);
      });
      const root = g.kind === 'date' ? rules.date() : rules.amount(g.maxAmount);
      answerRule = [`<answer> = ${root};`, ...rules.lines].join('\n');
    } else if (g.kind === 'digits') {
      const digitTokens = Object.keys(DIGIT_WORDS).map((w) => { answerWords.add(w); return this.tokenFor('answer', w); });
      const digit = `(${digitTokens.join(' | ')})`;
      const required = Array.from({ length: g.minLength }, () => '<digit>').join(' ');
      let optional = '';
      for (let i = g.minLength; i < g.maxLength; i++) optional = `[<digit> ${optional}]`.replace(' ]', ']');
      answerRule = `<answer> = ${required}${optional ? ` ${optional}` : ''};\n<digit> = ${digit};`;
    } else {
      const alternatives: string[] = [];
      // The yes/no preset is a wish list: phrases the model's dictionary cannot say are left out, not errors.
      const required = g.kind === 'options';
      const slotRules = new Map<string, SpokenRules>();
      const slotRule = (name: string): string => this.slotRule(name, slotRules);
      grammarOptions(g).forEach((option, i) => {
        if (exclude.has(i)) return;
        for (const phrase of option.phrases ?? [option.value]) {
          const parts = phraseParts(phrase);
          const seq = parts.map((p) => ('slot' in p ? slotRule(p.slot) : this.tokenFor('answer', p.word, i, required)));
          if (seq.every((t) => t !== '')) {
            alternatives.push(seq.join(' '));
            for (const p of parts) if ('word' in p) answerWords.add(p.word);
            const signature = placeholderSignature(parts);
            if (signature !== null) placeholderOnly.set(signature, i);
          }
        }
      });
      spoken = slotRules.size > 0;
      const slotLines = [...slotRules.values()].flatMap((r) => r.lines);
      answerRule = alternatives.length > 0 ? [`<answer> = ${[...new Set(alternatives)].join(' | ')};`, ...slotLines].join('\n') : '';
    }
    if (this.missing.size > 0) {
      throw new SwitchboardError(
        'SWB_ERR_ASR_GRAMMAR',
        `No pronunciation for ${[...this.missing].map((w) => `"${w}"`).join(', ')}: add them to the grammar's pronunciations`,
      );
    }
    const garbage = this.phones.map((p) => this.garbageToken(p, p));
    if (this.tuning.garbagePhonePenalty > 0) garbage.push(`/${jsgfWeight(this.tuning.garbagePhonePenalty)}/ ${this.garbageToken('sink', SINK_PHONES)}`);
    const carrier = (phrases: readonly string[]): string[] => {
      const alternatives = new Set<string>();
      for (const phrase of phrases) {
        const words = phraseWords(phrase);
        if (words.length === 0 || words.some((w) => answerWords.has(w))) continue;
        const seq = words.map((w) => this.tokenFor('carrier', w, undefined, false));
        if (seq.every((t) => t !== '')) alternatives.add(seq.join(' '));
      }
      return [...alternatives];
    };
    const t = this.tuning;
    const prefixPhrases = g.kind === 'digits' ? t.digitPrefixPhrases
      : g.kind === 'date' ? t.datePrefixPhrases : g.kind === 'amount' ? t.amountPrefixPhrases : t.prefixPhrases;
    const prefix = t.maxPrefixPhrases > 0 ? carrier(prefixPhrases) : [];
    if (t.maxPrefixPhrases > 0 && t.carrierGarbage && g.kind !== 'digits') prefix.push('<garbage>');
    const suffix = carrier(g.kind === 'date' || g.kind === 'amount' ? t.spokenSuffixPhrases : t.suffixPhrases);
    const lines = ['#JSGF V1.0;', 'grammar switchboard;'];
    const reject = spoken && t.spokenRejectPhonePenalty > 0 ? '<reject>' : '<garbage>';
    if (answerRule) {
      lines.push(
        // Runner-up grammars (options excluded) must name an answer: the question there is what else it could be.
        this.tuning.rejectWeight > 0 && exclude.size === 0
          ? `public <utterance> = /1/ <accept> | /${jsgfWeight(this.tuning.rejectWeight)}/ ${reject};`
          : 'public <utterance> = <accept>;',
        `<accept> = ${prefix.length > 0 ? '[<prefix>] ' : ''}<answer>${suffix.length > 0 ? ' [<suffix>]' : ''};`,
        answerRule,
      );
      if (prefix.length > 0) {
        let optional = '';
        for (let i = 1; i < t.maxPrefixPhrases; i++) optional = `[<carrier> ${optional}]`.replace(' ]', ']');
        lines.push(`<prefix> = <carrier>${optional ? ` ${optional}` : ''};`, `<carrier> = ${prefix.join(' | ')};`);
      }
      if (suffix.length > 0) lines.push(`<suffix> = ${suffix.join(' | ')};`);
    } else {
      lines.push('public <utterance> = <garbage>;');
    }
    lines.push('<garbage> = <phone>+;', `<phone> = ${garbage.join(' | ')};`);
    if (reject === '<reject>') {
      const phones = [...garbage.slice(0, this.phones.length), `/${jsgfWeight(t.spokenRejectPhonePenalty)}/ ${this.garbageToken('sink', SINK_PHONES)}`];
      lines.push('<reject> = <rphone>+;', `<rphone> = ${phones.join(' | ')};`);
    }
    return new CompiledGrammar(key, g, `${lines.join('\n')}\n`, this.words, this.tokens, placeholderOnly);
  }

  /** The rule of a `{slot}` placeholder, built on first use; its tokens are `s<index>_<word>`, marked with the slot. */
  private slotRule(name: string, made: Map<string, SpokenRules>): string {
    const g = this.grammar;
    const slots = g.kind === 'options' ? g.slots ?? {} : {};
    const slot = slots[name];
    const index = Object.keys(slots).indexOf(name);
    let rules = made.get(name);
    if (!rules) {
      rules = new SpokenRules(`s${index}_`, (w) => this.tokenFor('answer', w, undefined, true, { index, name }));
      made.set(name, rules);
    }
    if (slot.kind === 'digits') return rules.digits(slot.minLength, slot.maxLength);
    return slot.kind === 'date' ? rules.date() : rules.amount(slot.maxAmount);
  }

  buildPhoneLoop(key: string): CompiledGrammar {
    const garbage = this.phones.map((p) => this.garbageToken(p, p));
    const jsgf = `#JSGF V1.0;\ngrammar switchboard;\npublic <utterance> = <phone>+;\n<phone> = ${garbage.join(' | ')};\n`;
    return new CompiledGrammar(key, this.grammar, jsgf, this.words, this.tokens);
  }

  private pronunciations(word: string): readonly string[] {
    return this.custom.get(word) ?? this.dictionary.lookup(word);
  }

  /**
   * The token for a word in a role; '' (and the word noted as missing) when it has no pronunciation. Slot words
   * get their own tokens (`s0_forty`), so interpretation knows which slot each heard word fills.
   */
  private tokenFor(
    role: 'answer' | 'carrier', word: string, option?: number, required = true, slot?: { index: number; name: string },
  ): string {
    let prons = this.pronunciations(word);
    if (prons.length === 0 && /[-.]/.test(word)) {
      // Compounds the dictionary lacks ("e-mail", "a.m.") are spoken as their parts.
      const parts = word.split(/[-.]+/).filter((p) => p !== '');
      const partProns = parts.map((p) => this.pronunciations(p)[0]);
      if (parts.length > 0 && partProns.every((p) => p !== undefined)) prons = [partProns.join(' ')];
    }
    if (prons.length === 0) {
      if (required) this.missing.add(word);
      return '';
    }
    const prefix = slot ? `s${slot.index}_` : role === 'answer' ? `a${option ?? ''}_` : 'c_';
    const customSuffix = this.custom.has(word) ? `_x${shortHash(prons.join('|'))}` : '';
    const token = `${prefix}${encodeWord(word)}${customSuffix}`;
    if (!this.tokens.has(token)) {
      this.tokens.set(token, { role, word, ...(option === undefined ? {} : { option }), ...(slot ? { slot: slot.name } : {}) });
      prons.forEach((p, i) => this.words.push([i === 0 ? token : `${token}(${i + 1})`, p]));
    }
    return token;
  }

  private garbageToken(name: string, phones: string): string {
    const token = `g_${name}`;
    if (!this.tokens.has(token)) {
      this.tokens.set(token, { role: 'garbage', word: name });
      this.words.push([token, phones]);
    }
    return token;
  }
}
