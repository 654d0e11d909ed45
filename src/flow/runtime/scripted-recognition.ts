import {
  grammarOptions, phraseParts, phraseWords, slotValue, type PhrasePart, type RecognitionGrammar, type RecognitionResult,
  type SlotGrammar,
} from '../../speech/index.js';

/**
 * Speech for simulations and tests, without audio: what a recognizer would return for words said against a
 * grammar. A scripted caller says `say:<words>` (confidence 1) or `say:<words>@0.4`, `silence` (no input) or
 * `noise` (heard, but nothing in the grammar).
 */

export type ScriptedSpeech = { kind: 'say'; text: string; confidence: number } | { kind: 'silence' } | { kind: 'noise' };

const SAY = /^say:(.*?)(?:@(0(?:\.\d+)?|1(?:\.0+)?))?$/;

/** A speech token, or undefined when `token` is not one. `say:` needs words. */
export function parseSpeechToken(token: string): ScriptedSpeech | undefined {
  if (token === 'silence') return { kind: 'silence' };
  if (token === 'noise') return { kind: 'noise' };
  const m = SAY.exec(token);
  if (!m || m[1].trim() === '') return undefined;
  return { kind: 'say', text: m[1].trim(), confidence: m[2] === undefined ? 1 : Number(m[2]) };
}

/** What words said against a grammar mean: the answer value and, for an option phrase with `{slot}`s, their values. */
export interface ScriptedMeaning {
  value: string;
  slots?: Record<string, string>;
}

function result(
  status: RecognitionResult['status'], text: string, confidence: number, heard: ScriptedMeaning | null,
): RecognitionResult {
  const match = status === 'match' && heard !== null;
  const slots = heard?.slots ? { slots: heard.slots } : {};
  return {
    status, value: match ? heard.value : null, ...(match ? slots : {}), text, confidence,
    nBest: status === 'no-input' ? [] : [{ value: heard?.value ?? null, text, confidence, ...slots }],
    speechStartMs: status === 'no-input' ? null : 0, speechEndMs: status === 'no-input' ? null : 0, decidedAtMs: 0, truncated: false,
  };
}

/**
 * One said word as written ("$42.50", "3rd", "411"), for the spoken parsers, and as the grammar's words
 * ("four one one"), for a phrase's own words.
 */
interface SaidWord {
  written: string;
  words: string[];
}

function saidWords(text: string): SaidWord[] {
  return text.split(/\s+/).map((written) => ({ written, words: phraseWords(written) })).filter((w) => w.words.length > 0);
}

/**
 * A slot's canonical value, read as the recognizer reads it (slotValue): digits from the grammar's words ("411" is
 * "four one one"), dates and amounts from the words as written, which the spoken parsers read too ("$42.50", "3rd").
 */
function slotValueOf(slot: SlotGrammar, said: readonly SaidWord[]): string | null {
  return slotValue(slot, slot.kind === 'digits' ? said.flatMap((w) => w.words) : said.map((w) => w.written));
}

/**
 * Fits `said[from…]` to `parts[at…]`: a phrase word must be said as that word, a placeholder takes the longest
 * run of words its slot reads that lets the rest of the phrase fit. The slot values, or null when nothing fits.
 */
function fitParts(
  parts: readonly PhrasePart[], at: number, said: readonly SaidWord[], from: number, slots: Readonly<Record<string, SlotGrammar>>,
): Record<string, string> | null {
  if (at === parts.length) return from === said.length ? {} : null;
  const part = parts[at];
  if ('word' in part) {
    if (from === said.length) return null;
    // A written word may stand for several of the phrase's: "411" is "four one one".
    const { words } = said[from];
    const fits = words.every((w, i) => {
      const p = parts[at + i];
      return p !== undefined && 'word' in p && p.word === w;
    });
    return fits ? fitParts(parts, at + words.length, said, from + 1, slots) : null;
  }
  const slot = Object.hasOwn(slots, part.slot) ? slots[part.slot] : undefined;
  if (!slot) return null;
  for (let end = said.length; end > from; end--) {
    const value = slotValueOf(slot, said.slice(from, end));
    if (value === null) continue;
    const rest = fitParts(parts, at + 1, said, end, slots);
    if (rest !== null) return { [part.slot]: value, ...rest };
  }
  return null;
}

/** A grammar whose whole answer is read as a slot is (digits, a date, an amount); undefined for lists of options. */
function wholeAnswer(grammar: RecognitionGrammar): SlotGrammar | undefined {
  switch (grammar.kind) {
    case 'digits': return { kind: 'digits', minLength: grammar.minLength, maxLength: grammar.maxLength };
    case 'date': return { kind: 'date' };
    case 'amount': return grammar.maxAmount === undefined ? { kind: 'amount' } : { kind: 'amount', maxAmount: grammar.maxAmount };
    default: return undefined;
  }
}

/** What `text` means in `grammar` when said as a whole (case and punctuation aside), else null. */
export function scriptedMeaning(grammar: RecognitionGrammar, text: string): ScriptedMeaning | null {
  const said = saidWords(text);
  const words = said.flatMap((w) => w.words);
  const whole = wholeAnswer(grammar);
  if (whole) {
    const value = slotValueOf(whole, said);
    return value === null ? null : { value };
  }
  const slots = grammar.kind === 'options' ? grammar.slots ?? {} : {};
  for (const option of grammarOptions(grammar)) {
    for (const phrase of option.phrases ?? [option.value]) {
      const parts = phraseParts(phrase);
      if (parts.every((p) => 'word' in p)) {
        if (parts.length === words.length && parts.every((p, i) => (p as { word: string }).word === words[i])) return { value: option.value };
        continue;
      }
      const values = fitParts(parts, 0, said, 0, slots);
      if (values !== null) return { value: option.value, slots: values };
    }
  }
  return null;
}

/** The value `text` has in `grammar` when said as a whole (case and punctuation aside), else null. */
export function grammarValue(grammar: RecognitionGrammar, text: string): string | null {
  return scriptedMeaning(grammar, text)?.value ?? null;
}

/** The recognition result of scripted speech; below `threshold` a fitting answer is a no-match, as with an engine. */
export function scriptedRecognition(grammar: RecognitionGrammar, speech: ScriptedSpeech, threshold = 0): RecognitionResult {
  if (speech.kind === 'silence') return result('no-input', '', 0, null);
  if (speech.kind === 'noise') return result('no-match', '', 0, null);
  const meaning = scriptedMeaning(grammar, speech.text);
  if (meaning === null || speech.confidence < threshold) return result('no-match', speech.text, speech.confidence, meaning);
  return result('match', speech.text, speech.confidence, meaning);
}
