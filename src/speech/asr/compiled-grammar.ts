/**
 * A grammar compiled for the decoder (grammar-compiler.ts) and the way back from the decoder's words to meaning:
 * each generated token says what its word was for (part of an answer, of a `{slot}`, carrier speech or garbage).
 */
import { grammarOptions, type RecognitionGrammar } from './recognition-grammar.js';
import { slotValue } from './spoken-rules.js';

export type TokenRole = 'answer' | 'carrier' | 'garbage';

export interface GrammarToken {
  role: TokenRole;
  /** The spoken word (a phone name for garbage). */
  word: string;
  /** The option index for answer tokens of options and yes/no grammars (not on slot words). */
  option?: number;
  /** The slot an answer word fills, for words of a `{slot}` placeholder. */
  slot?: string;
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
  /** Canonical values of the option's `{slot}` placeholders, when its phrase has any. */
  slots?: Record<string, string>;
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
    /** Option index by the slot names of phrases made of placeholders only ("{amount}" → the option saying it). */
    private readonly placeholderOnly: ReadonlyMap<string, number> = new Map(),
  ) {}

  token(word: string): GrammarToken | undefined {
    return this.tokens.get(word.replace(/\(\d+\)$/, ''));
  }

  /**
   * Turns the decoder's hypothesis words into text and a value. An option whose slot words make no value
   * ("pay forty forty") is not understood: value null, no option.
   */
  interpret(hypWords: readonly string[]): Interpretation {
    const text: string[] = [];
    const answer: string[] = [];
    const slotWords = new Map<string, string[]>();
    let option: number | undefined;
    for (const w of hypWords) {
      const t = this.token(w);
      if (!t || t.role === 'garbage') continue;
      text.push(t.word);
      if (t.role !== 'answer') continue;
      answer.push(t.word);
      if (t.slot !== undefined) {
        const words = slotWords.get(t.slot);
        if (words) words.push(t.word);
        else slotWords.set(t.slot, [t.word]);
      } else if (option === undefined && t.option !== undefined) {
        option = t.option;
      }
    }
    const heard = { text: text.join(' '), answer: answer.join(' ') };
    const g = this.grammar;
    if (g.kind === 'digits' || g.kind === 'date' || g.kind === 'amount') return { ...heard, value: slotValue(g, answer) };
    if (option === undefined && slotWords.size > 0) option = this.placeholderOnly.get([...slotWords.keys()].join(' '));
    if (option === undefined) return { ...heard, value: null };
    if (slotWords.size === 0) return { ...heard, value: grammarOptions(g)[option].value, option };
    const slots: Record<string, string> = {};
    for (const [name, words] of slotWords) {
      const slot = g.kind === 'options' ? g.slots?.[name] : undefined;
      const value = slot ? slotValue(slot, words) : null;
      if (value === null) return { ...heard, value: null };
      slots[name] = value;
    }
    return { ...heard, value: grammarOptions(g)[option].value, option, slots };
  }
}
