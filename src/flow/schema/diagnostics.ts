import type { FlowDiagnostic, FlowDiagnosticSeverity, SourcePosition } from './flow-types.js';

/**
 * Every diagnostic the flow loader, registry and linter report, with what it means. Codes are stable: tests,
 * fixtures (`# expect:` lines) and docs/flows.md name them, and a test keeps the three in sync.
 */
export const FLOW_DIAGNOSTIC_CODES = {
  SWB_FLOW_FILE_UNREADABLE: 'The flow file could not be read.',
  SWB_FLOW_SYNTAX: 'The file is not valid YAML or JSON.',
  SWB_FLOW_INVALID_VALUE: 'A value has the wrong type or is out of range.',
  SWB_FLOW_MISSING_KEY: 'A required key is missing.',
  SWB_FLOW_UNKNOWN_KEY: 'A key that this place of the flow does not have (often a typo).',
  SWB_FLOW_UNKNOWN_NODE_TYPE: 'A node `type` that does not exist.',
  SWB_FLOW_INVALID_ID: 'A node id or variable name that is not an identifier, or that is reserved.',
  SWB_FLOW_UNKNOWN_NODE: '`start`, `next`, an option, case, fallback, otherwise, default, error, notFound, busy, noAnswer, failed, noMessage, keys, an intent target, escape.to or speech.operator names no node.',
  SWB_FLOW_INVALID_KEY: 'Not a single DTMF key (0-9, *, #, A-D).',
  SWB_FLOW_KEY_CONFLICT: 'One key has two meanings in a node (an option and the repeat or back key).',
  SWB_FLOW_INVALID_DURATION: 'A duration that is not `500ms`, `8s`, `2m` or a number of milliseconds.',
  SWB_FLOW_FILE_NOT_FOUND: 'A `play` file does not exist.',
  SWB_FLOW_INVALID_HOURS: 'Schedule hours that are not `HH:MM-HH:MM[,HH:MM-HH:MM…]` on known days.',
  SWB_FLOW_INVALID_DATE: 'A holiday that is not a real `YYYY-MM-DD` date.',
  SWB_FLOW_INVALID_TIMEZONE: 'A timezone that is not an IANA name.',
  SWB_FLOW_INVALID_EXPRESSION: 'An expression (in `{{ }}`, `when:`, `value:`, `values:`) that does not parse.',
  SWB_FLOW_INVALID_PROMPT: 'A prompt tag that does not exist or is not closed.',
  SWB_FLOW_INVALID_PATTERN: 'A gather `validate.pattern` that is not a regular expression.',
  SWB_FLOW_DUPLICATE_NAME: 'Two flow files have the same flow name.',
  SWB_FLOW_DUPLICATE_NUMBER: 'Two flows claim the same number.',
  SWB_FLOW_UNREACHABLE: 'A node that no path from `start` (or the escape) reaches.',
  SWB_FLOW_DEAD_END: 'A path ends at a node that is not a `hangup` and has nowhere to go.',
  SWB_FLOW_ENDLESS_LOOP: 'A loop that no path leaves: the call can never end except by the caller hanging up.',
  SWB_FLOW_TOO_MANY_OPTIONS: 'A menu with more than five options (callers forget them).',
  SWB_FLOW_NO_ESCAPE: 'The flow has no way out to a human.',
  SWB_FLOW_ESCAPE_SHADOWED: 'A menu option uses the escape key, so the escape does not work in that menu.',
  SWB_FLOW_NO_FALLBACK: 'A menu, gather or ask without `fallback` in a flow without escape (or, for an ask, speech.operator): when retries run out the call hangs up.',
  SWB_FLOW_SHORT_TIMEOUT: 'A menu or gather timeout under one second: callers cannot answer in time.',
  SWB_FLOW_UNKNOWN_VARIABLE: 'A variable that no node sets and that is not built in.',
  SWB_FLOW_UNUSED_VARIABLE: 'A gather stores digits `into` a variable that nothing reads.',
  SWB_FLOW_UNKNOWN_SCHEDULE: '`open("name")` names a schedule the flow does not have.',
  SWB_FLOW_UNKNOWN_SUBFLOW: 'A subflow names a flow that is not loaded.',
  SWB_FLOW_SUBFLOW_CYCLE: 'Subflows that include each other (directly or not).',
  SWB_FLOW_UNKNOWN_INTENT: 'An `ask` node listens for an intent the flow does not declare under `intents`.',
  SWB_FLOW_UNKNOWN_SLOT: 'An intent example names a `{slot}` the flow does not declare under `slots`.',
  SWB_FLOW_GRAMMAR_TOO_LARGE: 'An `ask` whose examples, with every slot value and synonym filled in, make too many phrases.',
} as const;

export type FlowDiagnosticCode = keyof typeof FLOW_DIAGNOSTIC_CODES;

export function diagnostic(
  file: string,
  at: SourcePosition,
  code: FlowDiagnosticCode,
  message: string,
  severity: FlowDiagnosticSeverity = 'error',
): FlowDiagnostic {
  return { file, line: at.line, column: at.column, code, message, severity };
}

/** `flows/demo.yaml:12:5: error SWB_FLOW_UNKNOWN_NODE: next 'mian' is not a node (did you mean 'main'?)` */
export function formatDiagnostic(d: FlowDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}

/** Orders diagnostics by file, then position, errors before warnings at the same place. */
export function compareDiagnostics(a: FlowDiagnostic, b: FlowDiagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return 0;
}

/** Optimal-string-alignment distance: a swap of two neighbours ("mian" → "main") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate to a misspelt name, if one is close enough to be a likely typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** " (did you mean 'main'?)" or "". */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}
