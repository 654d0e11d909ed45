import { FlowExpressionError, parseExpression, type Expr } from '../expr/index.js';

/** What the loader and linter need to know about one expression. Offsets are into the expression source. */
export interface ExpressionFacts {
  /** Variables read, each use once (`vars.x` is reported as `x`). */
  variables: { name: string; offset: number }[];
  /** Schedules named by `open("name")` with a literal name; the offset is the literal's. */
  schedules: { name: string; offset: number }[];
}

export type ExpressionCheck =
  | { ok: true; facts: ExpressionFacts }
  | { ok: false; offset: number; message: string };

function walk(e: Expr, facts: ExpressionFacts): void {
  switch (e.type) {
    case 'variable':
      facts.variables.push({ name: e.name, offset: e.offset });
      return;
    case 'list':
      for (const item of e.items) walk(item, facts);
      return;
    case 'unary':
      walk(e.operand, facts);
      return;
    case 'binary':
      walk(e.left, facts);
      walk(e.right, facts);
      return;
    case 'call': {
      const arg = e.args[0];
      if (e.name === 'open' && arg?.type === 'literal' && typeof arg.value === 'string') {
        facts.schedules.push({ name: arg.value, offset: arg.offset });
      }
      for (const a of e.args) walk(a, facts);
      return;
    }
    case 'literal':
      return;
  }
}

/** Parses an expression with the runtime's own parser (src/flow/expr) and lists what it reads. Never throws. */
export function checkExpression(source: string): ExpressionCheck {
  let expr: Expr;
  try {
    expr = parseExpression(source);
  } catch (e) {
    if (e instanceof FlowExpressionError) return { ok: false, offset: e.offset, message: e.reason };
    throw e;
  }
  const facts: ExpressionFacts = { variables: [], schedules: [] };
  walk(expr, facts);
  return { ok: true, facts };
}
