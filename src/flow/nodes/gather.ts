import type { CollectDigitsOptions } from '../../call/index.js';
import type { GatherNode } from '../schema/index.js';
import { attempt, failureOf, heardOf, oneKey, retryWording, type Wording } from './listen-input.js';
import { passesLuhn } from './luhn.js';
import type { NodeHandler, SpeechFailure } from './node-handler.js';

/** Stands for a key that is not an answer (in a speech-only gather): an invalid entry, never a valid one. */
const INVALID = 'invalid';

const patterns = new Map<string, RegExp>();

function anchored(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    patterns.set(pattern, re);
  }
  return re;
}

/** Whether gathered digits are acceptable: at least minDigits, the whole input matching `pattern`, Luhn if asked. */
export function isValidEntry(node: Pick<GatherNode, 'minDigits' | 'validate'>, digits: string): boolean {
  if (digits.length < node.minDigits) return false;
  if (node.validate?.pattern !== undefined && !anchored(node.validate.pattern).test(digits)) return false;
  return !node.validate?.luhn || passesLuhn(digits);
}

/**
 * Collects digits into `into`. Keys typed before the prompt are dropped (they were meant for an earlier menu).
 * The escape key is an ordinary digit here, except when it is the whole of an input that is not valid:
 * "0" alone leaves an account-number prompt, "1023" is an account number.
 *
 * With `input: speech` or `both` the digits may be spoken ("four one one two"); they go through the same checks.
 * An answer not understood, not valid, or none counts as a try and on the call's speech failure counter. Keys
 * still work in `both` (in `speech` only the escape key does); a call with no speech input gets a keys gather.
 */
export const gatherNode: NodeHandler<GatherNode> = {
  type: 'gather',
  async exec(node, ctx) {
    ctx.clearKeys();
    let failures = 0;
    let before: Wording | undefined;
    let speech = node.input !== 'dtmf';
    const keys: CollectDigitsOptions = {
      maxDigits: node.maxDigits, terminators: node.terminator ?? '', firstDigitTimeoutMs: node.timeoutMs,
      interDigitTimeoutMs: node.interDigitTimeoutMs,
    };
    for (;;) {
      let digits: string;
      if (speech) {
        const r = await ctx.listen({
          prompts: attempt(before, node.prompt), grammar: { kind: 'digits', minLength: node.minDigits, maxLength: node.maxDigits },
          timeoutMs: node.timeoutMs, bargeIn: node.bargeIn, keys: node.input === 'both' ? keys : oneKey(node.timeoutMs),
          sensitive: node.sensitive,
        });
        if (r.kind === 'unavailable') {
          speech = false;
          continue;
        }
        if (r.kind === 'speech') {
          const { result } = r;
          const spoken = result.status === 'match' && result.value !== null && /^\d+$/.test(result.value) ? result.value : undefined;
          const valid = spoken !== undefined && isValidEntry(node, spoken);
          const failure: SpeechFailure | undefined = valid ? undefined : result.status === 'match' ? 'invalid' : failureOf(result);
          ctx.heard({ ...heardOf('gather', result), sensitive: node.sensitive, ...(failure ? { failure } : {}) });
          if (spoken !== undefined && failure === undefined) {
            ctx.setVariable(node.into, spoken, { sensitive: node.sensitive });
            return node.next;
          }
          failures++;
          if (ctx.speechFailed(failure ?? 'no-match')) return ctx.speechOperator(node.fallback);
          if (failures > node.retries) return ctx.exhausted(node.fallback);
          before = retryWording(failure ?? 'no-match', {
            ...(node.invalidPrompt ? { retry: node.invalidPrompt } : {}), ...(node.noInputPrompt ? { noInput: node.noInputPrompt } : {}),
            invalid: node.invalidPrompt ?? 'invalidEntry',
          });
          continue;
        }
        digits = r.keys?.digits ?? '';
        if (node.input === 'speech' && digits !== '' && digits !== ctx.escapeKey) digits = INVALID;
      } else {
        if (before) await ctx.play(before, { bargeIn: node.bargeIn });
        await ctx.play(node.prompt, { bargeIn: node.bargeIn });
        digits = (await ctx.collect(keys, { sensitive: node.sensitive })).digits;
      }
      if (digits !== '' && digits !== INVALID && isValidEntry(node, digits)) {
        ctx.setVariable(node.into, digits, { sensitive: node.sensitive });
        return node.next;
      }
      if (digits !== '' && digits === ctx.escapeKey) ctx.escape();
      failures++;
      if (failures > node.retries) return ctx.exhausted(node.fallback);
      before = digits === '' ? node.noInputPrompt ?? 'noInput' : node.invalidPrompt ?? 'invalidEntry';
    }
  },
};
