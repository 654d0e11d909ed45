import {
  BUILTIN_VARIABLES,
  closestName,
  compareDiagnostics,
  positionOf,
  type FlowDiagnostic,
  type FlowDiagnosticCode,
  type FlowDocument,
  type FlowNode,
  type SourcePosition,
} from '../schema/index.js';
import { cyclesOf, edgesOf, endingOf, hearsCaller, reachableFrom } from './flow-graph.js';
import { referencesOf, type FlowReferences } from './flow-references.js';

/** Finds other loaded flows by name (for `subflow` nodes): the registry's map, or any lookup function. */
export type FlowLookup = ReadonlyMap<string, FlowDocument> | ((name: string) => FlowDocument | undefined);

export interface LintOptions {
  /** Without it, subflow names are not checked and subflows' variables are not known. */
  flows?: FlowLookup;
}

/** Menus with more options than this get a warning: callers remember few choices. */
export const MAX_MENU_OPTIONS = 5;
/** Menu and gather timeouts below this get a warning. */
export const MIN_INPUT_TIMEOUT_MS = 1000;

interface LintContext {
  flow: FlowDocument;
  reachable: Set<string>;
  refs: FlowReferences;
  /** Variables written by the flows this one runs as subflows (they share the call's variables). */
  subflowWrites: Set<string>;
  subflowReads: Set<string>;
  /**
   * A flow with no numbers only runs as a subflow: a path that ends there returns to the calling flow, and its
   * variables may be set or read by the caller, so those rules are left to the calling flow.
   */
  subflowOnly: boolean;
  options: LintOptions;
  report(code: FlowDiagnosticCode, at: SourcePosition | (string | number)[], message: string, severity?: 'error' | 'warning', offset?: number): void;
}

interface LintRule {
  code: FlowDiagnosticCode;
  check(ctx: LintContext): void;
}

function lookup(flows: FlowLookup | undefined, name: string): FlowDocument | undefined {
  if (!flows) return undefined;
  return typeof flows === 'function' ? flows(name) : flows.get(name);
}

/** The flows run, directly or not, by this flow's subflow nodes (not including itself). */
function subflowsOf(flow: FlowDocument, flows: FlowLookup | undefined): FlowDocument[] {
  const seen = new Map<string, FlowDocument>();
  const stack = [flow];
  while (stack.length > 0) {
    const f = stack.pop() as FlowDocument;
    for (const node of Object.values(f.nodes)) {
      if (node.type !== 'subflow' || node.flow === flow.name || seen.has(node.flow)) continue;
      const sub = lookup(flows, node.flow);
      if (sub) {
        seen.set(node.flow, sub);
        stack.push(sub);
      }
    }
  }
  return [...seen.values()];
}

const describe = (node: FlowNode) => `${node.type} node '${node.id}'`;

const RULES: LintRule[] = [
  {
    code: 'SWB_FLOW_UNREACHABLE',
    check: ({ flow, reachable, report }) => {
      for (const id of Object.keys(flow.nodes)) {
        if (!reachable.has(id)) report('SWB_FLOW_UNREACHABLE', flow.positions.nodes[id] ?? ['nodes', id], `node '${id}' is never reached from start '${flow.start}'`, 'warning');
      }
    },
  },
  {
    code: 'SWB_FLOW_DEAD_END',
    check: ({ flow, reachable, subflowOnly, report }) => {
      if (subflowOnly) return;
      for (const node of Object.values(flow.nodes)) {
        if (!reachable.has(node.id)) continue;
        const ending = endingOf(node);
        const at = flow.positions.nodes[node.id] ?? ['nodes', node.id];
        if (ending === 'next') {
          report('SWB_FLOW_DEAD_END', at, `${describe(node)} has no next: the call would stop here without a hangup`);
        } else if (ending === 'otherwise' && node.type === 'branch' && !node.conditions.some((c) => c.when.trim() === 'true')) {
          report('SWB_FLOW_DEAD_END', at, `branch '${node.id}' has no otherwise: when no condition holds the call stops here`);
        } else if (ending === 'default') {
          report('SWB_FLOW_DEAD_END', at, `switch '${node.id}' has no default: an unlisted value stops the call here`);
        }
      }
    },
  },
  {
    code: 'SWB_FLOW_ENDLESS_LOOP',
    check: ({ flow, reachable, report }) => {
      for (const cycle of cyclesOf(flow, reachable)) {
        const members = new Set(cycle);
        const nodes = cycle.map((id) => flow.nodes[id]);
        const leaves = nodes.some((n) => endingOf(n) !== undefined || n.type === 'subflow' || edgesOf(n).some((e) => !members.has(e.to)));
        const escapable = flow.escape !== false && !members.has(flow.escape.to) && nodes.some(hearsCaller);
        if (leaves || escapable) continue;
        const names = [...cycle, cycle[0]].map((id) => `'${id}'`).join(' → ');
        const why = nodes.some(hearsCaller) ? 'no path leaves it, so the call never ends' : 'it plays nothing and waits for nothing, so it spins forever';
        report('SWB_FLOW_ENDLESS_LOOP', flow.positions.nodes[cycle[0]] ?? ['nodes', cycle[0]], `loop ${names}: ${why}`);
      }
    },
  },
  {
    code: 'SWB_FLOW_TOO_MANY_OPTIONS',
    check: ({ flow, report }) => {
      for (const node of Object.values(flow.nodes)) {
        if (node.type !== 'menu') continue;
        const n = Object.keys(node.options).length;
        if (n > MAX_MENU_OPTIONS) {
          report('SWB_FLOW_TOO_MANY_OPTIONS', ['nodes', node.id, 'options'], `menu '${node.id}' has ${n} options; callers remember at most ${MAX_MENU_OPTIONS} (split it into sub-menus)`, 'warning');
        }
      }
    },
  },
  {
    code: 'SWB_FLOW_NO_ESCAPE',
    check: ({ flow, subflowOnly, report }) => {
      if (flow.escape !== false || subflowOnly) return;
      const written = flow.positions.paths.escape !== undefined;
      const message = written ? 'escape: false leaves callers no key to reach a human' : 'the flow has no escape: callers have no key to reach a human (add escape: { key, to })';
      report('SWB_FLOW_NO_ESCAPE', written ? ['escape'] : { line: 1, column: 1 }, message, 'warning');
    },
  },
  {
    code: 'SWB_FLOW_ESCAPE_SHADOWED',
    check: ({ flow, report }) => {
      if (flow.escape === false) return;
      const key = flow.escape.key;
      for (const node of Object.values(flow.nodes)) {
        if (node.type === 'menu' && key in node.options) {
          report('SWB_FLOW_ESCAPE_SHADOWED', ['nodes', node.id, 'options', key], `option '${key}' of menu '${node.id}' takes the escape key, so the escape does not work there`, 'warning');
        }
      }
    },
  },
  {
    code: 'SWB_FLOW_NO_FALLBACK',
    check: ({ flow, reachable, subflowOnly, report }) => {
      // Without a fallback the runtime takes the escape; only with neither does the caller get hung up on.
      if (flow.escape !== false || subflowOnly) return;
      for (const node of Object.values(flow.nodes)) {
        if (node.type === 'ask' && node.fallback === undefined && flow.speech.operator === undefined && reachable.has(node.id)) {
          const what = `${describe(node)} has no fallback and the flow no escape or speech.operator: after ${flow.speech.failures} failed answers the call hangs up`;
          report('SWB_FLOW_NO_FALLBACK', flow.positions.nodes[node.id] ?? ['nodes', node.id], what, 'warning');
        }
        if ((node.type === 'menu' || node.type === 'gather') && node.fallback === undefined && reachable.has(node.id)) {
          const what = `${describe(node)} has no fallback and the flow no escape: after ${node.retries} ${node.retries === 1 ? 'retry' : 'retries'} the call hangs up`;
          report('SWB_FLOW_NO_FALLBACK', flow.positions.nodes[node.id] ?? ['nodes', node.id], what, 'warning');
        }
      }
    },
  },
  {
    code: 'SWB_FLOW_SHORT_TIMEOUT',
    check: ({ flow, report }) => {
      for (const node of Object.values(flow.nodes)) {
        if ((node.type === 'menu' || node.type === 'gather' || node.type === 'ask') && node.timeoutMs < MIN_INPUT_TIMEOUT_MS) {
          report('SWB_FLOW_SHORT_TIMEOUT', ['nodes', node.id, 'timeout'], `timeout of ${node.timeoutMs}ms in ${describe(node)} is too short for a caller to answer`, 'warning');
        }
      }
    },
  },
  {
    code: 'SWB_FLOW_UNKNOWN_VARIABLE',
    check: ({ refs, subflowWrites, subflowOnly, report }) => {
      if (subflowOnly) return;
      const known = new Set([...BUILTIN_VARIABLES, ...refs.writes.map((w) => w.name), ...subflowWrites]);
      const reported = new Set<string>();
      for (const r of refs.reads) {
        if (known.has(r.name) || reported.has(`${r.name}@${r.path.join('.')}`)) continue;
        reported.add(`${r.name}@${r.path.join('.')}`);
        const best = closestName(r.name, known);
        report('SWB_FLOW_UNKNOWN_VARIABLE', r.path, `variable '${r.name}' is never set${best ? ` (did you mean '${best}'?)` : ''}`, 'warning', r.offset);
      }
    },
  },
  {
    code: 'SWB_FLOW_UNUSED_VARIABLE',
    check: ({ flow, refs, subflowReads, subflowOnly, report }) => {
      if (subflowOnly) return;
      const read = new Set([...refs.reads.map((r) => r.name), ...subflowReads]);
      for (const node of Object.values(flow.nodes)) {
        if (node.type === 'gather' && !read.has(node.into)) {
          report('SWB_FLOW_UNUSED_VARIABLE', ['nodes', node.id, 'into'], `gather '${node.id}' stores into '${node.into}', which nothing reads`, 'warning');
        }
      }
    },
  },
  {
    code: 'SWB_FLOW_UNKNOWN_SCHEDULE',
    check: ({ flow, refs, report }) => {
      for (const s of refs.schedules) {
        if (flow.schedules[s.name]) continue;
        const best = closestName(s.name, Object.keys(flow.schedules));
        report('SWB_FLOW_UNKNOWN_SCHEDULE', s.path, `open("${s.name}") names no schedule of this flow${best ? ` (did you mean '${best}'?)` : ''}`, 'error', s.offset);
      }
    },
  },
  {
    code: 'SWB_FLOW_UNKNOWN_SUBFLOW',
    check: ({ flow, options, report }) => {
      if (!options.flows) return;
      const names = options.flows instanceof Map ? [...options.flows.keys()] : [];
      for (const node of Object.values(flow.nodes)) {
        if (node.type !== 'subflow' || node.flow === flow.name || lookup(options.flows, node.flow)) continue;
        const best = closestName(node.flow, names);
        report('SWB_FLOW_UNKNOWN_SUBFLOW', ['nodes', node.id, 'flow'], `flow '${node.flow}' is not loaded${best ? ` (did you mean '${best}'?)` : ''}`);
      }
    },
  },
  {
    code: 'SWB_FLOW_SUBFLOW_CYCLE',
    check: ({ flow, options, report }) => {
      for (const node of Object.values(flow.nodes)) {
        if (node.type !== 'subflow') continue;
        const target = node.flow === flow.name ? flow : lookup(options.flows, node.flow);
        if (!target) continue;
        const reachesBack = target === flow || subflowsOf(target, options.flows).some((f) => f.name === flow.name);
        if (reachesBack) report('SWB_FLOW_SUBFLOW_CYCLE', ['nodes', node.id, 'flow'], `subflow '${node.flow}' runs '${flow.name}' again: the subflows would nest forever`);
      }
    },
  },
];

/** The codes the linter reports (beyond the loader's), one rule each. */
export const LINT_RULE_CODES: readonly FlowDiagnosticCode[] = RULES.map((r) => r.code);

/**
 * Lints a loaded flow: mistakes that load fine but hurt callers (unreachable nodes, dead ends, endless loops,
 * unknown variables…). Errors mean the flow should not go live; warnings are advice. Sorted by position.
 */
export function lintFlow(flow: FlowDocument, options: LintOptions = {}): FlowDiagnostic[] {
  const out: FlowDiagnostic[] = [];
  const subflows = subflowsOf(flow, options.flows).filter((f) => f.name !== flow.name);
  const subRefs = subflows.map(referencesOf);
  const ctx: LintContext = {
    flow,
    reachable: reachableFrom(flow),
    refs: referencesOf(flow),
    subflowWrites: new Set(subRefs.flatMap((r) => r.writes.map((w) => w.name))),
    subflowReads: new Set(subRefs.flatMap((r) => r.reads.map((w) => w.name))),
    subflowOnly: flow.numbers.length === 0,
    options,
    report(code, at, message, severity = 'error', offset) {
      const pos = Array.isArray(at) ? positionOf(flow, at, offset) : at;
      out.push({ file: flow.file, line: pos.line, column: pos.column, code, message, severity });
    },
  };
  for (const rule of RULES) rule.check(ctx);
  return out.sort(compareDiagnostics);
}
