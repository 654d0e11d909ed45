import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { z } from 'zod';
import { compareDiagnostics, diagnostic } from './diagnostics.js';
import {
  DEFAULTS as FLOW_DEFAULTS, flowFileSchema, flowHeaderSchema, nodeSchema, scheduleSchema, type RawNode,
} from './flow-schema.js';
import type { FlowDiagnostic, FlowDocument, FlowLoadResult, FlowNode, Schedule } from './flow-types.js';
import { FlowNormalizer } from './normalize-flow.js';
import type { RawSpeechHeader } from './normalize-speech.js';
import { issuesToDiagnostics } from './schema-issues.js';
import { FlowSource } from './yaml-source.js';

/**
 * Parses and validates a flow from its text. `fileName` names the file in diagnostics and anchors relative
 * `play` paths. Every problem is reported at once, sorted by position; a flow with any error is not returned.
 */
export function parseFlowText(text: string, fileName: string): FlowLoadResult {
  const source = new FlowSource(text);
  const fail = (errors: FlowDiagnostic[]): FlowLoadResult => ({ ok: false, errors: errors.sort(compareDiagnostics) });
  if (source.problems.length > 0) {
    return fail(source.problems.map((p) => diagnostic(fileName, p.at, 'SWB_FLOW_SYNTAX', p.message)));
  }
  const value = source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const message = 'a flow file is a mapping with at least start: and nodes:';
    return fail([diagnostic(fileName, { line: 1, column: 1 }, 'SWB_FLOW_INVALID_VALUE', message)]);
  }
  const rawNodes = (value as { nodes?: unknown }).nodes;
  const nodeEntries = rawNodes !== null && typeof rawNodes === 'object' && !Array.isArray(rawNodes) ? Object.entries(rawNodes) : [];
  const tableNames = mappingKeys((value as { tables?: unknown }).tables);
  const normalizer = new FlowNormalizer(source, fileName, resolve(fileName), nodeEntries.map(([id]) => id), tableNames);
  normalizer.speechHeader(speechHeader(value as Record<string, unknown>), mappingKeys((value as { intents?: unknown }).intents));
  const issues: z.core.$ZodIssue[] = [];
  const header = flowHeaderSchema.safeParse(value);
  if (!header.success) issues.push(...header.error.issues);
  const nodes: Record<string, FlowNode> = {};
  const flowName = header.success && header.data.name !== undefined ? header.data.name : basename(fileName, extname(fileName));
  for (const [id, raw] of nodeEntries) {
    const node = nodeSchema.safeParse(raw);
    if (node.success) nodes[id] = normalizer.node(id, node.data as RawNode, flowName);
    else issues.push(...node.error.issues.map((i) => ({ ...i, path: ['nodes', id, ...i.path] })));
  }
  const schedules: Record<string, Schedule> = {};
  const rawSchedules = (value as { schedules?: unknown }).schedules;
  if (rawSchedules !== null && typeof rawSchedules === 'object' && !Array.isArray(rawSchedules)) {
    const flowTimezone = header.success ? header.data.timezone : FLOW_DEFAULTS.timezone;
    for (const [name, raw] of Object.entries(rawSchedules)) {
      const schedule = scheduleSchema.safeParse(raw);
      if (schedule.success) schedules[name] = normalizer.schedule(name, schedule.data, flowTimezone);
      else issues.push(...schedule.error.issues.map((i) => ({ ...i, path: ['schedules', name, ...i.path] })));
    }
  }
  normalizer.checkIds();
  normalizer.checkHeaderRefs(value as Record<string, unknown>);
  const flow = header.success ? normalizer.document(header.data, nodes, schedules) : undefined;
  const errors = [...issuesToDiagnostics(issues, source, fileName), ...normalizer.errors];
  if (!flow || errors.length > 0) return fail(errors);
  return { ok: true, flow: deepFreeze(flow), warnings: [] };
}

/** Reads and validates one flow file (YAML or JSON). Never throws: an unreadable file is an error result. */
export function loadFlowFile(path: string): FlowLoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { ok: false, errors: [diagnostic(path, { line: 1, column: 1 }, 'SWB_FLOW_FILE_UNREADABLE', `cannot read the file (${reason})`)] };
  }
  return parseFlowText(text, path);
}

/**
 * The keys the speech checks need, each judged on its own (their schema problems are reported with the header):
 * undefined when slots, intents or tables do not pass; speech settings that do not pass read as the defaults.
 */
function speechHeader(value: Record<string, unknown>): RawSpeechHeader | undefined {
  const shape = flowFileSchema.shape;
  const slots = shape.slots.safeParse(value.slots);
  const intents = shape.intents.safeParse(value.intents);
  const tables = shape.tables.safeParse(value.tables);
  const speech = shape.speech.safeParse(value.speech);
  if (!slots.success || !intents.success || !tables.success) return undefined;
  return { slots: slots.data, intents: intents.data, tables: tables.data, ...(speech.success && speech.data ? { speech: speech.data } : {}) };
}

function mappingKeys(v: unknown): string[] {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
}

/** Calls share the FlowDocument they started with, so nothing may change it after loading. */
function deepFreeze(flow: FlowDocument): FlowDocument {
  const visit = (o: unknown) => {
    if (o && typeof o === 'object' && !Object.isFrozen(o)) {
      Object.freeze(o);
      for (const v of Object.values(o)) visit(v);
    }
  };
  visit(flow);
  return flow;
}
