import type { GotoNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

export const gotoNode: NodeHandler<GotoNode> = {
  type: 'goto',
  async exec(node) {
    return node.next;
  },
};
