import type { SetNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

/** Evaluates `values` in file order, so a later value may read an earlier one. */
export const setNode: NodeHandler<SetNode> = {
  type: 'set',
  async exec(node, ctx) {
    for (const [name, source] of Object.entries(node.values)) ctx.setVariable(name, ctx.evaluate(source));
    return node.next;
  },
};
