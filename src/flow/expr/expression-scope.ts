import type { Schedule } from '../schema/index.js';
import type { Value } from './expression-ast.js';

/** What an expression can see: variables, the clock and the flow's schedules. */
export interface ExpressionScope {
  /** A variable's value; undefined when it is not set (it then reads as null). */
  variable(name: string): Value | undefined;
  /** Wall-clock milliseconds since the epoch: the call's clock, so a simulator's fake clock drives time of day. */
  wallMs(): number;
  /** IANA zone for hour(), minute(), weekday() and date(); default UTC. */
  timeZone?: string;
  schedule?(name: string): Schedule | undefined;
}

export interface ScopeInit {
  variables?: Readonly<Record<string, Value>>;
  wallMs?: () => number;
  timeZone?: string;
  schedules?: Readonly<Record<string, Schedule>>;
}

/** A scope over plain objects, for tests and tools. */
export function createScope(init: ScopeInit = {}): ExpressionScope {
  const variables = init.variables ?? {};
  const schedules = init.schedules ?? {};
  return {
    variable: (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined),
    wallMs: init.wallMs ?? (() => Date.now()),
    timeZone: init.timeZone,
    schedule: (name) => (Object.hasOwn(schedules, name) ? schedules[name] : undefined),
  };
}
