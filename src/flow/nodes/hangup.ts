import type { HangupNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

/** The goodbye is played without barge-in: a caller pressing keys should still hear why the call ends. */
export const hangupNode: NodeHandler<HangupNode> = {
  type: 'hangup',
  async exec(node, ctx) {
    return ctx.hangup(node.prompt);
  },
};
