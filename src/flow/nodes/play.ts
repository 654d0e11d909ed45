import type { PlayNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

/** Plays recorded audio (the loader puts `file:` into `prompt`); keys behave as in `say`. */
export const playNode: NodeHandler<PlayNode> = {
  type: 'play',
  async exec(node, ctx) {
    await ctx.play(node.prompt, { bargeIn: node.bargeIn, escapeOnKey: true });
    return node.next;
  },
};
