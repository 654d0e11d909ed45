import type { OptionsGrammar } from '../../speech/index.js';
import { isTruthy } from '../expr/index.js';
import { menuOptionLabel, type MenuNode, type PromptPart } from '../schema/index.js';
import { attempt, failureOf, heardOf, retryWording, type Wording } from './listen-input.js';
import type { NodeContext, NodeHandler } from './node-handler.js';

interface Offer {
  keys: Set<string>;
  /** `prompt` then the labels of the options offered, worded for keys. */
  prompt: PromptPart[];
  /** The same worded for the menu's input ("say billing", "say billing or press 1"). */
  speechPrompt: PromptPart[];
  grammar: OptionsGrammar;
}

/** The options offered now (their `when` holds), their prompts, and what can be said for them. */
function offer(node: MenuNode, ctx: NodeContext): Offer {
  const keys = new Set<string>();
  const prompt: PromptPart[] = [...node.prompt];
  const speechPrompt: PromptPart[] = [...node.prompt];
  for (const key of Object.keys(node.options)) {
    const when = node.optionConditions[key];
    if (when !== undefined && !isTruthy(ctx.evaluate(when))) continue;
    keys.add(key);
    prompt.push(...(menuOptionLabel(node, key, false) ?? []));
    speechPrompt.push(...(menuOptionLabel(node, key, true) ?? []));
  }
  const options = [...keys].map((key) => ({ value: key, phrases: node.optionPhrases[key] ?? [] }));
  return { keys, prompt, speechPrompt, grammar: { kind: 'options', options } };
}

/** A key's meaning: the node it leads to, 'repeat', or undefined for an invalid key. The escape key escapes. */
function chosen(node: MenuNode, offered: Offer, key: string, ctx: NodeContext, keysAreOptions: boolean): string | 'repeat' | undefined {
  if (keysAreOptions) {
    if (offered.keys.has(key)) return node.options[key];
    if (key === node.repeatKey) return 'repeat';
    if (key === node.backKey) {
      const previous = ctx.back();
      if (previous !== undefined) return previous;
    }
  }
  if (key === ctx.escapeKey) ctx.escape();
  return undefined;
}

/**
 * Offers the prompt and waits `timeoutMs` for one key. A key is looked up in this order — the menu's own
 * `options` first, so a menu that defines "0" keeps it even when "0" is the flow's escape key:
 *   options → repeatKey (plays the prompt again; not a failure) → backKey (the previous menu) → escape key.
 * Anything else is invalid: invalidPrompt, then the prompt again; no key: noInputPrompt, then the prompt again.
 * After `retries` such failures the call goes to `fallback` (or the escape target, or a goodbye and hangup).
 * Options with a `when` are offered only while it holds (checked on entry); a menu left with no option at all
 * goes straight to its fallback.
 *
 * With `input: speech` or `both` the menu listens for the options' phrases while the prompt plays; keys still
 * choose in `both` (in `speech` only the escape key works). An answer not understood, or none, counts as a try
 * and on the call's speech failure counter too (which may send the call to the operator route first). A call
 * with no speech input gets the menu as a DTMF menu.
 */
export const menuNode: NodeHandler<MenuNode> = {
  type: 'menu',
  async exec(node, ctx) {
    let failures = 0;
    let before: Wording | undefined;
    let speech = node.input !== 'dtmf';
    const offered = offer(node, ctx);
    if (offered.keys.size === 0) {
      ctx.warn('menu has no option to offer', { menu: node.id });
      return ctx.exhausted(node.fallback);
    }
    for (;;) {
      let key: string;
      if (speech) {
        const r = await ctx.listen({
          prompts: attempt(before, offered.speechPrompt), grammar: offered.grammar, timeoutMs: node.timeoutMs,
          bargeIn: node.bargeIn, keys: { maxDigits: 1, firstDigitTimeoutMs: node.timeoutMs },
        });
        if (r.kind === 'unavailable') {
          speech = false;
          continue;
        }
        before = undefined;
        if (r.kind === 'speech') {
          const { result } = r;
          if (result.status === 'match' && result.value !== null && offered.keys.has(result.value)) {
            ctx.heard(heardOf('menu', result));
            return node.options[result.value];
          }
          const failure = failureOf(result);
          ctx.heard({ ...heardOf('menu', result), failure });
          failures++;
          if (ctx.speechFailed(failure)) return ctx.speechOperator(node.fallback);
          if (failures > node.retries) return ctx.exhausted(node.fallback);
          before = retryWording(failure, {
            ...(node.invalidPrompt ? { retry: node.invalidPrompt } : {}), ...(node.noInputPrompt ? { noInput: node.noInputPrompt } : {}),
          });
          continue;
        }
        key = r.keys?.digits ?? '';
      } else {
        if (before) await ctx.play(before, { bargeIn: node.bargeIn });
        before = undefined;
        await ctx.play(offered.prompt, { bargeIn: node.bargeIn });
        key = (await ctx.collect({ maxDigits: 1, firstDigitTimeoutMs: node.timeoutMs })).digits;
      }
      if (key !== '') {
        const next = chosen(node, offered, key, ctx, !speech || node.input === 'both');
        if (next === 'repeat') continue;
        if (next !== undefined) return next;
      }
      failures++;
      if (failures > node.retries) return ctx.exhausted(node.fallback);
      before = key === '' ? node.noInputPrompt ?? 'noInput' : node.invalidPrompt ?? 'invalidChoice';
    }
  },
};
