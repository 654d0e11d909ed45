import type { Expr } from './expression-ast.js';

function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.type) {
    case 'list':
      for (const item of expr.items) walk(item, visit);
      break;
    case 'unary':
      walk(expr.operand, visit);
      break;
    case 'binary':
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case 'call':
      for (const arg of expr.args) walk(arg, visit);
      break;
    case 'literal':
    case 'variable':
      break;
  }
}

/** The variables an expression reads, first use first (`vars.x` is `x`), for the linter's unset-variable check. */
export function variablesOf(expr: Expr): string[] {
  const names = new Set<string>();
  walk(expr, (e) => {
    if (e.type === 'variable') names.add(e.name);
  });
  return [...names];
}

/** The schedules `open("…")` names with a literal, for the linter's unknown-schedule check. */
export function schedulesOf(expr: Expr): string[] {
  const names = new Set<string>();
  walk(expr, (e) => {
    if (e.type === 'call' && e.name === 'open' && e.args[0]?.type === 'literal' && typeof e.args[0].value === 'string') {
      names.add(e.args[0].value);
    }
  });
  return [...names];
}
