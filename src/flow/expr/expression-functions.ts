import { WEEKDAYS } from '../schema/index.js';
import type { FunctionName, Value } from './expression-ast.js';
import type { ExpressionScope } from './expression-scope.js';
import { isScheduleOpen } from './schedule-open.js';
import { ValueError, describeValue, valueToText } from './values.js';
import { formatZonedDate, zonedTime } from './zoned-time.js';

/** [fewest, most] arguments; checked when parsing so a wrong call is a load-time error. */
export const FUNCTION_ARITY: Readonly<Record<FunctionName, readonly [number, number]>> = {
  hour: [0, 0], minute: [0, 0], weekday: [0, 0], date: [0, 0], open: [1, 1],
  len: [1, 1], startsWith: [2, 2], lower: [1, 1], upper: [1, 1],
};

type Implementation = (args: Value[], scope: ExpressionScope) => Value;

const localNow = (scope: ExpressionScope) => zonedTime(scope.wallMs(), scope.timeZone ?? 'UTC');

function text(v: Value, fn: string): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v === null) return '';
  throw new ValueError(`${fn}() needs text, not ${describeValue(v)}`);
}

export const FUNCTIONS: Readonly<Record<FunctionName, Implementation>> = {
  hour: (_a, scope) => localNow(scope).hour,
  minute: (_a, scope) => localNow(scope).minute,
  weekday: (_a, scope) => WEEKDAYS[localNow(scope).weekday],
  date: (_a, scope) => formatZonedDate(localNow(scope)),
  open: ([name], scope) => {
    if (typeof name !== 'string') throw new ValueError(`open() needs a schedule name, not ${describeValue(name)}`);
    const schedule = scope.schedule?.(name);
    if (!schedule) throw new ValueError(`No schedule named ${JSON.stringify(name)}`);
    return isScheduleOpen(schedule, scope.wallMs());
  },
  len: ([v]) => (Array.isArray(v) ? v.length : valueToText(v).length),
  startsWith: ([v, prefix]) => text(v, 'startsWith').startsWith(text(prefix, 'startsWith')),
  lower: ([v]) => text(v, 'lower').toLowerCase(),
  upper: ([v]) => text(v, 'upper').toUpperCase(),
};
