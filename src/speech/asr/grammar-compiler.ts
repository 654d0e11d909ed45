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
 */
import { SwitchboardError } from '../../common/index.js';
import { PronunciationDictionary } from './pronunciation-dictionary.js';
import {
  DIGIT_WORDS, grammarOptions, phraseWords, validateGrammar, type RecognitionGrammar,
} from './recognition-grammar.js';

export interface GrammarTuning {
  /** What callers say before an answer ("um", "I'd like to talk to"); see maxPrefixPhrases. */
  prefixPhrases: readonly string[];
  /** How many prefix phrases (or runs of garbage phones) may come before the answer; 0 allows none. */
  maxPrefixPhrases: number;
  /** What callers say before a digit string; no garbage and no one-phone fillers, which would take the first digit. */
  digitPrefixPhrases: readonly string[];
  /** What callers say after it ("please", "thank you"). */
  suffixPhrases: readonly string[];
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

export const DEFAULT_SUFFIX_PHRASES: readonly string[] = [
  'please', 'thanks', 'thank you', 'please thanks', 'please thank you', 'department', 'department please', 'now',
];

export const DEFAULT_GRAMMAR_TUNING: GrammarTuning = {
  prefixPhrases: DEFAULT_PREFIX_PHRASES,
  maxPrefixPhrases: 2,
  digitPrefixPhrases: DEFAULT_DIGIT_PREFIX_PHRASES,
  suffixPhrases: DEFAULT_SUFFIX_PHRASES,
  carrierGarbage: true,
  rejectWeight: 0.1,
  garbagePhonePenalty: 100000,
};

/** Spelled to be unmatchable: it exists to take probability mass from the phone loop (see garbagePhonePenalty). */
const SINK_PHONES = 'ZH OY ZH OY ZH OY ZH OY ZH OY ZH OY';

export type TokenRole = 'answer' | 'carrier' | 'garbage';

export interface GrammarToken {
  role: TokenRole;
  /** The spoken word (a phone name for garbage). */
  word: string;
  /** The option index for answer tokens of options and yes/no grammars. */
  option?: number;
}

export interface Interpretation {
  /** Answer and carrier words as heard, garbage left out. */
  text: string;
  /** The answer words only. */
  answer: string;
  /** Option value, digit string, "yes"/"no"; null when the utterance took the garbage path. */
  value: string | null;
  /** Option index for options and yes/no grammars. */
  option?: number;
}

/** A compiled grammar: JSGF text, the dictionary entries its tokens need, and the way back from tokens to meaning. */
export class CompiledGrammar {
  constructor(
    readonly key: string,
    readonly grammar: RecognitionGrammar,
    readonly jsgf: string,
    /** [dictionary word, phones] pairs; alternates are written `token(2)`. */
    readonly words: ReadonlyArray<readonly [string, string]>,
    private readonly tokens: ReadonlyMap<string, GrammarToken>,
  ) {}

  token(word: string): GrammarToken | undefined {
    return this.tokens.get(word.replace(/\(\d+\)$/, ''));
  }

  /** Turns the decoder's hypothesis words into text and a value. */
  interpret(hypWords: readonly string[]): Interpretation {
    const text: string[] = [];
    const answer: string[] = [];
    let option: number | undefined;
    for (const w of hypWords) {
      const t = this.token(w);
      if (!t || t.role === 'garbage') continue;
      text.push(t.word);
      if (t.role === 'answer') {
        answer.push(t.word);
        if (option === undefined && t.option !== undefined) option = t.option;
      }
    }
    let value: string | null = null;
    const g = this.grammar;
    if (g.kind === 'digits') {
      const digits = answer.map((w) => DIGIT_WORDS[w]).join('');
      if (digits.length >= g.minLength && digits.length <= g.maxLength) value = digits;
    } else if (option !== undefined) {
      value = grammarOptions(g)[option].value;
    }
    return { text: text.join(' '), answer: answer.join(' '), value, ...(option === undefined ? {} : { option }) };
  }
}

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
    let answerRule: string;
    if (g.kind === 'digits') {
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
      grammarOptions(g).forEach((option, i) => {
        if (exclude.has(i)) return;
        for (const phrase of option.phrases ?? [option.value]) {
          const words = phraseWords(phrase);
          const seq = words.map((w) => this.tokenFor('answer', w, i, required)).filter((t) => t !== '');
          if (seq.length === words.length) {
            alternatives.push(seq.join(' '));
            for (const w of words) answerWords.add(w);
          }
        }
      });
      answerRule = alternatives.length > 0 ? `<answer> = ${[...new Set(alternatives)].join(' | ')};` : '';
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
    const prefix = t.maxPrefixPhrases > 0 ? carrier(g.kind === 'digits' ? t.digitPrefixPhrases : t.prefixPhrases) : [];
    if (t.maxPrefixPhrases > 0 && t.carrierGarbage && g.kind !== 'digits') prefix.push('<garbage>');
    const suffix = carrier(this.tuning.suffixPhrases);
    const lines = ['#JSGF V1.0;', 'grammar switchboard;'];
    if (answerRule) {
      lines.push(
        // Runner-up grammars (options excluded) must name an answer: the question there is what else it could be.
        this.tuning.rejectWeight > 0 && exclude.size === 0
          ? `public <utterance> = /1/ <accept> | /${jsgfWeight(this.tuning.rejectWeight)}/ <garbage>;`
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
    return new CompiledGrammar(key, g, `${lines.join('\n')}\n`, this.words, this.tokens);
  }

  buildPhoneLoop(key: string): CompiledGrammar {
    const garbage = this.phones.map((p) => this.garbageToken(p, p));
    const jsgf = `#JSGF V1.0;\ngrammar switchboard;\npublic <utterance> = <phone>+;\n<phone> = ${garbage.join(' | ')};\n`;
    return new CompiledGrammar(key, this.grammar, jsgf, this.words, this.tokens);
  }

  private pronunciations(word: string): readonly string[] {
    return this.custom.get(word) ?? this.dictionary.lookup(word);
  }

  /** The token for a word in a role; '' (and the word noted as missing) when it has no pronunciation. */
  private tokenFor(role: 'answer' | 'carrier', word: string, option?: number, required = true): string {
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
    const prefix = role === 'answer' ? `a${option ?? ''}_` : 'c_';
    const customSuffix = this.custom.has(word) ? `_x${shortHash(prons.join('|'))}` : '';
    const token = `${prefix}${encodeWord(word)}${customSuffix}`;
    if (!this.tokens.has(token)) {
      this.tokens.set(token, option === undefined ? { role, word } : { role, word, option });
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
