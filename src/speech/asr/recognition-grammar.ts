/**
 * What a flow expects the caller to say, independent of the engine: a closed list of options with synonyms,
 * yes/no, or a spoken digit string. An engine compiles this into its own grammar (SoundSwallower: JSGF, see
 * grammar-compiler.ts); a free-text engine could instead match its transcript with nlu/.
 */
import { SwitchboardError } from '../../common/index.js';

export interface GrammarOption {
  /** What the recognition returns when this option is heard, e.g. "billing". */
  value: string;
  /** What callers say for it, e.g. ["billing", "bills", "invoice", "payment"]. Defaults to [value]. */
  phrases?: string[];
}

interface GrammarBase {
  /**
   * Pronunciations for words the model's dictionary lacks (brand names, place names), in the model's phone set
   * (ArpaBet for en-us): `{ acme: 'AE K M IY' }`. A word with several pronunciations takes an array.
   */
  pronunciations?: Record<string, string | string[]>;
}

export interface OptionsGrammar extends GrammarBase {
  kind: 'options';
  options: GrammarOption[];
}

export interface YesNoGrammar extends GrammarBase {
  kind: 'yes-no';
}

export interface DigitsGrammar extends GrammarBase {
  kind: 'digits';
  minLength: number;
  maxLength: number;
}

export type RecognitionGrammar = OptionsGrammar | YesNoGrammar | DigitsGrammar;

/** The phrases behind yes/no; the interpretation is "yes" or "no". */
export const YES_NO_OPTIONS: readonly GrammarOption[] = [
  { value: 'yes', phrases: ['yes', 'yeah', 'yep', 'yup', 'sure', 'correct', 'right', 'that is right', "that's right", 'okay', 'yes please'] },
  { value: 'no', phrases: ['no', 'nope', 'nah', 'no thanks', 'not really', 'incorrect', 'wrong', 'that is wrong'] },
];

/** Spoken digit words and their digit; "oh" is the usual spoken zero in phone numbers. */
export const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};

export const MAX_DIGITS = 20;

const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/**
 * Splits a phrase into dictionary-style words: lower case, typographic apostrophes folded, digits spelt out one by
 * one, anything but letters, digits, apostrophes, hyphens and dots treated as a separator. Grammar text is built
 * from generated tokens only (see grammar-compiler.ts), so nothing a flow author writes reaches the JSGF parser.
 */
export function phraseWords(phrase: string): string[] {
  const words: string[] = [];
  const cleaned = phrase.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[^a-z0-9'.-]+/g, ' ');
  for (const raw of cleaned.split(' ')) {
    const word = raw.replace(/^['.-]+|['.-]+$/g, '');
    if (word === '') continue;
    if (/^\d+$/.test(word)) {
      for (const d of word) words.push(DIGIT_NAMES[Number(d)]);
    } else {
      words.push(word);
    }
  }
  return words;
}

/** Checks a grammar's shape; every problem is reported at once. */
export function validateGrammar(grammar: RecognitionGrammar): void {
  const problems: string[] = [];
  if (grammar.kind === 'options') {
    if (!Array.isArray(grammar.options) || grammar.options.length === 0) problems.push('options: at least one option is required');
    const seen = new Set<string>();
    (grammar.options ?? []).forEach((option, i) => {
      if (typeof option.value !== 'string' || option.value.trim() === '') problems.push(`options[${i}].value: must be a non-empty string`);
      else if (seen.has(option.value)) problems.push(`options[${i}].value: "${option.value}" appears twice`);
      seen.add(option.value);
      const phrases = option.phrases ?? [option.value];
      if (phrases.length === 0) problems.push(`options[${i}].phrases: at least one phrase is required`);
      phrases.forEach((p, j) => {
        if (typeof p !== 'string' || phraseWords(p).length === 0) problems.push(`options[${i}].phrases[${j}]: has no words`);
      });
    });
  } else if (grammar.kind === 'digits') {
    const { minLength, maxLength } = grammar;
    if (!Number.isInteger(minLength) || minLength < 1) problems.push('minLength: must be an integer ≥ 1');
    if (!Number.isInteger(maxLength) || maxLength < minLength || maxLength > MAX_DIGITS) {
      problems.push(`maxLength: must be an integer between minLength and ${MAX_DIGITS}`);
    }
  } else if (grammar.kind !== 'yes-no') {
    problems.push(`kind: must be "options", "yes-no" or "digits"`);
  }
  for (const [word, prons] of Object.entries(grammar.pronunciations ?? {})) {
    for (const pron of Array.isArray(prons) ? prons : [prons]) {
      if (typeof pron !== 'string' || !/^[A-Za-z]+( [A-Za-z]+)*$/.test(pron.trim())) {
        problems.push(`pronunciations.${word}: "${String(pron)}" is not a space-separated phone list`);
      }
    }
  }
  if (problems.length > 0) {
    throw new SwitchboardError('SWB_ERR_ASR_GRAMMAR', `Invalid recognition grammar:\n  ${problems.join('\n  ')}`);
  }
}

/** The options a grammar stands for (yes/no is a preset of options). */
export function grammarOptions(grammar: OptionsGrammar | YesNoGrammar): readonly GrammarOption[] {
  return grammar.kind === 'yes-no' ? YES_NO_OPTIONS : grammar.options;
}
