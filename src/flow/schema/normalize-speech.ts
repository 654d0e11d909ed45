import {
  MAX_DIGITS, MAX_SPOKEN_AMOUNT, phraseParts, phraseWords, validateNluDefinition, type GrammarOption, type NluDefinition,
  type SlotDefinition, type SlotGrammar,
} from '../../speech/index.js';
import { didYouMean } from './diagnostics.js';
import type { RawNode } from './flow-schema.js';
import { BUILTIN_VARIABLES, RESERVED_WORDS, isIdentifier } from './flow-values.js';
import type { NodeChecks } from './normalize-call-nodes.js';
import { SPEECH_DEFAULTS, type RawIntent, type RawSlot, type RawSpeechSettings } from './speech-schema.js';
import type { AskNode, FlowIntent, FlowSlot, InputMode, SpeechSettings, SpokenFlowSlot } from './speech-types.js';

type Path = (string | number)[];
type Tables = Record<string, Record<string, Record<string, unknown>>>;

/** The speech keys of a flow as written, once they passed the schema. */
export interface RawSpeechHeader {
  slots: Record<string, RawSlot>;
  intents: Record<string, RawIntent>;
  speech?: RawSpeechSettings;
  tables: Tables;
}

export interface SpeechDefinitions {
  slots: Record<string, FlowSlot>;
  intents: Record<string, FlowIntent>;
  speech: SpeechSettings;
}

export const DEFAULT_SPEECH_SETTINGS: SpeechSettings = {
  failures: SPEECH_DEFAULTS.failures, confirmBelow: SPEECH_DEFAULTS.confirmBelow, timeoutMs: SPEECH_DEFAULTS.timeoutMs,
};

/** Placeholders `{slot}` in an example. */
const PLACEHOLDER = /\{([^{}]*)\}/g;
/** Values and phrases end up in runtime-made prompts ("Did you say billing?") and grammars: plain words only. */
const MARKUP = /[<>{}]/;
const INTENT_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const SLOT_KEYS: Record<RawSlot['type'], readonly string[]> = {
  enum: ['values', 'table', 'synonyms'],
  digits: ['minLength', 'maxLength'],
  'yes-no': [],
  date: ['prefer'],
  amount: ['max'],
};
const SLOT_KEY_NAMES = ['values', 'table', 'synonyms', 'minLength', 'maxLength', 'prefer', 'max'] as const;

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Checks a phrase a caller is to say: words, and no markup. */
function checkPhrase(c: NodeChecks, path: Path, phrase: string, onKey = false): boolean {
  if (MARKUP.test(phrase)) c.error('SWB_FLOW_INVALID_VALUE', path, `'${phrase}' is said by callers: no tags, braces or templates`, onKey);
  else if (phraseWords(phrase).length === 0) c.error('SWB_FLOW_INVALID_VALUE', path, `'${phrase}' has no words`, onKey);
  else return true;
  return false;
}

/** A table row's synonyms: a list of text, or text separated by commas. */
function rowSynonyms(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

function enumSlot(name: string, raw: RawSlot, tables: Tables, c: NodeChecks): FlowSlot {
  const p = (...rest: Path): Path => ['slots', name, ...rest];
  const values: Record<string, string[]> = {};
  if (raw.values !== undefined && raw.table !== undefined) {
    c.error('SWB_FLOW_INVALID_VALUE', p('table'), `enum slot '${name}' takes 'values' or 'table', not both`, true);
  } else if (raw.values === undefined && raw.table === undefined) {
    c.error('SWB_FLOW_MISSING_KEY', p(), `enum slot '${name}' needs 'values' (value → synonyms) or 'table'`, true);
  }
  if (raw.synonyms !== undefined && raw.table === undefined) {
    c.error('SWB_FLOW_INVALID_VALUE', p('synonyms'), `'synonyms' names a column of 'table'; with 'values' list the synonyms under each value`, true);
  }
  for (const [value, synonyms] of Object.entries(raw.values ?? {})) {
    if (!checkPhrase(c, p('values', value), value, true)) continue;
    values[value] = synonyms.filter((s, i) => checkPhrase(c, p('values', value, i), s));
  }
  if (raw.table !== undefined) {
    const table = Object.hasOwn(tables, raw.table) ? tables[raw.table] : undefined;
    if (!table) {
      c.error('SWB_FLOW_INVALID_VALUE', p('table'), `table '${raw.table}' is not in the flow's tables${didYouMean(raw.table, Object.keys(tables))}`);
      return { type: 'enum', values, table: raw.table };
    }
    for (const [key, row] of Object.entries(table)) {
      const at: Path = ['tables', raw.table, key];
      if (!checkPhrase(c, at, key, true)) continue;
      const synonyms = raw.synonyms === undefined ? [] : rowSynonyms(row[raw.synonyms]);
      if (synonyms === undefined) {
        c.error('SWB_FLOW_INVALID_VALUE', [...at, raw.synonyms as string], `synonyms of '${key}' must be text (comma-separated) or a list of text`);
      }
      values[key] = (synonyms ?? []).filter((s) => checkPhrase(c, [...at, raw.synonyms as string], s));
    }
  }
  if (Object.keys(values).length === 0 && (raw.values !== undefined || raw.table !== undefined)) {
    c.error('SWB_FLOW_INVALID_VALUE', raw.table !== undefined ? p('table') : p('values'), `enum slot '${name}' has no values`);
  }
  return { type: 'enum', values, ...opt('table', raw.table) };
}

function slot(name: string, raw: RawSlot, tables: Tables, c: NodeChecks): FlowSlot {
  const p = (...rest: Path): Path => ['slots', name, ...rest];
  if (!isIdentifier(name) || RESERVED_WORDS.includes(name) || BUILTIN_VARIABLES.includes(name)) {
    c.error('SWB_FLOW_INVALID_ID', p(), `slot '${name}' is stored in a variable of its name: letters, digits and _, not a keyword or built-in`, true);
  }
  for (const key of SLOT_KEY_NAMES) {
    if (raw[key] !== undefined && !SLOT_KEYS[raw.type].includes(key)) {
      c.error('SWB_FLOW_INVALID_VALUE', p(key), `'${key}' does not go with type: ${raw.type}`, true);
    }
  }
  if (raw.type === 'enum') return enumSlot(name, raw, tables, c);
  if (raw.type === 'yes-no') return { type: 'yes-no' };
  if (raw.type === 'date') return { type: 'date', prefer: raw.prefer ?? 'future' };
  if (raw.type === 'amount') {
    const { max } = raw;
    if (max === undefined) return { type: 'amount' };
    if (!(Number.isFinite(max) && max > 0)) c.error('SWB_FLOW_INVALID_VALUE', p('max'), `max must be a number > 0, got ${max}`);
    else if (max > MAX_SPOKEN_AMOUNT) c.error('SWB_FLOW_INVALID_VALUE', p('max'), `max (${max}) is more than the ${MAX_SPOKEN_AMOUNT} speech input reads`);
    return { type: 'amount', max };
  }
  const minLength = raw.minLength ?? 1;
  const maxLength = raw.maxLength ?? MAX_DIGITS;
  if (minLength > maxLength) c.error('SWB_FLOW_INVALID_VALUE', p('minLength'), `minLength (${minLength}) is more than maxLength (${maxLength})`);
  return { type: 'digits', minLength, maxLength };
}

/** The slots an intent example names as `{slot}`, in order. */
export function exampleSlots(example: string): string[] {
  return [...example.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

function intent(name: string, raw: RawIntent, slots: Record<string, FlowSlot>, c: NodeChecks): FlowIntent {
  if (!INTENT_NAME.test(name)) c.error('SWB_FLOW_INVALID_ID', ['intents', name], `intent name '${name}' must be letters, digits, _ and -`, true);
  raw.examples.forEach((example, i) => {
    const at: Path = ['intents', name, 'examples', i];
    const named = exampleSlots(example);
    const rest = example.replace(PLACEHOLDER, ' ');
    if (/[{}]/.test(rest)) {
      c.error('SWB_FLOW_INVALID_VALUE', at, `'${example}' has a brace that does not close a {slot}`);
      return;
    }
    if (named.length === 0 && phraseWords(example).length === 0) c.error('SWB_FLOW_INVALID_VALUE', at, `'${example}' has no words`);
    if (MARKUP.test(rest)) c.error('SWB_FLOW_INVALID_VALUE', at, `'${example}' is said by callers: no tags`);
    named.forEach((s, k) => {
      if (named.indexOf(s) !== k) {
        c.error('SWB_FLOW_INVALID_VALUE', at, `'${example}' names {${s}} twice`);
      } else if (!Object.hasOwn(slots, s)) {
        c.error('SWB_FLOW_UNKNOWN_SLOT', at, `{${s}} is not one of the flow's slots${didYouMean(s, Object.keys(slots))}`);
      } else if (slots[s].type === 'yes-no') {
        c.error('SWB_FLOW_INVALID_VALUE', at, `{${s}} is a yes-no slot, which examples cannot name: give yes and no intents of their own`);
      }
    });
  });
  return { name, examples: raw.examples };
}

/** Slots, intents and settings of the file, each checked; `speech.operator` must name a node. */
export function speechDefinitions(raw: RawSpeechHeader, checks: NodeChecks): SpeechDefinitions {
  let problems = 0;
  const c: NodeChecks = {
    ...checks,
    error: (...args) => {
      problems++;
      checks.error(...args);
    },
  };
  const slots: Record<string, FlowSlot> = {};
  for (const [name, s] of Object.entries(raw.slots)) slots[name] = slot(name, s, raw.tables, c);
  const intents: Record<string, FlowIntent> = {};
  for (const [name, i] of Object.entries(raw.intents)) intents[name] = intent(name, i, slots, c);
  const s = raw.speech;
  const speech: SpeechSettings = s
    ? { failures: s.failures, ...opt('operator', s.operator), confirmBelow: s.confirmBelow, ...opt('minConfidence', s.minConfidence), timeoutMs: s.timeout }
    : DEFAULT_SPEECH_SETTINGS;
  c.ref(['speech', 'operator'], speech.operator, 'speech.operator');
  // The matcher's own check, for anything the checks above with their positions did not already report.
  if (Object.keys(intents).length > 0 && problems === 0) {
    try {
      validateNluDefinition(nluDefinition(Object.values(intents), slots, speech.confirmBelow));
    } catch (e) {
      c.error('SWB_FLOW_INVALID_VALUE', ['intents'], (e as Error).message, true);
    }
  }
  return { slots, intents, speech };
}

/** The intent matcher's view of some intents (only their slots), for the runtime and the load-time check. */
export function nluDefinition(intents: readonly FlowIntent[], slots: Readonly<Record<string, FlowSlot>>, confirmBelow: number): NluDefinition {
  const used: Record<string, SlotDefinition> = {};
  for (const i of intents) {
    for (const name of i.examples.flatMap(exampleSlots)) {
      const s = Object.hasOwn(slots, name) ? slots[name] : undefined;
      if (s) used[name] = slotDefinition(s);
    }
  }
  return { intents: intents.map((i) => ({ name: i.name, examples: i.examples })), slots: used, confirmBelow };
}

function slotDefinition(s: FlowSlot): SlotDefinition {
  switch (s.type) {
    case 'enum': return { type: 'enum', values: s.values };
    case 'digits': return { type: 'digits', minLength: s.minLength, maxLength: s.maxLength };
    case 'yes-no': return { type: 'yes-no' };
    case 'date': return { type: 'date', prefer: s.prefer };
    case 'amount': return s.max === undefined ? { type: 'amount' } : { type: 'amount', maxAmount: s.max };
  }
}

/** Whether the recognizer fills this slot from the words between an example's own (it stays `{slot}` in the grammar). */
export function isSpokenSlot(slot: FlowSlot | undefined): slot is SpokenFlowSlot {
  return slot?.type === 'digits' || slot?.type === 'date' || slot?.type === 'amount';
}

/** What the recognizer hears for a `{slot}` the grammar keeps. */
function slotGrammar(s: SpokenFlowSlot): SlotGrammar {
  switch (s.type) {
    case 'digits': return { kind: 'digits', minLength: s.minLength, maxLength: s.maxLength };
    case 'date': return { kind: 'date' };
    case 'amount': return s.max === undefined ? { kind: 'amount' } : { kind: 'amount', maxAmount: s.max };
  }
}

/**
 * A phrase as the recognizer tells it apart from others: its words, each kept placeholder as its slot's kind.
 * "on {day}" and "on {when}" (two date slots) are the same answer, whichever intent each belongs to.
 */
function heardAs(phrase: string, slots: Readonly<Record<string, FlowSlot>>): string {
  return phraseParts(phrase).map((part) => ('word' in part ? part.word : `{${slots[part.slot]?.type ?? part.slot}}`)).join(' ');
}

/**
 * Every phrase of one example with its enum placeholders filled by each value and synonym, the other placeholders
 * kept for the recognizer to fill; undefined past `limit`.
 */
function expand(example: string, slots: Readonly<Record<string, FlowSlot>>, limit: number): string[] | undefined {
  let out = [''];
  let last = 0;
  for (const m of example.matchAll(PLACEHOLDER)) {
    const s = slots[m[1]];
    const words = s?.type === 'enum' ? Object.entries(s.values).flatMap(([v, syn]) => [v, ...syn]) : isSpokenSlot(s) ? [m[0]] : [];
    const before = example.slice(last, m.index);
    if (out.length * words.length > limit) return undefined;
    out = out.flatMap((head) => words.map((w) => head + before + w));
    last = (m.index ?? 0) + m[0].length;
  }
  return out.map((head) => head + example.slice(last));
}

export function askNode(
  id: string, n: Extract<RawNode, { type: 'ask' }>, defs: SpeechDefinitions | undefined, intentNames: readonly string[], c: NodeChecks,
): AskNode {
  const p = (...rest: Path): Path => ['nodes', id, ...rest];
  const options: GrammarOption[] = [];
  const grammarSlots: Record<string, SlotGrammar> = {};
  const requiredSlots: Record<string, string[]> = {};
  const owner = new Map<string, string>();
  let total = 0;
  for (const [name, target] of Object.entries(n.intents)) {
    c.ref(p('intents', name), target, `intent '${name}'`);
    if (!intentNames.includes(name)) {
      c.error('SWB_FLOW_UNKNOWN_INTENT', p('intents', name), `intent '${name}' is not one of the flow's intents${didYouMean(name, intentNames)}`, true);
      continue;
    }
    const declared = defs?.intents[name];
    if (!declared) continue;
    const named = declared.examples.map(exampleSlots);
    requiredSlots[name] = named[0].filter((s) => named.every((list) => list.includes(s)));
    for (const s of named.flat()) {
      const slot = defs.slots[s];
      if (isSpokenSlot(slot)) grammarSlots[s] = slotGrammar(slot);
    }
    const phrases: string[] = [];
    for (const example of declared.examples) {
      const expanded = expand(example, defs.slots, SPEECH_DEFAULTS.maxGrammarPhrases);
      total += expanded?.length ?? Infinity;
      for (const phrase of expanded ?? []) {
        const words = heardAs(phrase, defs.slots);
        const other = owner.get(words);
        if (other !== undefined && other !== name) {
          c.error('SWB_FLOW_INVALID_VALUE', p('intents', name), `'${phrase}' is an example of both intent '${other}' and '${name}': the answer would be ambiguous`, true);
        }
        if (other === undefined && words !== '') {
          owner.set(words, name);
          phrases.push(phrase);
        }
      }
    }
    options.push({ value: name, phrases });
  }
  if (total > SPEECH_DEFAULTS.maxGrammarPhrases) {
    const count = Number.isFinite(total) ? `${total}` : 'too many';
    c.error('SWB_FLOW_GRAMMAR_TOO_LARGE', p('intents'), `ask '${id}' would listen for ${count} phrases (at most ${SPEECH_DEFAULTS.maxGrammarPhrases}): use fewer examples or synonyms`, true);
  }
  c.ref(p('keys'), n.keys, 'keys');
  c.ref(p('fallback'), n.fallback, 'fallback');
  return {
    id, type: 'ask', prompt: c.prompt(p('prompt'), n.prompt), intents: n.intents,
    grammar: {
      kind: 'options', options: total > SPEECH_DEFAULTS.maxGrammarPhrases ? [] : options,
      ...(Object.keys(grammarSlots).length > 0 ? { slots: grammarSlots } : {}),
    },
    requiredSlots,
    ...opt('confirm', n.confirm && c.prompt(p('confirm'), n.confirm)),
    ...opt('retryPrompt', n.retryPrompt && c.prompt(p('retryPrompt'), n.retryPrompt)),
    ...opt('noInputPrompt', n.noInputPrompt && c.prompt(p('noInputPrompt'), n.noInputPrompt)),
    ...opt('keys', n.keys), timeoutMs: n.timeout ?? defs?.speech.timeoutMs ?? SPEECH_DEFAULTS.timeoutMs,
    ...opt('fallback', n.fallback), bargeIn: n.bargeIn,
  };
}

type RawMenuOption = Extract<RawNode, { type: 'menu' }>['options'][string];

/** A menu's phrases per option: every option of a speech menu has some, a DTMF menu has none. */
export function menuPhrases(id: string, input: InputMode, options: Record<string, RawMenuOption>, c: NodeChecks): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const owner = new Map<string, string>();
  for (const [key, option] of Object.entries(options)) {
    const at: Path = ['nodes', id, 'options', key];
    const phrases = typeof option === 'string' ? undefined : option.speech;
    if (input === 'dtmf') {
      if (phrases) c.error('SWB_FLOW_INVALID_VALUE', [...at, 'speech'], `'speech' phrases are heard only in a menu with input: speech or both`, true);
      continue;
    }
    if (!phrases) {
      c.error('SWB_FLOW_MISSING_KEY', at, `option '${key}' of a menu with input: ${input} needs 'speech' (what callers say for it)`, true);
      continue;
    }
    out[key] = phrases.filter((phrase, i) => {
      if (!checkPhrase(c, [...at, 'speech', i], phrase)) return false;
      const words = phraseWords(phrase).join(' ');
      const other = owner.get(words);
      if (other !== undefined && other !== key) {
        c.error('SWB_FLOW_INVALID_VALUE', [...at, 'speech', i], `'${phrase}' is also said for option '${other}'`);
        return false;
      }
      owner.set(words, key);
      return true;
    });
  }
  return out;
}
