import type { Value } from './expression-ast.js';

/**
 * Value semantics. Keys arrive as strings ("1234"), so comparisons treat a number and a decimal string alike
 * (`entered == 1234`, `entered < 100`); `+` joins text whenever either side is text, because joining
 * ("+44" + entered) is what prompts and numbers need far more often than adding.
 */

/** A problem with the values, not the syntax; the evaluator adds the offset. */
export class ValueError extends Error {}

const DECIMAL = /^-?\d+(\.\d+)?$/;

export function describeValue(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function isTruthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== false && v !== 0 && v !== '';
}

/** The text a value reads as in a template or a `switch` case: null is empty, lists are joined with ", ". */
export function valueToText(v: Value): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.map(valueToText).join(', ');
  return String(v);
}

function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  return undefined;
}

export function toNumber(v: Value, what: string): number {
  const n = asNumber(v);
  if (n === undefined) throw new ValueError(`${what} needs a number, not ${describeValue(v)}`);
  return n;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x, b[i]));
  }
  if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number')) {
    const x = asNumber(a);
    const y = asNumber(b);
    return x !== undefined && y !== undefined && x === y;
  }
  return false;
}

/** Orders two values: numbers (or decimal strings) by value, other strings by code unit. */
export function compareValues(a: Value, b: Value, op: string): number {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ValueError(`Cannot compare ${describeValue(a)} ${op} ${describeValue(b)}`);
}

export function add(a: Value, b: Value): Value {
  if (typeof a === 'string' || typeof b === 'string') return valueToText(a) + valueToText(b);
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  throw new ValueError(`Cannot add ${describeValue(a)} and ${describeValue(b)}`);
}

export function contains(container: Value, item: Value): boolean {
  if (Array.isArray(container)) return container.some((x) => valuesEqual(x, item));
  if (typeof container === 'string' && (typeof item === 'string' || typeof item === 'number')) {
    return container.includes(String(item));
  }
  throw new ValueError(`'in' needs a list or text on its right, not ${describeValue(container)}`);
}
