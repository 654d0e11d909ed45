/**
 * What a flow means by an answer: intents recognised from example phrases, and typed slots filled from the words.
 * Examples may name a slot as `{slot}`, so "I want to pay {amount}" matches whatever fills that slot.
 */
import { SwitchboardError } from '../../common/index.js';

export interface EnumSlot {
  type: 'enum';
  /** Value → synonyms; the value itself is always a synonym. `{ billing: ['bills', 'invoice'] }`. */
  values: Record<string, string[]>;
}

export interface DigitsSlot {
  type: 'digits';
  minLength?: number;
  maxLength?: number;
}

export interface YesNoSlot {
  type: 'yes-no';
}

/** A date, spoken ("March the third", "next Friday") or typed ("March 3rd", "2027-03-03"); the value is YYYY-MM-DD. */
export interface DateSlot {
  type: 'date';
  /** Which way a date without a year (or a bare weekday) resolves: its next occurrence (default) or its last. */
  prefer?: 'future' | 'past';
}

/** An amount, spoken ("forty two dollars fifty") or typed ("$42.50"); the value is "42.50". */
export interface AmountSlot {
  type: 'amount';
  /** Larger amounts do not fill the slot. */
  maxAmount?: number;
}

export type SlotDefinition = EnumSlot | DigitsSlot | YesNoSlot | DateSlot | AmountSlot;

export interface IntentDefinition {
  name: string;
  examples: string[];
}

export interface NluDefinition {
  intents: IntentDefinition[];
  slots?: Record<string, SlotDefinition>;
  /** Matches below this confidence are marked needsConfirmation. Default 0.6. */
  confirmBelow?: number;
  /** Intents scoring below this are not returned at all. Default 0.3. */
  rejectBelow?: number;
}

/** Checks a definition; every problem is reported at once. */
export function validateNluDefinition(def: NluDefinition): void {
  const problems: string[] = [];
  const slots = def.slots ?? {};
  const names = new Set<string>();
  if (!Array.isArray(def.intents)) problems.push('intents: must be a list');
  (def.intents ?? []).forEach((intent, i) => {
    if (typeof intent.name !== 'string' || intent.name === '') problems.push(`intents[${i}].name: must be a non-empty string`);
    else if (names.has(intent.name)) problems.push(`intents[${i}].name: "${intent.name}" appears twice`);
    names.add(intent.name);
    if (!Array.isArray(intent.examples) || intent.examples.length === 0) problems.push(`intents[${i}].examples: at least one example is required`);
    for (const example of intent.examples ?? []) {
      for (const [, slot] of example.matchAll(/\{([^}]*)\}/g)) {
        if (!(slot in slots)) problems.push(`intents[${i}] example "${example}": unknown slot {${slot}}`);
      }
    }
  });
  for (const [name, slot] of Object.entries(slots)) {
    if (slot.type === 'enum') {
      if (!slot.values || Object.keys(slot.values).length === 0) problems.push(`slots.${name}.values: at least one value is required`);
    } else if (slot.type === 'digits') {
      const min = slot.minLength ?? 1;
      const max = slot.maxLength ?? 32;
      if (!Number.isInteger(min) || min < 1 || !Number.isInteger(max) || max < min) problems.push(`slots.${name}: minLength/maxLength must be integers with 1 ≤ min ≤ max`);
    } else if (slot.type === 'date') {
      if (slot.prefer !== undefined && slot.prefer !== 'future' && slot.prefer !== 'past') problems.push(`slots.${name}.prefer: must be "future" or "past"`);
    } else if (slot.type === 'amount') {
      const max = slot.maxAmount;
      if (max !== undefined && !(typeof max === 'number' && Number.isFinite(max) && max > 0)) problems.push(`slots.${name}.maxAmount: must be a number > 0`);
    } else if (slot.type !== 'yes-no') {
      problems.push(`slots.${name}.type: must be "enum", "digits", "yes-no", "date" or "amount"`);
    }
  }
  for (const key of ['confirmBelow', 'rejectBelow'] as const) {
    const v = def[key];
    if (v !== undefined && !(v >= 0 && v <= 1)) problems.push(`${key}: must be between 0 and 1`);
  }
  if (problems.length > 0) throw new SwitchboardError('SWB_ERR_NLU_DEFINITION', `Invalid intent definition:\n  ${problems.join('\n  ')}`);
}
