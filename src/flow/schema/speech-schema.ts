import { z } from 'zod';
import { MAX_DIGITS } from '../../speech/index.js';
import { INPUT_MODES } from './speech-types.js';

/**
 * The zod schema of the speech keys of a flow file (`slots`, `intents`, `speech`, the `ask` node, `input` on menus
 * and gathers). Shapes only: references, tables and grammars are checked by normalize-speech.ts.
 */

export const SPEECH_DEFAULTS = {
  failures: 2,
  confirmBelow: 0.8,
  timeoutMs: 5000,
  input: 'dtmf',
  /** An ask whose grammar would hold more phrases than this is refused: recognition slows and misfires. */
  maxGrammarPhrases: 500,
} as const;

/** A list of phrases; `null` (a YAML key with nothing after it) is an empty list. */
const phrases = z.union([z.array(z.string().min(1)), z.null()]).transform((v) => v ?? []);

/**
 * Checked per type by the loader: `values` or `table` (+ `synonyms`) for enum, the lengths for digits, `prefer`
 * for date, `max` for amount.
 */
export const slotSchema = z.strictObject({
  type: z.enum(['enum', 'digits', 'yes-no', 'date', 'amount']),
  values: z.record(z.string(), phrases).optional(),
  table: z.string().min(1).optional(),
  synonyms: z.string().min(1).optional(),
  minLength: z.number().int().min(1).max(MAX_DIGITS).optional(),
  maxLength: z.number().int().min(1).max(MAX_DIGITS).optional(),
  prefer: z.enum(['future', 'past']).optional(),
  max: z.number().optional(),
});

export const intentSchema = z.strictObject({ examples: z.array(z.string().min(1)).min(1) });

const confidence = z.number().min(0).max(1);

export function speechSettingsSchema(duration: z.ZodType<number>) {
  return z.strictObject({
    failures: z.number().int().min(1).max(10).default(SPEECH_DEFAULTS.failures),
    operator: z.string().min(1).optional(),
    confirmBelow: confidence.default(SPEECH_DEFAULTS.confirmBelow),
    minConfidence: confidence.optional(),
    timeout: duration.default(SPEECH_DEFAULTS.timeoutMs),
  });
}

export const inputMode = z.enum(INPUT_MODES as ['dtmf', 'speech', 'both']).default(SPEECH_DEFAULTS.input);

/** What callers say for a menu option: `speech: [billing, bills]`. */
export const optionPhrases = z.array(z.string().min(1)).min(1);

export type RawSlot = z.output<typeof slotSchema>;
export type RawIntent = z.output<typeof intentSchema>;
export type RawSpeechSettings = z.output<ReturnType<typeof speechSettingsSchema>>;
