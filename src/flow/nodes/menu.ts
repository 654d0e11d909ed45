import type { MenuNode, PromptPart } from '../schema/index.js';
import type { DefaultWording, NodeHandler } from './node-handler.js';

/**
 * Offers the prompt and waits `timeoutMs` for one key. A key is looked up in this order — the menu's own
 * `options` first, so a menu that defines "0" keeps it even when "0" is the flow's escape key:
 *   options → repeatKey (plays the prompt again; not a failure) → backKey (the previous menu) → escape key.
 * Anything else is invalid: invalidPrompt, then the prompt again; no key: noInputPrompt, then the prompt again.
 * After `retries` such failures the call goes to `fallback` (or the escape target, or a goodbye and hangup).
 */
export const menuNode: NodeHandler<MenuNode> = {
  type: 'menu',
  async exec(node, ctx) {
    let failures = 0;
    let before: readonly PromptPart[] | DefaultWording | undefined;
    for (;;) {
      if (before) await ctx.play(before, { bargeIn: node.bargeIn });
      before = undefined;
      await ctx.play(node.prompt, { bargeIn: node.bargeIn });
      const { digits: key } = await ctx.collect({ maxDigits: 1, firstDigitTimeoutMs: node.timeoutMs });
      if (key !== '') {
        if (Object.hasOwn(node.options, key)) return node.options[key];
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
