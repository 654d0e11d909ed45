import { isTruthy } from '../expr/index.js';
import { optionLabelPrompt, type MenuNode, type PromptPart } from '../schema/index.js';
import type { DefaultWording, NodeContext, NodeHandler } from './node-handler.js';

/** The options offered now (their `when` holds), and the prompt: `prompt` then the labels of those options. */
function offer(node: MenuNode, ctx: NodeContext): { keys: Set<string>; prompt: PromptPart[] } {
  const keys = new Set<string>();
  const prompt: PromptPart[] = [...node.prompt];
  for (const key of Object.keys(node.options)) {
    const when = node.optionConditions[key];
    if (when !== undefined && !isTruthy(ctx.evaluate(when))) continue;
    keys.add(key);
    const label = node.optionLabels[key];
    if (label) prompt.push(...optionLabelPrompt(label, key));
  }
  return { keys, prompt };
}

/**
 * Offers the prompt and waits `timeoutMs` for one key. A key is looked up in this order — the menu's own
 * `options` first, so a menu that defines "0" keeps it even when "0" is the flow's escape key:
 *   options → repeatKey (plays the prompt again; not a failure) → backKey (the previous menu) → escape key.
 * Anything else is invalid: invalidPrompt, then the prompt again; no key: noInputPrompt, then the prompt again.
 * After `retries` such failures the call goes to `fallback` (or the escape target, or a goodbye and hangup).
 * Options with a `when` are offered only while it holds (checked on entry); a menu left with no option at all
 * goes straight to its fallback.
 */
export const menuNode: NodeHandler<MenuNode> = {
  type: 'menu',
  async exec(node, ctx) {
    let failures = 0;
    let before: readonly PromptPart[] | DefaultWording | undefined;
    const offered = offer(node, ctx);
    if (offered.keys.size === 0) {
      ctx.warn('menu has no option to offer', { menu: node.id });
      return ctx.exhausted(node.fallback);
    }
    for (;;) {
      if (before) await ctx.play(before, { bargeIn: node.bargeIn });
      before = undefined;
      await ctx.play(offered.prompt, { bargeIn: node.bargeIn });
      const { digits: key } = await ctx.collect({ maxDigits: 1, firstDigitTimeoutMs: node.timeoutMs });
      if (key !== '') {
        if (offered.keys.has(key)) return node.options[key];
        if (key === node.repeatKey) continue;
        if (key === node.backKey) {
          const previous = ctx.back();
          if (previous !== undefined) return previous;
        }
        if (key === ctx.escapeKey) ctx.escape();
      }
      failures++;
      if (failures > node.retries) return ctx.exhausted(node.fallback);
      before = key === '' ? node.noInputPrompt ?? 'noInput' : node.invalidPrompt ?? 'invalidChoice';
    }
  },
};
