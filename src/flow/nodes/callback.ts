import type { CallbackNode } from '../schema/index.js';
import { askKey, said } from './ask-key.js';
import type { NodeContext, NodeHandler } from './node-handler.js';

/** A caller ID we can offer to call back: a plain phone number, not a SIP user name. */
const DIALLABLE = /^\+?[0-9]{4,15}$/;
const MIN_NUMBER_DIGITS = 4;
const MAX_NUMBER_DIGITS = 15;
const INTER_DIGIT_TIMEOUT_MS = 3000;

/**
 * Takes a callback request: the caller's number (their caller ID, confirmed with 1, or keyed in after 2), then a
 * time window if the node offers any. The request is committed before the caller is thanked.
 */
export const callbackNode: NodeHandler<CallbackNode> = {
  type: 'callback',
  async exec(node, ctx) {
    const asking = { timeoutMs: node.timeoutMs, retries: node.retries };
    if (node.prompt.length > 0) await ctx.play(node.prompt, { escapeOnKey: true });
    let number: string | undefined;
    const callerId = ctx.call.callerId;
    if (DIALLABLE.test(callerId)) {
      const question = said(`We can call you back on <say-as phone>${callerId}</say-as>. To use this number, press 1. To enter a different number, press 2.`);
      const choice = await askKey(ctx, [question], '12', asking);
      if (choice === undefined) return ctx.exhausted(node.fallback);
      if (choice === '1') number = callerId;
    }
    if (number === undefined) {
      number = await askNumber(ctx, node);
      if (number === undefined) return ctx.exhausted(node.fallback);
    }
    let window: string | undefined;
    if (node.windows.length > 0) {
      const keys = node.windows.map((_, i) => String(i + 1)).join('');
      const choices = node.windows.map((w, i) => said(`For ${w}, press ${i + 1}.`));
      const choice = await askKey(ctx, [said(WHEN), ...choices], keys, asking);
      if (choice === undefined) return ctx.exhausted(node.fallback);
      window = node.windows[Number(choice) - 1];
    }
    const webhook = node.webhook !== undefined ? ctx.renderTemplate(node.webhook, encodeURIComponent) : undefined;
    const id = await ctx.storage.saveCallback({
      callId: ctx.call.id, flow: ctx.flow.name, queue: node.queue, callerId, number, requestedAtMs: ctx.now(),
      ...(window !== undefined ? { window } : {}), ...(webhook !== undefined ? { webhook } : {}),
    });
    ctx.outcome({ type: 'callback', id, queue: node.queue, number, ...(window !== undefined ? { window } : {}) });
    const saved = node.savedPrompt
      ?? [said(`Thank you. We will call you back on <say-as phone>${number}</say-as>${window !== undefined ? `, ${window}` : ''}.`)];
    await ctx.play(saved, { bargeIn: false });
    return node.next ?? ctx.hangup('goodbye');
  },
};

const WHEN = 'When should we call you?';

async function askNumber(ctx: NodeContext, node: CallbackNode): Promise<string | undefined> {
  ctx.clearKeys();
  for (let attempt = 0; ; attempt++) {
    await ctx.play('enterCallbackNumber');
    const { digits } = await ctx.collect({
      maxDigits: MAX_NUMBER_DIGITS, terminators: '#', firstDigitTimeoutMs: node.timeoutMs, interDigitTimeoutMs: INTER_DIGIT_TIMEOUT_MS,
    });
    if (/^[0-9]+$/.test(digits) && digits.length >= MIN_NUMBER_DIGITS) return digits;
    if (digits !== '' && digits === ctx.escapeKey) ctx.escape();
    if (attempt >= node.retries) return undefined;
    await ctx.play(digits === '' ? 'noInput' : 'invalidEntry');
  }
}
