import { valueToText } from '../expr/index.js';
import type { SwitchNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

/** Looks the value up by its text, so `2` and `"2"` pick the same case (YAML keys are text). */
export const switchNode: NodeHandler<SwitchNode> = {
  type: 'switch',
  async exec(node, ctx) {
    const key = valueToText(ctx.evaluate(node.value));
    return Object.hasOwn(node.cases, key) ? node.cases[key] : node.default;
  },
};
