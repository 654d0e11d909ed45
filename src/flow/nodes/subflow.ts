import type { SubflowNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

/** Runs the other flow until one of its paths ends, then carries on here; its variables are the call's. */
export const subflowNode: NodeHandler<SubflowNode> = {
  type: 'subflow',
  async exec(node, ctx) {
    await ctx.runSubflow(node.flow);
    return node.next;
  },
};
