import type { z } from 'zod';
import { didYouMean, diagnostic, type FlowDiagnosticCode } from './diagnostics.js';
import { keysAllowedAt } from './flow-schema.js';
import { NODE_TYPES, type FlowDiagnostic } from './flow-types.js';
import type { FlowSource } from './yaml-source.js';

type Path = (string | number)[];

function valueAtPath(root: unknown, path: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, seg)) {
      return { present: false, value: undefined };
    }
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return { present: true, value: cur };
}

function kindOf(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `text '${v}'`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return typeof v;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

/** What a union accepts, by path, for when a value fits none of its shapes. */
const UNION_SHAPES: Record<string, string> = {
  escape: 'expected false or { key: "0", to: node }',
};

const pathKeyOf = (path: readonly PropertyKey[]) => path.map(String).join('.');

/** "in say node 'main'", "in schedule 'office'", "at the top level" — where a key sits, for messages. */
function describePlace(path: readonly PropertyKey[], root: unknown): string {
  if (path.length === 0) return 'at the top level';
  if (path[0] === 'nodes' && path.length >= 2) {
    const type = valueAtPath(root, [...path.slice(0, 2), 'type']).value;
    const kind = typeof type === 'string' && (NODE_TYPES as readonly string[]).includes(type) ? `${type} node` : 'node';
    return `in ${kind} '${String(path[1])}'`;
  }
  if (path[0] === 'schedules' && path.length >= 2) return `in schedule '${String(path[1])}'`;
  return `in '${path.map(String).join('.')}'`;
}

function label(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  return typeof last === 'number' ? `item ${last + 1} of '${String(path[path.length - 2])}'` : `'${String(last)}'`;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
}

/**
 * Turns zod issues into diagnostics at the offending key or value: a missing key points at the mapping that
 * lacks it, an unknown key at the key, a bad value at the value.
 */
export function issuesToDiagnostics(issues: readonly z.core.$ZodIssue[], source: FlowSource, file: string): FlowDiagnostic[] {
  const out: FlowDiagnostic[] = [];
  const root = source.value;
  for (const issue of issues) {
    const path = issue.path as Path;
    const here = valueAtPath(root, path);
    const parent = path.slice(0, -1);
    const add = (code: FlowDiagnosticCode, at: Path, message: string, onKey = false) =>
      out.push(diagnostic(file, onKey ? source.keyAt(at) : source.valueAt(at), code, message));

    if (issue.code === 'unrecognized_keys') {
      const nodeType = valueAtPath(root, [...path.slice(0, 2), 'type']).value;
      const allowed = keysAllowedAt(path, nodeType);
      for (const key of issue.keys) {
        const hint = didYouMean(key, allowed);
        add('SWB_FLOW_UNKNOWN_KEY', [...path, key], `unknown key '${key}' ${describePlace(path, root)}${hint}`, true);
      }
      continue;
    }
    if (!here.present && path.length > 0) {
      const what = path[0] === 'nodes' && path[path.length - 1] === 'type' ? `node '${String(path[1])}' has no 'type'` : `${describePlace(parent, root)}: ${label(path)} is required`;
      add('SWB_FLOW_MISSING_KEY', parent, what, true);
      continue;
    }
    if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
      const got = here.value;
      const hint = typeof got === 'string' ? didYouMean(got, NODE_TYPES) : '';
      add('SWB_FLOW_UNKNOWN_NODE_TYPE', path, `${kindOf(got)} is not a node type${hint}; types are ${NODE_TYPES.join(', ')}`);
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A union (escape: false | { key, to }): report the problems of the branch the value was meant for.
      const meant = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
      if (meant) {
        out.push(...issuesToDiagnostics(meant.map((i) => ({ ...i, path: [...path, ...i.path] })), source, file));
        continue;
      }
      add('SWB_FLOW_INVALID_VALUE', path, `${label(path)}: ${UNION_SHAPES[pathKeyOf(path)] ?? `${kindOf(here.value)} is not allowed here`}`);
      continue;
    }
    if (issue.code === 'custom') {
      const code = (issue.params?.flowCode as FlowDiagnosticCode | undefined) ?? 'SWB_FLOW_INVALID_VALUE';
      add(code, path, `${label(path)}: ${issue.message}`);
      continue;
    }
    add('SWB_FLOW_INVALID_VALUE', path, `${label(path)}: ${describeIssue(issue, here.value)}`);
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${kindOf(value)}`;
    case 'invalid_value': {
      const hint = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      return `${kindOf(value)} is not one of ${quoteList(issue.values)}${hint}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'cannot be empty';
      return `must be at least ${String(issue.minimum)}, got ${kindOf(value)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}, got ${kindOf(value)}`;
    case 'invalid_union':
      return `${kindOf(value)} is not allowed here`;
    default:
      return issue.message;
  }
}
