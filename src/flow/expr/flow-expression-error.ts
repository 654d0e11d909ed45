import { SwitchboardError } from '../../common/index.js';

/**
 * A flow expression or template that cannot be parsed, or whose evaluation failed. `offset` is the 0-based
 * character offset in `source` where the problem is, so the linter can turn it into a line and column.
 * `source` is empty when an evaluation error was raised without the expression's text.
 */
export class FlowExpressionError extends SwitchboardError {
  constructor(readonly reason: string, readonly source: string, readonly offset: number) {
    super('SWB_ERR_FLOW_EXPRESSION', `${reason} at offset ${offset}${source ? ` in ${JSON.stringify(source)}` : ''}`);
    this.name = 'FlowExpressionError';
  }
}
