import type { BinaryOperator, Expr, FunctionName } from './expression-ast.js';
import { FUNCTION_ARITY } from './expression-functions.js';
import { FlowExpressionError } from './flow-expression-error.js';
import { tokenize, type Token } from './tokenize.js';

/**
 * Parses a flow expression. Grammar, loosest binding first:
 *
 *   or         := and ('or' and)*
 *   and        := not ('and' not)*
 *   not        := 'not' not | comparison
 *   comparison := additive (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in') additive)?
 *   additive   := unary (('+' | '-') unary)*
 *   unary      := '-' unary | primary
 *   primary    := number | string | 'true' | 'false' | 'null' | name | 'vars' '.' name
 *               | function '(' (or (',' or)*)? ')' | '(' or ')' | '[' (or (',' or)*)? ']'
 *
 * Comparisons do not chain (`a < b < c` is refused) because reading it either way surprises someone.
 */
export function parseExpression(source: string): Expr {
  return new Parser(source).parseAll();
}

const COMPARISONS = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);

function describe(t: Token): string {
  if (t.kind === 'end') return 'end of expression';
  if (t.kind === 'string') return `string ${JSON.stringify(t.text)}`;
  return `'${t.text}'`;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): Expr {
    if (this.peek().kind === 'end') this.fail('Empty expression', 0);
    const expr = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(`Unexpected ${describe(t)}`, t.offset);
    return expr;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private isKeyword(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'keyword' && t.text === word;
  }

  private isOperator(op: string): boolean {
    const t = this.peek();
    return t.kind === 'operator' && t.text === op;
  }

  private expect(op: string, what: string): Token {
    const t = this.peek();
    if (t.kind !== 'operator' || t.text !== op) this.fail(`Expected '${op}' ${what}, found ${describe(t)}`, t.offset);
    return this.next();
  }

  private fail(reason: string, offset: number): never {
    throw new FlowExpressionError(reason, this.source, offset);
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      const t = this.next();
      left = { type: 'binary', op: 'or', left, right: this.parseAnd(), offset: t.offset };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isKeyword('and')) {
      const t = this.next();
      left = { type: 'binary', op: 'and', left, right: this.parseNot(), offset: t.offset };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isKeyword('not')) {
      const t = this.next();
      return { type: 'unary', op: 'not', operand: this.parseNot(), offset: t.offset };
    }
    return this.parseComparison();
  }

  private comparisonOperator(): BinaryOperator | undefined {
    const t = this.peek();
    if (t.kind === 'operator' && COMPARISONS.has(t.text)) return t.text as BinaryOperator;
    if (this.isKeyword('in')) return 'in';
    if (this.isKeyword('not') && this.isKeyword('in', 1)) return 'not in';
    return undefined;
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const op = this.comparisonOperator();
    if (!op) return left;
    const t = this.next();
    if (op === 'not in') this.next();
    const right = this.parseAdditive();
    if (this.comparisonOperator()) {
      this.fail("Comparisons cannot be chained; join them with 'and'", this.peek().offset);
    }
    return { type: 'binary', op, left, right, offset: t.offset };
  }

  private parseAdditive(): Expr {
    let left = this.parseUnary();
    while (this.isOperator('+') || this.isOperator('-')) {
      const t = this.next();
      left = { type: 'binary', op: t.text as '+' | '-', left, right: this.parseUnary(), offset: t.offset };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOperator('-')) {
      const t = this.next();
      return { type: 'unary', op: '-', operand: this.parseUnary(), offset: t.offset };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { type: 'literal', value: Number(t.text), offset: t.offset };
      case 'string':
        return { type: 'literal', value: t.text, offset: t.offset };
      case 'keyword':
        if (t.text === 'true' || t.text === 'false') return { type: 'literal', value: t.text === 'true', offset: t.offset };
        if (t.text === 'null') return { type: 'literal', value: null, offset: t.offset };
        return this.fail(`Expected a value, found ${describe(t)}`, t.offset);
      case 'identifier':
        return this.parseName(t);
      case 'operator':
        if (t.text === '(') {
          const inner = this.parseOr();
          this.expect(')', 'to close the parenthesis');
          return inner;
        }
        if (t.text === '[') return { type: 'list', items: this.parseItems(']', 'to close the list'), offset: t.offset };
        return this.fail(`Expected a value, found ${describe(t)}`, t.offset);
      case 'end':
        return this.fail('Expected a value, found end of expression', t.offset);
    }
  }

  private parseItems(close: string, what: string): Expr[] {
    const items: Expr[] = [];
    if (this.isOperator(close)) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.parseOr());
      if (this.isOperator(',')) {
        this.next();
        continue;
      }
      this.expect(close, what);
      return items;
    }
  }

  private parseName(t: Token): Expr {
    if (this.isOperator('(')) {
      const arity = Object.hasOwn(FUNCTION_ARITY, t.text) ? FUNCTION_ARITY[t.text as FunctionName] : undefined;
      if (!arity) {
        this.fail(`Unknown function '${t.text}' (known: ${Object.keys(FUNCTION_ARITY).join(', ')})`, t.offset);
      }
      this.next();
      const args = this.parseItems(')', `to close the arguments of ${t.text}()`);
      const [min, max] = arity;
      if (args.length < min || args.length > max) {
        const want = min === max ? `${min}` : `${min} to ${max}`;
        this.fail(`${t.text}() takes ${want} argument${max === 1 ? '' : 's'}, not ${args.length}`, t.offset);
      }
      return { type: 'call', name: t.text as FunctionName, args, offset: t.offset };
    }
    if (this.isOperator('.')) {
      const dot = this.next();
      if (t.text !== 'vars') this.fail(`Only vars.<name> may use a dot; '${t.text}' has no fields`, dot.offset);
      const field = this.next();
      if (field.kind !== 'identifier') this.fail(`Expected a variable name after 'vars.', found ${describe(field)}`, field.offset);
      return { type: 'variable', name: field.text, offset: t.offset };
    }
    return { type: 'variable', name: t.text, offset: t.offset };
  }
}
