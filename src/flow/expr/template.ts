import type { Expr } from './expression-ast.js';
import { evaluate } from './evaluate.js';
import type { ExpressionScope } from './expression-scope.js';
import { FlowExpressionError } from './flow-expression-error.js';
import { parseExpression } from './parse-expression.js';
import { valueToText } from './values.js';
import { variablesOf } from './variables-of.js';

export type TemplatePart =
  | { kind: 'text'; text: string }
  /** `offset` is where the expression's own text starts inside the template. */
  | { kind: 'expression'; source: string; expr: Expr; offset: number };

/** Prompt text with `{{ expression }}` holes. */
export interface Template {
  source: string;
  parts: TemplatePart[];
}

export interface RenderTemplateOptions {
  /**
   * Turns each inserted value's text into what goes into the output. Prompts pass one that neutralises markup,
   * so a caller-controlled value (a caller ID) cannot smuggle `<break …/>` tags into speech.
   */
  format?: (text: string) => string;
}

/** Parses "You entered {{ entered }}." Errors carry the offset inside the whole template. */
export function parseTemplate(source: string): Template {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (!source.startsWith('{{', i)) {
      text += source[i++];
      continue;
    }
    const innerStart = i + 2;
    const close = findClose(source, innerStart);
    if (close < 0) throw new FlowExpressionError("Unclosed '{{'", source, i);
    const inner = source.slice(innerStart, close);
    let expr: Expr;
    try {
      expr = parseExpression(inner);
    } catch (e) {
      if (e instanceof FlowExpressionError) {
        throw new FlowExpressionError(e.reason, source, innerStart + (inner.trim() === '' ? 0 : e.offset));
      }
      throw e;
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'expression', source: inner, expr, offset: innerStart });
    i = close + 2;
  }
  if (text) parts.push({ kind: 'text', text });
  return { source, parts };
}

/** The `}}` closing a hole, skipping quoted strings so `{{ "}}" }}` works; -1 if none. */
function findClose(source: string, from: number): number {
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '}' && source[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

export function renderTemplate(template: Template, scope: ExpressionScope, options: RenderTemplateOptions = {}): string {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    let text: string;
    try {
      text = valueToText(evaluate(part.expr, scope, part.source));
    } catch (e) {
      if (e instanceof FlowExpressionError) throw new FlowExpressionError(e.reason, template.source, part.offset + e.offset);
      throw e;
    }
    out += options.format ? options.format(text) : text;
  }
  return out;
}

/** True when the template has no holes: it renders the same for every call, so it can be synthesized at load. */
export function isStaticTemplate(template: Template): boolean {
  return template.parts.every((p) => p.kind === 'text');
}

export function templateVariables(template: Template): string[] {
  const names = new Set<string>();
  for (const p of template.parts) if (p.kind === 'expression') for (const n of variablesOf(p.expr)) names.add(n);
  return [...names];
}
