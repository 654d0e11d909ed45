/**
 * What a flow expects the caller to say, independent of the engine: a closed list of options with synonyms
 * (whose phrases may hold `{slot}` placeholders for digits, a date or an amount), yes/no, a spoken digit string,
 * a date or an amount. An engine compiles this into its own grammar (SoundSwallower: JSGF, see
 * grammar-compiler.ts); a free-text engine could instead match its transcript with nlu/.
 */
import { SwitchboardError } from '../../common/index.js';

export interface GrammarOption {
  /** What the recognition returns when this option is heard, e.g. "billing". */
  value: string;
  /**
   * What callers say for it, e.g. ["billing", "bills", "invoice", "payment"]. Defaults to [value]. A phrase may
   * name one of the grammar's slots as `{name}`: "pay {amount}".
   */
  phrases?: string[];
}

/** What a `{name}` placeholder in an option phrase stands for; its value is the parser's canonical string. */
export type SlotGrammar =
  | { kind: 'digits'; minLength: number; maxLength: number }
  | { kind: 'date' }
  | { kind: 'amount'; maxAmount?: number };

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
  /** The placeholders option phrases may use, by name. */
  slots?: Record<string, SlotGrammar>;
}

export interface YesNoGrammar extends GrammarBase {
  kind: 'yes-no';
}

export interface DigitsGrammar extends GrammarBase {
  kind: 'digits';
  minLength: number;
  maxLength: number;
}

/** A date said as the whole answer; the value is parseSpokenDate's canonical form ("--03-03", "next-monday"). */
export interface DateGrammar extends GrammarBase {
  kind: 'date';
}

/** An amount said as the whole answer; the value is parseSpokenAmount's "42.50". */
export interface AmountGrammar extends GrammarBase {
  kind: 'amount';
  /** Larger amounts are not understood (and below 1000 or 100 the grammar leaves out thousands or hundreds). */
  maxAmount?: number;
}

export type RecognitionGrammar = OptionsGrammar | YesNoGrammar | DigitsGrammar | DateGrammar | AmountGrammar;

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

/** A word of an option phrase, or a `{slot}` placeholder. */
export type PhrasePart = { word: string } | { slot: string };

/** Splits an option phrase into words (as phraseWords) and `{name}` placeholders, in order. */
export function phraseParts(phrase: string): PhrasePart[] {
  const parts: PhrasePart[] = [];
  for (const piece of phrase.split(/(\{[^{}]*\})/)) {
    const placeholder = /^\{([^{}]*)\}$/.exec(piece);
    if (placeholder) parts.push({ slot: placeholder[1].trim() });
    else for (const word of phraseWords(piece)) parts.push({ word });
  }
  return parts;
}

/**
 * The slot names of an option phrase made of placeholders only ("{amount}"), joined by spaces; null when the
 * phrase has words of its own. Such a phrase is told apart from other options' by its slots alone.
 */
export function placeholderSignature(parts: readonly PhrasePart[]): string | null {
  if (parts.length === 0 || parts.some((p) => 'word' in p)) return null;
  return parts.map((p) => (p as { slot: string }).slot).join(' ');
}

function validateDigitLengths(minLength: number, maxLength: number, where: string, problems: string[]): void {
  if (!Number.isInteger(minLength) || minLength < 1) problems.push(`${where}minLength: must be an integer ≥ 1`);
  if (!Number.isInteger(maxLength) || maxLength < minLength || maxLength > MAX_DIGITS) {
    problems.push(`${where}maxLength: must be an integer between minLength and ${MAX_DIGITS}`);
  }
}

function validateMaxAmount(maxAmount: number | undefined, where: string, problems: string[]): void {
  if (maxAmount !== undefined && !(typeof maxAmount === 'number' && Number.isFinite(maxAmount) && maxAmount > 0)) {
    problems.push(`${where}maxAmount: must be a number > 0`);
  }
}

function validateSlots(slots: Record<string, SlotGrammar>, problems: string[]): void {
  for (const [name, slot] of Object.entries(slots)) {
    const where = `slots.${name}.`;
    if (name.trim() === '' || name !== name.trim()) problems.push(`slots: "${name}" is not a placeholder name`);
    if (slot?.kind === 'digits') validateDigitLengths(slot.minLength, slot.maxLength, where, problems);
    else if (slot?.kind === 'amount') validateMaxAmount(slot.maxAmount, where, problems);
    else if (slot?.kind !== 'date') problems.push(`${where}kind: must be "digits", "date" or "amount"`);
  }
}

function validateOptions(grammar: OptionsGrammar, problems: string[]): void {
  if (!Array.isArray(grammar.options) || grammar.options.length === 0) problems.push('options: at least one option is required');
  const slots = grammar.slots ?? {};
  validateSlots(slots, problems);
  const seen = new Set<string>();
  const signatures = new Map<string, number>();
  (grammar.options ?? []).forEach((option, i) => {
    if (typeof option.value !== 'string' || option.value.trim() === '') problems.push(`options[${i}].value: must be a non-empty string`);
    else if (seen.has(option.value)) problems.push(`options[${i}].value: "${option.value}" appears twice`);
    seen.add(option.value);
    const phrases = option.phrases ?? [option.value];
    if (phrases.length === 0) problems.push(`options[${i}].phrases: at least one phrase is required`);
    phrases.forEach((p, j) => {
      const parts = typeof p === 'string' ? phraseParts(p) : [];
      if (parts.length === 0) problems.push(`options[${i}].phrases[${j}]: has no words`);
      const used = new Set<string>();
      for (const part of parts) {
        if (!('slot' in part)) continue;
        if (!Object.hasOwn(slots, part.slot)) {
          problems.push(`options[${i}].phrases[${j}]: unknown placeholder {${part.slot}} (slots: ${Object.keys(slots).join(', ') || 'none'})`);
        } else if (used.has(part.slot)) {
          problems.push(`options[${i}].phrases[${j}]: placeholder {${part.slot}} appears twice; give each its own slot`);
        }
        used.add(part.slot);
      }
      const signature = placeholderSignature(parts);
      const other = signature === null ? undefined : signatures.get(signature);
      if (other !== undefined && other !== i) {
        problems.push(`options[${i}].phrases[${j}]: "${p}" is also a phrase of options[${other}]; placeholders alone cannot tell them apart`);
      } else if (signature !== null) signatures.set(signature, i);
    });
  });
}

/** Checks a grammar's shape; every problem is reported at once. */
export function validateGrammar(grammar: RecognitionGrammar): void {
  const problems: string[] = [];
  if (grammar.kind === 'options') {
    validateOptions(grammar, problems);
  } else if (grammar.kind === 'digits') {
    validateDigitLengths(grammar.minLength, grammar.maxLength, '', problems);
  } else if (grammar.kind === 'amount') {
    validateMaxAmount(grammar.maxAmount, '', problems);
  } else if (grammar.kind !== 'yes-no' && grammar.kind !== 'date') {
    problems.push(`kind: must be "options", "yes-no", "digits", "date" or "amount"`);
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

/** The options a grammar stands for (yes/no is a preset of options); none for digits, dates and amounts. */
export function grammarOptions(grammar: RecognitionGrammar): readonly GrammarOption[] {
  if (grammar.kind === 'yes-no') return YES_NO_OPTIONS;
  return grammar.kind === 'options' ? grammar.options : [];
}
