import type { CollectDigitsOptions } from '../../call/index.js';
import type { RecognitionResult } from '../../speech/index.js';
import type { Value } from '../expr/index.js';
import type { PromptPart } from '../schema/index.js';
import type { DefaultWording, HeardAnswer, NodeContext, SpeechFailure } from './node-handler.js';

/** What the ask, menu and gather nodes share when they listen for speech. */

export type Wording = readonly PromptPart[] | DefaultWording;

/** The prompts of one attempt: what is said before asking again, then the question. */
export function attempt(before: Wording | undefined, question: Wording): Wording[] {
  return before === undefined ? [question] : [before, question];
}

/** One key, for listens where any key is a complete answer (a confirmation, a key that is not an answer). */
export function oneKey(timeoutMs: number): CollectDigitsOptions {
  return { maxDigits: 1, firstDigitTimeoutMs: timeoutMs };
}

/** A recognition that was not a match, as a failure. */
export function failureOf(result: RecognitionResult): SpeechFailure {
  return result.status === 'no-input' ? 'no-input' : 'no-match';
}

/** The transcript entry of a recognition, before the node adds what it made of it. */
export function heardOf(kind: HeardAnswer['kind'], result: RecognitionResult): HeardAnswer {
  return { kind, status: result.status, text: result.text, value: result.value, confidence: result.confidence };
}

/** What is said before asking again after a failed answer. */
export function retryWording(failure: SpeechFailure, prompts: { retry?: Wording; noInput?: Wording; invalid?: Wording }): Wording {
  switch (failure) {
    case 'no-input': return prompts.noInput ?? 'noInput';
    case 'denied': return 'tryAgain';
    case 'invalid': return prompts.invalid ?? prompts.retry ?? 'notUnderstood';
    case 'no-match': return prompts.retry ?? 'notUnderstood';
  }
}

export interface ConfirmOptions {
  prompt: readonly PromptPart[];
  timeoutMs: number;
  bargeIn: boolean;
  /** The answer being confirmed, readable by the prompt's templates. */
  variables: Readonly<Record<string, Value>>;
}

/**
 * Asks a yes/no confirmation once: yes (or key 1) → 'yes'; no (or key 2) → 'denied'; anything else is the failure it
 * is. The escape key escapes. 'unavailable' when speech went away meanwhile.
 */
export async function confirmAnswer(ctx: NodeContext, options: ConfirmOptions): Promise<'yes' | 'unavailable' | SpeechFailure> {
  const r = await ctx.listen({
    prompts: [options.prompt], grammar: { kind: 'yes-no' }, timeoutMs: options.timeoutMs, bargeIn: options.bargeIn,
    keys: oneKey(options.timeoutMs), variables: options.variables,
  });
  if (r.kind === 'unavailable') return 'unavailable';
  if (r.kind === 'keys') {
    const key = r.keys?.digits ?? '';
    if (key === '1') return 'yes';
    if (key === '2') return 'denied';
    if (key !== '' && key === ctx.escapeKey) ctx.escape();
    return key === '' ? 'no-input' : 'invalid';
  }
  const { result } = r;
  const outcome = result.status !== 'match' ? failureOf(result) : result.value === 'yes' ? 'yes' : 'denied';
  ctx.heard({ ...heardOf('confirm', result), ...(outcome === 'yes' ? {} : { failure: outcome }) });
  return outcome;
}
