import { SwitchboardError } from '../../common/index.js';
import type { BinaryOperator, Expr, Value } from './expression-ast.js';
import { FUNCTIONS } from './expression-functions.js';
import type { ExpressionScope } from './expression-scope.js';
import { FlowExpressionError } from './flow-expression-error.js';
import { ValueError, add, compareValues, contains, isTruthy, toNumber, valuesEqual } from './values.js';

/**
 * Evaluates a parsed expression. `and`/`or` short-circuit and give booleans; a variable that is not set reads as
 * null. A type problem (`"abc" - 1`, an unknown schedule) throws FlowExpressionError at the offending node's
 * offset; pass the expression's `source` so the message can quote it.
 */
export function evaluate(expr: Expr, scope: ExpressionScope, source = ''): Value {
  return evaluateNode(expr, scope, source);
}

function evaluateNode(expr: Expr, scope: ExpressionScope, source: string): Value {
  const sub = (e: Expr): Value => evaluateNode(e, scope, source);
  try {
    switch (expr.type) {
      case 'literal':
        return expr.value;
      case 'variable':
        return scope.variable(expr.name) ?? null;
      case 'list':
        return expr.items.map(sub);
      case 'unary':
        return expr.op === 'not' ? !isTruthy(sub(expr.operand)) : -toNumber(sub(expr.operand), "'-'");
      case 'call':
        return FUNCTIONS[expr.name](expr.args.map(sub), scope);
      case 'binary':
        return binary(expr.op, expr.left, expr.right, sub);
    }
  } catch (e) {
    if (e instanceof ValueError || (e instanceof SwitchboardError && !(e instanceof FlowExpressionError))) {
      throw new FlowExpressionError(e.message, source, expr.offset);
    }
    throw e;
  }
}

function binary(op: BinaryOperator, l: Expr, r: Expr, sub: (e: Expr) => Value): Value {
  if (op === 'and') return isTruthy(sub(l)) && isTruthy(sub(r));
  if (op === 'or') return isTruthy(sub(l)) || isTruthy(sub(r));
  const left = sub(l);
  const right = sub(r);
  switch (op) {
    case '==': return valuesEqual(left, right);
    case '!=': return !valuesEqual(left, right);
    case '<': return compareValues(left, right, op) < 0;
    case '<=': return compareValues(left, right, op) <= 0;
    case '>': return compareValues(left, right, op) > 0;
    case '>=': return compareValues(left, right, op) >= 0;
    case 'in': return contains(right, left);
    case 'not in': return !contains(right, left);
    case '+': return add(left, right);
    case '-': return toNumber(left, "'-'") - toNumber(right, "'-'");
  }
}
