import { isTruthy } from '../expr/index.js';
import type { BranchNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

export const branchNode: NodeHandler<BranchNode> = {
  type: 'branch',
  async exec(node, ctx) {
    for (const c of node.conditions) if (isTruthy(ctx.evaluate(c.when))) return c.next;
    return node.otherwise;
  },
};
