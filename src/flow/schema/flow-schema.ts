import { z } from 'zod';
import type { FlowDiagnosticCode } from './diagnostics.js';
import { NODE_TYPES, type FlowNodeType } from './flow-types.js';
import { isValidTimezone, parseDtmfKey, parseDuration, type Parsed } from './flow-values.js';
import { inputMode, intentSchema, optionPhrases, slotSchema, speechSettingsSchema } from './speech-schema.js';

/**
 * The zod schema of a flow file as written (docs/flows.md). It judges shapes and single values; the loader
 * (normalize-flow.ts) then checks what needs the whole file (references, files, expressions) and builds the
 * FlowDocument. Defaults live here, so the schema is the one place that says what an absent key means.
 */

export const DEFAULTS = {
  voice: 'slt',
  timezone: 'UTC',
  currency: 'USD',
  escapeKey: '0',
  bargeIn: true,
  menuTimeoutMs: 5000,
  menuRetries: 3,
  repeatKey: '*',
  gatherTimeoutMs: 5000,
  gatherInterDigitTimeoutMs: 3000,
  gatherRetries: 3,
  minDigits: 1,
  maxDigits: 20,
  terminator: '#',
  lookupTimeoutMs: 3000,
  lookupRetries: 0,
  transferMethod: 'bridge',
  ringTimeoutMs: 30_000,
  voicemailMaxLengthMs: 120_000,
  voicemailEndSilenceMs: 5000,
  voicemailFinishKey: '#',
  callbackTimeoutMs: 5000,
  callbackRetries: 2,
  surveyTimeoutMs: 5000,
  surveyRetries: 1,
} as const;

export const VOICES = ['slt', 'rms', 'awb', 'kal'] as const;

/** Custom issues carry the diagnostic code they stand for, so the loader reports them precisely. */
function custom<T>(code: FlowDiagnosticCode, parse: (v: unknown) => Parsed<T>) {
  return z.unknown().transform((v, ctx): T => {
    const r = parse(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.message, params: { flowCode: code }, input: v });
    return z.NEVER;
  });
}

const duration = custom('SWB_FLOW_INVALID_DURATION', parseDuration);
const dtmfKey = custom('SWB_FLOW_INVALID_KEY', parseDtmfKey);
/** A key, or `false` to turn the feature off (null in the FlowDocument). */
const dtmfKeyOrOff = custom<string | null>('SWB_FLOW_INVALID_KEY', (v) => (v === false ? { ok: true, value: null } : parseDtmfKey(v)));

/** A node id as written (checked to exist and to be an identifier by the loader). */
const nodeRef = z.string().min(1);

/** Expressions are written as text; YAML turns `true` or `3` into scalars, which are expressions as well. */
const expression = z.union([z.string().min(1), z.number(), z.boolean()]).transform((v) => String(v));

/** A prompt piece as written: text, or `{ play: file }` (resolved and checked by the loader). */
export type RawPromptPart = { say: string } | { play: string };

function parsePrompt(v: unknown): Parsed<RawPromptPart[]> {
  const one = (p: unknown): RawPromptPart | undefined => {
    if (typeof p === 'string') return { say: p };
    if (typeof p === 'object' && p !== null && !Array.isArray(p)) {
      const keys = Object.keys(p);
      const file = (p as Record<string, unknown>).play;
      if (keys.length === 1 && typeof file === 'string' && file !== '') return { play: file };
    }
    return undefined;
  };
  const list = Array.isArray(v) ? v : [v];
  const parts = list.map(one);
  if (list.length > 0 && parts.every((p) => p !== undefined)) return { ok: true, value: parts as RawPromptPart[] };
  return { ok: false, message: 'a prompt is text, { play: file.wav } or a list of those' };
}

const timezone = custom('SWB_FLOW_INVALID_TIMEZONE', (v): Parsed<string> =>
  typeof v === 'string' && isValidTimezone(v)
    ? { ok: true, value: v }
    : { ok: false, message: `${JSON.stringify(v)} is not an IANA timezone (e.g. Europe/London)` });

const prompt = custom('SWB_FLOW_INVALID_VALUE', parsePrompt);
/** Mailbox and queue names end up in folder names and webhooks: keep them plain. */
const plainName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a name is letters, digits, "_", "-" and "."');
/** A menu option: the node it leads to, or that with a spoken label and a condition. */
const menuOption = z.union([
  nodeRef,
  z.strictObject({ to: nodeRef, say: prompt.optional(), when: expression.optional(), speech: optionPhrases.optional() }),
]);
const bargeIn = z.boolean().default(DEFAULTS.bargeIn);
const retries = (d: number) => z.number().int().min(0).max(10).default(d);

export const NODE_SCHEMAS = {
  say: z.strictObject({ type: z.literal('say'), prompt, next: nodeRef.optional(), bargeIn }),
  play: z.strictObject({
    type: z.literal('play'),
    file: z.string().min(1).optional(),
    prompt: prompt.optional(),
    next: nodeRef.optional(),
    bargeIn,
  }),
  menu: z.strictObject({
    type: z.literal('menu'),
    prompt: prompt.optional(),
    options: z.record(z.string(), menuOption),
    timeout: duration.default(DEFAULTS.menuTimeoutMs),
    retries: retries(DEFAULTS.menuRetries),
    invalidPrompt: prompt.optional(),
    noInputPrompt: prompt.optional(),
    fallback: nodeRef.optional(),
    repeatKey: dtmfKeyOrOff.default(DEFAULTS.repeatKey),
    backKey: dtmfKey.optional(),
    input: inputMode,
    bargeIn,
  }),
  gather: z.strictObject({
    type: z.literal('gather'),
    prompt,
    minDigits: z.number().int().min(1).max(64).default(DEFAULTS.minDigits),
    maxDigits: z.number().int().min(1).max(64).default(DEFAULTS.maxDigits),
    terminator: dtmfKeyOrOff.default(DEFAULTS.terminator),
    timeout: duration.default(DEFAULTS.gatherTimeoutMs),
    interDigitTimeout: duration.default(DEFAULTS.gatherInterDigitTimeoutMs),
    into: z.string().min(1),
    validate: z.strictObject({ pattern: z.string().min(1).optional(), luhn: z.boolean().default(false) }).optional(),
    invalidPrompt: prompt.optional(),
    noInputPrompt: prompt.optional(),
    retries: retries(DEFAULTS.gatherRetries),
    fallback: nodeRef.optional(),
    sensitive: z.boolean().default(false),
    input: inputMode,
    next: nodeRef.optional(),
    bargeIn,
  }),
  set: z.strictObject({
    type: z.literal('set'),
    values: z.record(z.string(), expression).refine((v) => Object.keys(v).length > 0, 'values sets nothing'),
    next: nodeRef.optional(),
  }),
  branch: z.strictObject({
    type: z.literal('branch'),
    conditions: z.array(z.strictObject({ when: expression, next: nodeRef })).min(1),
    otherwise: nodeRef.optional(),
  }),
  switch: z.strictObject({
    type: z.literal('switch'),
    value: expression,
    cases: z.record(z.string(), nodeRef).refine((v) => Object.keys(v).length > 0, 'cases has no case'),
    default: nodeRef.optional(),
  }),
  goto: z.strictObject({ type: z.literal('goto'), next: nodeRef }),
  subflow: z.strictObject({ type: z.literal('subflow'), flow: z.string().min(1), next: nodeRef.optional() }),
  hangup: z.strictObject({ type: z.literal('hangup'), prompt: prompt.optional() }),
  lookup: z.strictObject({
    type: z.literal('lookup'),
    http: z.strictObject({
      url: z.string().min(1),
      method: z.enum(['GET', 'POST']).default('GET'),
      body: z.string().optional(),
      headers: z.record(z.string(), z.string()).default({}),
      timeout: duration.default(DEFAULTS.lookupTimeoutMs),
      retries: z.number().int().min(0).max(5).default(DEFAULTS.lookupRetries),
    }).optional(),
    table: z.string().min(1).optional(),
    key: z.union([z.string().min(1), z.number()]).transform((v) => String(v)).optional(),
    into: z.record(z.string(), z.string()).refine((v) => Object.keys(v).length > 0, 'into stores nothing'),
    next: nodeRef.optional(),
    error: nodeRef,
    notFound: nodeRef.optional(),
  }),
  transfer: z.strictObject({
    type: z.literal('transfer'),
    to: z.union([z.string().min(1), z.number()]).transform((v) => String(v)),
    trunk: plainName.optional(),
    method: z.enum(['bridge', 'refer']).default(DEFAULTS.transferMethod),
    prompt: prompt.optional(),
    headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v))).default({}),
    ringTimeout: duration.default(DEFAULTS.ringTimeoutMs),
    next: nodeRef.optional(),
    busy: nodeRef.optional(),
    noAnswer: nodeRef.optional(),
    failed: nodeRef,
  }),
  voicemail: z.strictObject({
    type: z.literal('voicemail'),
    mailbox: plainName.optional(),
    prompt,
    maxLength: duration.default(DEFAULTS.voicemailMaxLengthMs),
    endSilence: duration.default(DEFAULTS.voicemailEndSilenceMs),
    finishKey: dtmfKeyOrOff.default(DEFAULTS.voicemailFinishKey),
    beep: z.boolean().default(true),
    savedPrompt: prompt.optional(),
    webhook: z.string().min(1).optional(),
    next: nodeRef.optional(),
    noMessage: nodeRef.optional(),
  }),
  callback: z.strictObject({
    type: z.literal('callback'),
    queue: plainName.optional(),
    prompt: prompt.optional(),
    windows: z.array(z.string().min(1)).max(5, 'offer at most five windows').default([]),
    savedPrompt: prompt.optional(),
    timeout: duration.default(DEFAULTS.callbackTimeoutMs),
    retries: retries(DEFAULTS.callbackRetries),
    webhook: z.string().min(1).optional(),
    next: nodeRef.optional(),
    fallback: nodeRef.optional(),
  }),
  survey: z.strictObject({
    type: z.literal('survey'),
    prompt: prompt.optional(),
    questions: z.array(z.strictObject({ id: z.string().min(1), prompt, answer: z.enum(['scale', 'yes-no']) })).min(1),
    timeout: duration.default(DEFAULTS.surveyTimeoutMs),
    retries: retries(DEFAULTS.surveyRetries),
    thanksPrompt: prompt.optional(),
    next: nodeRef.optional(),
  }),
  ask: z.strictObject({
    type: z.literal('ask'),
    prompt,
    intents: z.record(z.string(), nodeRef).refine((v) => Object.keys(v).length > 0, 'intents names no intent'),
    confirm: prompt.optional(),
    retryPrompt: prompt.optional(),
    noInputPrompt: prompt.optional(),
    keys: nodeRef.optional(),
    timeout: duration.optional(),
    fallback: nodeRef.optional(),
    bargeIn,
  }),
} satisfies Record<FlowNodeType, z.ZodType>;

export const nodeSchema = z.discriminatedUnion('type', [
  NODE_SCHEMAS.say,
  NODE_SCHEMAS.play,
  NODE_SCHEMAS.menu,
  NODE_SCHEMAS.gather,
  NODE_SCHEMAS.set,
  NODE_SCHEMAS.branch,
  NODE_SCHEMAS.switch,
  NODE_SCHEMAS.goto,
  NODE_SCHEMAS.subflow,
  NODE_SCHEMAS.hangup,
  NODE_SCHEMAS.lookup,
  NODE_SCHEMAS.transfer,
  NODE_SCHEMAS.voicemail,
  NODE_SCHEMAS.callback,
  NODE_SCHEMAS.survey,
  NODE_SCHEMAS.ask,
]);

export const scheduleSchema = z.strictObject({
  timezone: timezone.optional(),
  /** Day or day range (`mon-fri`) → `"HH:MM-HH:MM[,…]"`; checked by the loader. */
  hours: z.record(z.string(), z.string()),
  holidays: z.array(z.string()).default([]),
});

export const escapeSchema = z.union([
  z.literal(false),
  z.strictObject({ key: dtmfKey.default(DEFAULTS.escapeKey), to: nodeRef }),
]);

export const flowFileSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a flow name is letters, digits, "_", "-" and "."').optional(),
  description: z.string().optional(),
  numbers: z.array(z.string().min(1, 'a number cannot be empty')).default([]),
  voice: z.enum(VOICES).default(DEFAULTS.voice),
  timezone: timezone.default(DEFAULTS.timezone),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a currency is an ISO 4217 code like USD or GBP').default(DEFAULTS.currency),
  escape: escapeSchema.optional(),
  start: nodeRef,
  nodes: z.record(z.string(), nodeSchema).refine((v) => Object.keys(v).length > 0, 'a flow needs at least one node'),
  schedules: z.record(z.string(), scheduleSchema).default({}),
  /** Table name → key → row (a mapping), read by `lookup` nodes with `table:`. */
  tables: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).default({}),
  /** Slot name → typed slot, named as `{slot}` in intent examples. */
  slots: z.record(z.string(), slotSchema).default({}),
  /** Intent name → its example phrases, listened for by `ask` nodes. */
  intents: z.record(z.string(), intentSchema).default({}),
  /** Speech settings; defaults are applied by the loader. */
  speech: speechSettingsSchema(duration).optional(),
});

/**
 * The file with each node left unjudged: the loader checks nodes one by one with `nodeSchema`, so one bad node
 * does not hide the problems of the others or of the references between them.
 */
export const flowHeaderSchema = flowFileSchema.extend({
  nodes: z.record(z.string(), z.unknown()).refine((v) => Object.keys(v).length > 0, 'a flow needs at least one node'),
  schedules: z.record(z.string(), z.unknown()).default({}),
});

export type FlowFile = z.output<typeof flowFileSchema>;
export type FlowHeader = z.output<typeof flowHeaderSchema>;
export type RawSchedule = z.output<typeof scheduleSchema>;
export type RawNode = z.output<typeof nodeSchema>;

/** The keys a mapping may have at a place in the file (for "did you mean" on unknown keys). */
export function keysAllowedAt(path: readonly (string | number)[], nodeType: unknown): string[] {
  const keysOf = (s: z.ZodObject) => Object.keys(s.shape);
  if (path.length === 0) return keysOf(flowFileSchema);
  if (path.length === 1 && path[0] === 'escape') return ['key', 'to'];
  if (path.length === 1 && path[0] === 'speech') return keysOf(speechSettingsSchema(duration));
  if (path[0] === 'slots' && path.length === 2) return keysOf(slotSchema);
  if (path[0] === 'intents' && path.length === 2) return keysOf(intentSchema);
  if (path[0] === 'schedules' && path.length === 2) return keysOf(scheduleSchema);
  if (path[0] === 'nodes' && (NODE_TYPES as readonly unknown[]).includes(nodeType)) {
    if (path.length === 2) return keysOf(NODE_SCHEMAS[nodeType as FlowNodeType]);
    if (path[2] === 'validate') return ['pattern', 'luhn'];
    if (path[2] === 'conditions') return ['when', 'next'];
    if (path[2] === 'options' && nodeType === 'menu') return ['to', 'say', 'when', 'speech'];
    if (path[2] === 'questions' && nodeType === 'survey') return ['id', 'prompt', 'answer'];
    if (path[2] === 'http' && nodeType === 'lookup') return Object.keys(NODE_SCHEMAS.lookup.shape.http.unwrap().shape);
  }
  return [];
}
