import type { PromptPart } from '../schema/index.js';
import type { NodeContext } from './node-handler.js';

export interface AskKeyOptions {
  timeoutMs: number;
  /** Times the question is asked again after no or an unlisted key. */
  retries: number;
}

/**
 * Plays `prompt` and waits for one of `keys`. No key or another key: the runtime's noInput/invalidChoice wording,
 * then the question again, at most `retries` times; undefined when they run out. The escape key (when it is not
 * one of `keys`) takes the escape.
 */
export async function askKey(ctx: NodeContext, prompt: readonly PromptPart[], keys: string, options: AskKeyOptions): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    await ctx.play(prompt);
    const { digits: key } = await ctx.collect({ maxDigits: 1, firstDigitTimeoutMs: options.timeoutMs });
    if (key !== '' && keys.includes(key)) return key;
    if (key !== '' && key === ctx.escapeKey) ctx.escape();
    if (attempt >= options.retries) return undefined;
    await ctx.play(key === '' ? 'noInput' : 'invalidChoice');
  }
}

/** A said prompt part from runtime-made text (values in it come from the flow file or are digits). */
export function said(text: string): PromptPart {
  return { kind: 'say', text };
}
