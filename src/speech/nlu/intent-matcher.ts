/**
 * Matches a final hypothesis against an NluDefinition: slots are found first (enum synonyms, spoken or written
 * digit strings, yes/no words, dates, amounts) and stand in for their `{slot}` in the examples; the intent is the
 * example with the best weighted word overlap (F1, words weighted by how few intents use them). Confidence is that
 * overlap times the recognizer's confidence; low ones are marked for confirmation.
 */
import { IMPOSSIBLE_DATE, parseSpokenAmount, readSpokenDate, resolveSpokenDate } from '../spoken/index.js';
import {
  validateNluDefinition, type IntentDefinition, type NluDefinition, type SlotDefinition,
} from './intent-definition.js';

export interface SlotMatch {
  value: string;
  /** The words it was read from. */
  text: string;
  confidence: number;
}

export interface MatchOptions {
  /**
   * The caller's local date (YYYY-MM-DD) that date slots resolve against ("tomorrow", "March third"). Default:
   * the current UTC date, which is the caller's date only for callers near UTC; flows should pass their own.
   */
  today?: string;
}

export interface IntentMatch {
  /** Null when no intent scores above the definition's rejectBelow. */
  intent: string | null;
  confidence: number;
  slots: Record<string, SlotMatch>;
  needsConfirmation: boolean;
  /** Other intents that scored, best first. */
  alternatives: Array<{ intent: string; confidence: number }>;
}

const DIGITS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const REPEAT: Record<string, number> = { double: 2, triple: 3 };
const YES = ['yes', 'yeah', 'yep', 'yup', 'sure', 'correct', 'right', 'okay', 'ok', 'affirmative', "that's right"];
const NO = ['no', 'nope', 'nah', 'incorrect', 'wrong', 'negative', 'not really', "that's wrong"];
/** Words that carry no intent on their own. */
const STOP_WORDS = new Set([
  'um', 'uh', 'er', 'ah', 'hmm', 'please', 'thanks', 'thank', 'you', 'i', "i'd", "i'm", 'me', 'my', 'a', 'an', 'the', 'to',
  'like', 'would', 'want', 'need', 'can', 'could', 'is', 'it', "it's", 'of', 'for', 'about', 'with', 'and', 'so', 'well', 'just',
]);

/** Longest dates and amounts tried, in words ("nine hundred ninety nine thousand … and ninety nine cents"). */
const MAX_DATE_WORDS = 12;
const MAX_AMOUNT_WORDS = 16;
/**
 * Words, with typed dates and amounts kept whole ("2027-03-03", "$42.50", "1,200", "3rd"); anything else but
 * letters, digits, apostrophes and braces separates.
 */
const TOKEN = /\d{4}-\d{2}-\d{2}|[$£€]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![a-z0-9])|[a-z0-9'{}]+/g;

function tokenize(text: string): string[] {
  const folded = text.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  return (folded.match(TOKEN) ?? []).map((t) => t.replace(/^'+|'+$/g, '')).filter((t) => t !== '');
}

/** Folds plurals and possessives so "bills" meets "bill". */
function stem(token: string): string {
  if (token.startsWith('{')) return token;
  const t = token.replace(/'s$/, '');
  return t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t;
}

interface Span {
  slot: string;
  start: number;
  end: number;
  value: string;
  /** Other slots the same words fill ("July fourth" for both a delivery date and a birthday). */
  others?: Span[];
}

/** `{slot}`, or `{a|b}` for words several slots fill; fitPlaceholder picks one per example. */
function placeholder(span: Span): string {
  return `{${[span, ...(span.others ?? [])].map((s) => s.slot).join('|')}}`;
}

/** The slot of a `{a|b}` placeholder that `example` names, so "my birthday is {birthday}" meets a date said there. */
function fitPlaceholder(token: string, example: readonly string[]): string {
  if (!token.startsWith('{') || !token.includes('|')) return token;
  const names = token.slice(1, -1).split('|');
  return `{${names.find((n) => example.includes(`{${n}}`)) ?? names[0]}}`;
}

interface CompiledIntent {
  name: string;
  examples: string[][];
}

export class IntentMatcher {
  private readonly intents: CompiledIntent[];
  private readonly weights = new Map<string, number>();
  private readonly slots: Array<[string, SlotDefinition]>;
  private readonly confirmBelow: number;
  private readonly rejectBelow: number;

  constructor(definition: NluDefinition) {
    validateNluDefinition(definition);
    this.slots = Object.entries(definition.slots ?? {});
    this.confirmBelow = definition.confirmBelow ?? 0.6;
    this.rejectBelow = definition.rejectBelow ?? 0.3;
    this.intents = definition.intents.map((intent: IntentDefinition) => ({
      name: intent.name,
      examples: intent.examples.map((e) => this.contentTokens(tokenize(e))),
    }));
    const usedBy = new Map<string, number>();
    for (const intent of this.intents) {
      for (const t of new Set(intent.examples.flat())) usedBy.set(t, (usedBy.get(t) ?? 0) + 1);
    }
    for (const [t, n] of usedBy) this.weights.set(t, 1 + Math.log(this.intents.length / n));
  }

  /** Matches recognized text; `asrConfidence` (0–1) scales every confidence. */
  match(text: string, asrConfidence = 1, options: MatchOptions = {}): IntentMatch {
    const today = options.today ?? new Date().toISOString().slice(0, 10);
    // Checked up front, so a bad reference day fails every call, not only those that happen to mention a date.
    resolveSpokenDate('today', today);
    const tokens = tokenize(text);
    const spans = this.findSlots(tokens, today);
    const replaced: string[] = [];
    let i = 0;
    for (const span of spans) {
      while (i < span.start) replaced.push(tokens[i++]);
      replaced.push(placeholder(span));
      i = span.end;
    }
    while (i < tokens.length) replaced.push(tokens[i++]);
    const content = this.contentTokens(replaced);
    const scored = this.intents
      .map((intent) => {
        let best = { intent: intent.name, score: 0, example: [] as string[] };
        for (const e of intent.examples) {
          const score = this.overlap(content.map((t) => fitPlaceholder(t, e)), e);
          if (score > best.score) best = { intent: intent.name, score, example: e };
        }
        return best;
      })
      .filter((s) => s.score >= this.rejectBelow)
      .sort((a, b) => b.score - a.score);
    const best = scored[0];
    const slots: Record<string, SlotMatch> = {};
    for (const span of spans) {
      // Words several slots fill go to the one the intent's example names, else to one not filled yet.
      const open = [span, ...(span.others ?? [])].filter((s) => !Object.hasOwn(slots, s.slot));
      const fitted = open.find((s) => best?.example.includes(`{${s.slot}}`)) ?? open[0];
      if (fitted) slots[fitted.slot] = { value: fitted.value, text: tokens.slice(span.start, span.end).join(' '), confidence: asrConfidence };
    }
    const confidence = best ? best.score * asrConfidence : 0;
    const close = scored.length > 1 && scored[1].score > best.score - 0.15;
    const slotsUnsure = Object.values(slots).some((s) => s.confidence < this.confirmBelow);
    return {
      intent: best?.intent ?? null,
      confidence,
      slots,
      needsConfirmation: best !== undefined && (confidence < this.confirmBelow || close || slotsUnsure),
      alternatives: scored.slice(1).map((s) => ({ intent: s.intent, confidence: s.score * asrConfidence })),
    };
  }

  private contentTokens(tokens: string[]): string[] {
    return tokens.filter((t) => !STOP_WORDS.has(t)).map(stem);
  }

  /** Weighted F1 of the utterance's content words against an example's. */
  private overlap(utterance: string[], example: string[]): number {
    if (utterance.length === 0 || example.length === 0) return 0;
    const weight = (t: string): number => this.weights.get(t) ?? 1;
    const inExample = new Set(example);
    const inUtterance = new Set(utterance);
    const total = (ts: Iterable<string>): number => { let s = 0; for (const t of ts) s += weight(t); return s; };
    const shared = total([...inUtterance].filter((t) => inExample.has(t)));
    if (shared === 0) return 0;
    const precision = shared / total(inUtterance);
    const recall = shared / total(inExample);
    return (2 * precision * recall) / (precision + recall);
  }

  /** Slot spans in order, longest match first where they would overlap. */
  private findSlots(tokens: string[], today: string): Span[] {
    const found: Span[] = [];
    for (const [name, slot] of this.slots) {
      if (slot.type === 'enum') found.push(...enumSpans(name, slot.values, tokens));
      else if (slot.type === 'yes-no') found.push(...phraseSpans(name, [[YES, 'yes'], [NO, 'no']], tokens));
      else if (slot.type === 'date') {
        const resolve = (date: string): string | null => (date === IMPOSSIBLE_DATE ? null : resolveSpokenDate(date, today, slot.prefer));
        found.push(...parsedSpans(name, tokens, MAX_DATE_WORDS, readSpokenDate, resolve));
      } else if (slot.type === 'amount') {
        const max = slot.maxAmount;
        found.push(...parsedSpans(name, tokens, MAX_AMOUNT_WORDS, parseSpokenAmount, (a) => (max === undefined || Number(a) <= max ? a : null)));
      } else found.push(...digitSpans(name, tokens, slot.minLength ?? 1, slot.maxLength ?? 32));
    }
    found.sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start));
    const chosen: Span[] = [];
    for (const span of found) {
      const same = chosen.find((c) => c.start === span.start && c.end === span.end && c.slot !== span.slot);
      if (same) (same.others ??= []).push(span);
      else if (chosen.every((c) => span.start >= c.end || span.end <= c.start)) chosen.push(span);
    }
    return chosen.sort((a, b) => a.start - b.start);
  }
}

function phraseSpans(slot: string, groups: Array<[string[], string]>, tokens: string[]): Span[] {
  const spans: Span[] = [];
  for (const [phrases, value] of groups) {
    for (const phrase of phrases) {
      const words = tokenize(phrase).map(stem);
      for (let s = 0; s + words.length <= tokens.length; s++) {
        if (words.every((w, k) => stem(tokens[s + k]) === w)) spans.push({ slot, start: s, end: s + words.length, value });
      }
    }
  }
  return spans;
}

function enumSpans(slot: string, values: Record<string, string[]>, tokens: string[]): Span[] {
  return phraseSpans(slot, Object.entries(values).map(([value, synonyms]) => [[value, ...synonyms], value]), tokens);
}

/**
 * Spans `parse` reads, tried left to right with the longest words first; `finish` turns what was read into the
 * slot's value or refuses it. Words a parse took are not tried again as the start of a shorter one, even when
 * `finish` refused them: "forty two dollars" above a maxAmount of 10 must not leave "two dollars" behind. A span
 * does not start at "on", which the example keeps ("deliver it on {date}").
 */
function parsedSpans(
  slot: string, tokens: string[], maxWords: number, parse: (words: string[]) => string | null, finish: (parsed: string) => string | null,
): Span[] {
  const spans: Span[] = [];
  let start = 0;
  while (start < tokens.length) {
    let end = tokens[start] === 'on' ? start : Math.min(tokens.length, start + maxWords);
    let parsed: string | null = null;
    for (; end > start && parsed === null; end--) parsed = parse(tokens.slice(start, end));
    if (parsed === null) {
      start++;
      continue;
    }
    const value = finish(parsed);
    if (value !== null) spans.push({ slot, start, end: end + 1, value });
    start = end + 1;
  }
  return spans;
}

/** Runs of spoken digits ("four one one", "double five") and written ones ("411"), read as one digit string. */
function digitSpans(slot: string, tokens: string[], minLength: number, maxLength: number): Span[] {
  const spans: Span[] = [];
  let start = -1;
  let digits = '';
  let repeat = 1;
  const close = (end: number): void => {
    if (start >= 0 && digits.length >= minLength && digits.length <= maxLength) spans.push({ slot, start, end, value: digits });
    start = -1;
    digits = '';
    repeat = 1;
  };
  tokens.forEach((t, i) => {
    // Typed separators inside a digit string ("1,234", "40.5") are not digits; the tokenizer keeps such words whole.
    const d = DIGITS[t] ?? (/^\d+(?:[.,]\d+)*$/.test(t) ? t.replace(/\D/g, '') : undefined);
    if (d !== undefined) {
      if (start < 0) start = i;
      digits += d.repeat(repeat);
      repeat = 1;
    } else if (t in REPEAT && DIGITS[tokens[i + 1]] !== undefined) {
      if (start < 0) start = i;
      repeat = REPEAT[t];
    } else {
      close(i);
    }
  });
  close(tokens.length);
  return spans;
}
