import { IntentMatcher, resolveSpokenDate, type RecognitionResult } from '../../speech/index.js';
import { formatZonedDate, zonedTime } from '../expr/index.js';
import {
  exampleSlots, isSpokenSlot, nluDefinition, type AskNode, type FlowDocument, type FlowSlot, type PromptPart, type SpokenFlowSlot,
} from '../schema/index.js';
import { said } from './ask-key.js';
import { attempt, confirmAnswer, failureOf, heardOf, oneKey, retryWording, type Wording } from './listen-input.js';
import type { HeardAnswer, NodeContext, NodeHandler, SpeechFailure } from './node-handler.js';

/** One matcher per ask of a loaded flow (documents are immutable, so the node object is a safe key). */
const matchers = new WeakMap<AskNode, IntentMatcher>();

function matcherFor(node: AskNode, flow: FlowDocument): IntentMatcher {
  let matcher = matchers.get(node);
  if (!matcher) {
    const intents = Object.keys(node.intents).map((name) => flow.intents[name]);
    matcher = new IntentMatcher(nluDefinition(intents, flow.slots, flow.speech.confirmBelow));
    matchers.set(node, matcher);
  }
  return matcher;
}

interface Understood {
  heard: HeardAnswer;
  intent?: string;
  slots: Record<string, string>;
  confirm: boolean;
}

/** The caller's day in the flow's timezone on the run's clock: what "tomorrow" and "next friday" count from. */
function callerToday(ctx: NodeContext): string {
  return formatZonedDate(zonedTime(ctx.now(), ctx.flow.timezone));
}

/**
 * The value stored for a slot the recognizer filled (its canonical form: digits, "--03-03", "next-friday",
 * "42.50"): dates resolved against `today`. Null when it does not fit: a day no calendar has in the year it
 * falls in, an amount above `max`, digits of the wrong length.
 */
function slotValue(slot: SpokenFlowSlot, canonical: string, today: string): string | null {
  switch (slot.type) {
    case 'digits':
      return /^\d+$/.test(canonical) && canonical.length >= slot.minLength && canonical.length <= slot.maxLength ? canonical : null;
    case 'date':
      return resolveSpokenDate(canonical, today, slot.prefer);
    case 'amount':
      return /^\d+\.\d{2}$/.test(canonical) && (slot.max === undefined || Number(canonical) <= slot.max) ? canonical : null;
  }
}

/**
 * The grammar says which intent was heard. Digits, date and amount slots come from the recognizer (the words
 * between the phrase's own, read by the speech layer's parsers), enum slots from the intent matcher; a recognizer
 * that fills no slots (a free-text engine) leaves all of them to the matcher. An intent whose every example names
 * a slot needs that slot's value, and a value that does not fit is no value: either way the answer is not
 * understood ('invalid').
 */
function understand(node: AskNode, flow: FlowDocument, result: RecognitionResult, today: string): Understood {
  const heard = heardOf('ask', result);
  const intent = result.value;
  if (result.status !== 'match' || intent === null || !Object.hasOwn(node.intents, intent)) {
    return { heard: { ...heard, failure: failureOf(result) }, slots: {}, confirm: false };
  }
  const match = matcherFor(node, flow).match(result.text, result.confidence, { today });
  const named = new Set(flow.intents[intent].examples.flatMap(exampleSlots));
  const slots: Record<string, string> = {};
  const unfit: Record<string, string> = {};
  for (const [name, slot] of Object.entries(match.slots)) if (named.has(name)) slots[name] = slot.value;
  for (const [name, canonical] of Object.entries(result.slots ?? {})) {
    const slot = flow.slots[name];
    if (!named.has(name) || !isSpokenSlot(slot)) continue;
    const value = slotValue(slot, canonical, today);
    if (value === null) {
      delete slots[name];
      unfit[name] = canonical;
    } else {
      slots[name] = value;
    }
  }
  const missing = Object.keys(unfit).length > 0 || node.requiredSlots[intent].some((name) => !Object.hasOwn(slots, name));
  const unsure = result.confidence < flow.speech.confirmBelow || match.intent !== intent || match.needsConfirmation;
  return {
    heard: { ...heard, intent, slots: { ...slots, ...unfit }, ...(missing ? { failure: 'invalid' as const } : {}) },
    intent,
    slots,
    confirm: !missing && unsure,
  };
}

/**
 * "Did you say billing?": the question when the ask names no `confirm`. A date is said as a date ("Friday,
 * December fourth, …") and an amount as money in the flow's currency, by the prompt's say-as reading.
 */
export function defaultConfirm(value: string, slot?: FlowSlot): PromptPart[] {
  const spoken = slot?.type === 'date' ? `<say-as date>${value}</say-as>`
    : slot?.type === 'amount' ? `<say-as currency>${value}</say-as>`
      : value;
  return [said(`Did you say ${spoken}?`)];
}

/** The default question for an answer: its first slot's value, else the intent's name. */
function confirmQuestion(flow: FlowDocument, answer: Understood): PromptPart[] {
  const [first] = Object.entries(answer.slots);
  return first ? defaultConfirm(first[1], flow.slots[first[0]]) : defaultConfirm(answer.intent ?? '');
}

/**
 * The values a default confirmation can name, to render at load: every value of the enum slots of the ask's
 * intents, else the intent's name. Dates and amounts are not known before they are said.
 */
export function confirmableValues(node: AskNode, flow: FlowDocument): string[] {
  const values = new Set<string>();
  for (const intent of Object.keys(node.intents)) {
    const slots = Object.hasOwn(flow.intents, intent) ? [...new Set(flow.intents[intent].examples.flatMap(exampleSlots))] : [];
    if (slots.length === 0) values.add(intent);
    for (const name of slots) {
      const slot = flow.slots[name];
      if (slot?.type === 'enum') for (const v of Object.keys(slot.values)) values.add(v);
    }
  }
  return [...values];
}

/** Without keys or speech the caller cannot answer here: the keys path, else the operator route. */
function withoutSpeech(node: AskNode, ctx: NodeContext): Promise<string> | string {
  if (node.keys !== undefined) return node.keys;
  ctx.warn('no speech input and no keys path: the ask goes to the operator route', { ask: node.id });
  return ctx.speechOperator(node.fallback);
}

/**
 * Asks a question answered by speech: one of the node's intents, its slots stored in variables named after them
 * (the canonical value "billing", digits "4112", the day "2026-12-04", the amount "42.50"). A low-confidence
 * answer is confirmed ("Did you say billing?", yes/no or keys 1/2). No match, no input, a denied confirmation or
 * a value that does not fit is a failure on the call's speech counter: the question is asked again until the
 * flow's `speech.failures`, then the call takes the operator route. A key goes to `keys` (the key waits there),
 * as does the call when it has no speech input.
 */
export const askNode: NodeHandler<AskNode> = {
  type: 'ask',
  async exec(node, ctx) {
    let before: Wording | undefined;
    for (;;) {
      const r = await ctx.listen({
        prompts: attempt(before, node.prompt), grammar: node.grammar, timeoutMs: node.timeoutMs, bargeIn: node.bargeIn,
        ...(node.keys === undefined ? { keys: oneKey(node.timeoutMs) } : {}),
      });
      if (r.kind === 'unavailable') return withoutSpeech(node, ctx);
      let failure: SpeechFailure;
      let wording: Wording | undefined;
      if (r.kind === 'keys') {
        if (node.keys !== undefined) return node.keys;
        const key = r.keys?.digits ?? '';
        if (key !== '' && key === ctx.escapeKey) ctx.escape();
        failure = 'invalid';
        wording = 'invalidChoice';
      } else {
        const answer = understand(node, ctx.flow, r.result, callerToday(ctx));
        ctx.heard(answer.heard);
        let outcome: SpeechFailure | 'yes' = answer.heard.failure ?? 'yes';
        if (outcome === 'yes' && answer.confirm) {
          const confirmed = await confirmAnswer(ctx, {
            prompt: node.confirm ?? confirmQuestion(ctx.flow, answer), timeoutMs: node.timeoutMs, bargeIn: node.bargeIn,
            variables: answer.slots,
          });
          if (confirmed === 'unavailable') return withoutSpeech(node, ctx);
          outcome = confirmed;
        }
        if (outcome === 'yes' && answer.intent !== undefined) {
          for (const [name, value] of Object.entries(answer.slots)) ctx.setVariable(name, value);
          return node.intents[answer.intent];
        }
        failure = outcome === 'yes' ? 'no-match' : outcome;
      }
      if (ctx.speechFailed(failure)) return ctx.speechOperator(node.fallback);
      before = wording ?? retryWording(failure, {
        ...(node.retryPrompt ? { retry: node.retryPrompt } : {}), ...(node.noInputPrompt ? { noInput: node.noInputPrompt } : {}),
      });
    }
  },
};
