import type { TransferNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

const MAX_HEADER_VALUE = 256;

/**
 * A rendered value as a header value: control characters (CR/LF above all, which would start a new header —
 * RFC 3261 §7.3.1) become spaces, so a variable from a caller's input or a CRM cannot inject headers.
 */
export function headerValue(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_HEADER_VALUE);
}

/**
 * Connects the caller to `to`, passing the call's context as X-Switchboard-* headers. A bridged call the target
 * ended leaves the caller with the flow (`next`, e.g. a survey) or hangs up; failures take their branches.
 */
export const transferNode: NodeHandler<TransferNode> = {
  type: 'transfer',
  async exec(node, ctx) {
    const target = ctx.renderTemplate(node.to).trim();
    const headers: [string, string][] = [
      ['X-Switchboard-Call-Id', headerValue(ctx.call.id)],
      ['X-Switchboard-Flow', ctx.flow.name],
    ];
    for (const [name, value] of Object.entries(node.headers)) headers.push([`X-Switchboard-${name}`, headerValue(ctx.renderTemplate(value))]);
    // A caller who asked for a person or sounded fed up reaches the target marked urgent (RFC 3261 §20.26 Priority),
    // so a queue or agent desk can take them first.
    if (ctx.evaluate('frustrated') === true) headers.push(['Priority', 'urgent']);
    if (node.prompt.length > 0) await ctx.play(node.prompt, { bargeIn: false });
    const result = await ctx.transfer({
      target, headers, ringTimeoutMs: node.ringTimeoutMs, method: node.method, ...(node.trunk !== undefined ? { trunk: node.trunk } : {}),
    });
    ctx.outcome({
      type: 'transfer', target, method: node.method, result: result.outcome,
      ...('status' in result && result.status !== undefined ? { status: result.status } : {}),
      ...(result.outcome === 'bridged' ? { talkMs: result.talkMs } : {}),
    });
    // Keys pressed while it rang were meant for nobody; the next menu must not take them as a choice.
    if (result.outcome !== 'bridged') ctx.clearKeys();
    switch (result.outcome) {
      case 'bridged':
        ctx.stopIfCallEnded();
        return node.next ?? ctx.hangup([]);
      case 'referred':
        return ctx.hangup([]);
      case 'busy':
        return node.busy ?? node.failed;
      case 'no-answer':
        return node.noAnswer ?? node.failed;
      case 'failed':
        ctx.warn('transfer failed', { target, status: result.status, reason: result.reason });
        return node.failed;
    }
  },
};
