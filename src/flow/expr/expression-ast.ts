/**
 * The syntax tree of a flow expression (docs/flows.md, "Durations and expressions"). Every node keeps an offset
 * in the source so evaluation errors point at the right place: a binary node's is its operator's, the others'
 * their first character's.
 */

/** A value an expression computes. Lists only come from list literals (`in [ … ]`). */
export type Value = string | number | boolean | null | readonly Value[];

export type BinaryOperator = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | '+' | '-';

export type UnaryOperator = 'not' | '-';

export type FunctionName =
  | 'hour' | 'minute' | 'weekday' | 'date' | 'open' | 'len' | 'startsWith' | 'lower' | 'upper';

export type Expr =
  | { type: 'literal'; value: Value; offset: number }
  /** `vars.x` is stored as `x`: both spellings name the same variable. */
  | { type: 'variable'; name: string; offset: number }
  | { type: 'list'; items: Expr[]; offset: number }
  | { type: 'unary'; op: UnaryOperator; operand: Expr; offset: number }
  | { type: 'binary'; op: BinaryOperator; left: Expr; right: Expr; offset: number }
  | { type: 'call'; name: FunctionName; args: Expr[]; offset: number };
