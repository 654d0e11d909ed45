import type { GatherNode, PromptPart } from '../schema/index.js';
import { passesLuhn } from './luhn.js';
import type { DefaultWording, NodeHandler } from './node-handler.js';

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
 */
export const gatherNode: NodeHandler<GatherNode> = {
  type: 'gather',
  async exec(node, ctx) {
    ctx.clearKeys();
    let failures = 0;
    let before: readonly PromptPart[] | DefaultWording | undefined;
    for (;;) {
      if (before) await ctx.play(before, { bargeIn: node.bargeIn });
      await ctx.play(node.prompt, { bargeIn: node.bargeIn });
      const { digits } = await ctx.collect(
        {
          maxDigits: node.maxDigits, terminators: node.terminator ?? '', firstDigitTimeoutMs: node.timeoutMs,
          interDigitTimeoutMs: node.interDigitTimeoutMs,
        },
        { sensitive: node.sensitive },
      );
      if (digits !== '' && isValidEntry(node, digits)) {
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
