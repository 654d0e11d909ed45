import type { OptionsGrammar } from '../../speech/index.js';
import type { PromptPart } from './flow-types.js';

/**
 * The speech side of a loaded flow (docs/flows.md, "Speech input"): typed slots, intents with example phrases, the
 * flow-wide speech settings, and the `ask` node that listens for intents.
 */

/** How a menu or gather takes its answer: keys (the default), speech, or either. */
export type InputMode = 'dtmf' | 'speech' | 'both';

export const INPUT_MODES: readonly InputMode[] = ['dtmf', 'speech', 'both'];

/** A closed list of values, each with the other words callers use for it. */
export interface EnumFlowSlot {
  type: 'enum';
  /** Canonical value → synonyms (the value itself is always understood too). Filled from `table` when given. */
  values: Record<string, string[]>;
  /** The data table the values came from (its keys), if any. */
  table?: string;
}

export interface DigitsFlowSlot {
  type: 'digits';
  minLength: number;
  maxLength: number;
}

export interface YesNoFlowSlot {
  type: 'yes-no';
}

/** A calendar day ("next friday", "March the third"); stored resolved, `YYYY-MM-DD` in the flow's timezone. */
export interface DateFlowSlot {
  type: 'date';
  /** Which way a day said without a year (or a bare weekday) resolves: its next occurrence or its last one. */
  prefer: 'future' | 'past';
}

/** A money amount ("forty two dollars fifty"); stored as "42.50", in the flow's currency. */
export interface AmountFlowSlot {
  type: 'amount';
  /** A larger amount does not fit the slot. */
  max?: number;
}

/**
 * A typed piece of an answer; an `ask` stores it into the variable of the slot's name: the canonical value
 * ("billing" for "invoice"), the digits, the resolved date (`YYYY-MM-DD`) or the amount ("42.50").
 */
export type FlowSlot = EnumFlowSlot | DigitsFlowSlot | YesNoFlowSlot | DateFlowSlot | AmountFlowSlot;

/** The slot types an ask's recognizer fills from the words between an example's own (kept as `{slot}` in its grammar). */
export type SpokenFlowSlot = DigitsFlowSlot | DateFlowSlot | AmountFlowSlot;

export interface FlowIntent {
  name: string;
  /** What callers say, naming slots as `{slot}`: "put me through to {department}", "deliver it on {day}". */
  examples: string[];
}

/** Flow-wide speech behaviour (`speech:`). */
export interface SpeechSettings {
  /**
   * Failed speech answers allowed per call (default 2): no-match, no-input, a denied confirmation or a value that
   * does not fit, counted across every speech input of the call. The one that reaches it sends the call to `operator`.
   */
  failures: number;
  /** Where the call goes after `failures` failures; absent: the escape target, else the node's fallback. */
  operator?: string;
  /** Answers below this confidence (0–1) are confirmed ("Did you say billing?"); default 0.8, above the built-in recognizer's 0.6 rejection. */
  confirmBelow: number;
  /** Recognitions below this confidence come back as no-match; absent: the recognizer's own threshold. */
  minConfidence?: number;
  /** Wait for speech after the prompt (default 5000). */
  timeoutMs: number;
}

/** Listens for one of `intents` while the prompt plays; keys may take the caller to a DTMF path instead. */
export interface AskNode {
  id: string;
  type: 'ask';
  prompt: PromptPart[];
  /** Intent name → the node an answer with that intent leads to (only these intents are listened for). */
  intents: Record<string, string>;
  /**
   * What the recognizer listens for, built at load: one option per intent whose phrases are its examples with each
   * enum slot placeholder expanded by every value and synonym; digits, date and amount placeholders stay in the
   * phrases as `{slot}`, declared in the grammar's `slots`.
   */
  grammar: OptionsGrammar;
  /** Slots every example of the intent names: an answer without them is not understood. Intent → slot names. */
  requiredSlots: Record<string, string[]>;
  /**
   * The confirmation question; absent: "Did you say <value>?" (the first slot's value, a date said as a date and an
   * amount as money; else the intent's name).
   */
  confirm?: PromptPart[];
  /** Played before the question is asked again after an answer that was not understood; absent: the default wording. */
  retryPrompt?: PromptPart[];
  /** Played before the question is asked again after silence; absent: the default wording. */
  noInputPrompt?: PromptPart[];
  /**
   * Where a key pressed during the question goes, the key left waiting for that node (e.g. the same choice as a DTMF
   * menu); also where the call goes when speech is unavailable. Absent: a key is an invalid answer, and without
   * speech the call goes to the operator route.
   */
  keys?: string;
  /** Wait for speech after the prompt; default the flow's `speech.timeout`. */
  timeoutMs: number;
  /** Where the call goes after the speech failures when the flow has neither `speech.operator` nor an escape. */
  fallback?: string;
  bargeIn: boolean;
}
