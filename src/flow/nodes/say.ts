import type { SayNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

/** Speaks its prompt; a key pressed during it stays for the next menu, unless it is the escape key. */
export const sayNode: NodeHandler<SayNode> = {
  type: 'say',
  async exec(node, ctx) {
    await ctx.play(node.prompt, { bargeIn: node.bargeIn, escapeOnKey: true });
    return node.next;
  },
};
