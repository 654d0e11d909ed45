import { dirname, relative, sep } from 'node:path';
import { FakeClock } from '../../common/index.js';
import { valueToText } from '../expr/index.js';
import { HttpTimeoutError, NODE_HANDLERS, type HttpFetch, type NodeContext, type NodeHandler } from '../nodes/index.js';
import {
  FlowRunner, SILENT_FLOW_LOGGER, type FlowEvent, type FlowInputRecord, type FlowRunResult, type FlowSpeechTurn,
} from '../runtime/index.js';
import type { FlowDocument, LookupNode } from '../schema/index.js';
import { SKIPPED, ScriptedCall, describePrompt } from './scripted-call.js';
import { simulatedStorage } from './simulated-storage.js';

export interface SimulateOptions {
  /** The caller (default "simulator"). */
  from?: string;
  /** The dialled user (default the flow's first number, else its name). */
  to?: string;
  /** One token per collect: keys ("1", "1234#"), "timeout" or "hangup". */
  inputs: readonly string[];
  /** Wall-clock time the call starts (default now). */
  startTime?: Date;
  /** Flows `subflow` nodes may name: a list, or a lookup. */
  flows?: readonly FlowDocument[] | ((name: string) => FlowDocument | undefined);
  maxStepsWithoutInput?: number;
  /**
   * Scripted answers of `lookup` nodes with `http`, by node id: a JSON value (the 200 response), a string (the raw
   * body, so bad JSON can be scripted) or 'timeout' (the node's timeout passes on the fake clock); a list scripts
   * successive calls of the node (the last answer repeats, so a JSON list response must be wrapped: [[…]]). A node with no
   * answer here fails as a network error. For a `table` lookup an answer replaces the row the key finds (an
   * object), or removes it (null): a table edited since, a row missing a value.
   */
  lookups?: Readonly<Record<string, unknown>>;
  /** Every storage write fails (a full or unwritable disk): voicemail, callback and survey nodes take the escape. */
  failStorage?: boolean;
  /** 'unavailable': the server has no speech recognizer, so speech inputs fall back to keys. Default available. */
  speech?: 'available' | 'unavailable';
}

export interface SimulationTranscript {
  /** What the caller would hear and do, one event a line, each stamped with the time since the call began. */
  lines: string[];
  result: FlowRunResult;
  /** The lines joined, newline-terminated. */
  text: string;
}

function stamp(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `[${String(minutes).padStart(2, '0')}:${seconds.toFixed(3).padStart(6, '0')}]`;
}

/** `"put me through to billing" (0.40) -> intent department, department=billing`, `nothing (no input)`. */
function describeTurn(turn: FlowSpeechTurn): string {
  if (turn.status === 'no-input') return 'nothing (no input)';
  const words = turn.text === '' ? '(no words)' : `"${turn.text}"`;
  if (turn.status === 'no-match') return `${words} -> no match`;
  const slots = Object.entries(turn.slots ?? {}).map(([k, v]) => `, ${k}=${v}`).join('');
  const meaning = turn.kind === 'ask' ? `intent ${turn.intent ?? ''}${slots}` : turn.kind === 'menu' ? `option ${turn.value ?? ''}` : turn.value ?? '';
  const failure = turn.failure === 'invalid' ? ' (not valid)' : turn.failure === 'denied' ? ' (denied)' : '';
  return `${words} (${turn.confidence.toFixed(2)}) -> ${meaning}${failure}`;
}

function describeInput(input: FlowInputRecord): string {
  if (input.reason === 'escape') return `KEYS: ${input.keys} (escape key)`;
  const keys = input.keys === '' ? (input.reason === 'timeout' ? 'NO KEY' : 'KEYS: (none)') : `KEYS: ${input.keys}`;
  if (input.reason === 'terminator') return `${keys} then ${input.terminator ?? ''}`;
  if (input.reason === 'timeout') return input.keys === '' ? `${keys} (timeout)` : `${keys} then timeout`;
  return keys;
}

/** "main > time > main > goodbye"; nodes of a subflow are written flow/node. */
export function formatRoute(result: FlowRunResult): string {
  return result.path.map((s) => (s.flow === result.flow ? s.node : `${s.flow}/${s.node}`)).join(' > ');
}

function scriptedFetch(answers: Readonly<Record<string, unknown>>, clock: FakeClock, write: (line: string) => void): HttpFetch {
  const calls = new Map<string, number>();
  return async (request) => {
    const what = `LOOKUP ${request.method} ${request.url}`;
    if (!Object.hasOwn(answers, request.node)) {
      write(`${what} -> no scripted answer`);
      throw new Error(`no scripted answer for lookup '${request.node}'`);
    }
    const n = calls.get(request.node) ?? 0;
    calls.set(request.node, n + 1);
    const scripted = answers[request.node];
    // A list scripts successive calls of the node; the last answer repeats.
    const answer = Array.isArray(scripted) ? scripted[Math.min(n, scripted.length - 1)] : scripted;
    if (answer === 'timeout') {
      clock.advance(request.timeoutMs);
      write(`${what} -> timeout`);
      throw new HttpTimeoutError(request.timeoutMs);
    }
    const body = typeof answer === 'string' ? answer : JSON.stringify(answer);
    write(`${what} -> 200 ${body}`);
    return { status: 200, body };
  };
}

/** Table lookups with a scripted row read it instead of the flow's table; everything else runs as written. */
function scriptedTableLookup(answers: Readonly<Record<string, unknown>>, write: (line: string) => void): NodeHandler<LookupNode> {
  return {
    type: 'lookup',
    exec(node, ctx) {
      if (node.table === undefined || node.key === undefined || !Object.hasOwn(answers, node.id)) return NODE_HANDLERS.lookup.exec(node, ctx);
      const key = ctx.renderTemplate(node.key);
      const row = answers[node.id];
      write(`TABLE ${node.table}[${key}] -> scripted ${JSON.stringify(row)}`);
      const rows = row === null ? {} : { [key]: row as Record<string, unknown> };
      const flow: FlowDocument = { ...ctx.flow, tables: { ...ctx.flow.tables, [node.table]: rows } };
      return NODE_HANDLERS.lookup.exec(node, Object.create(ctx, { flow: { value: flow } }) as NodeContext);
    },
  };
}

/** Runs `flow` against scripted caller input on a fake clock and writes down what happens. */
export async function simulateFlow(flow: FlowDocument, options: SimulateOptions): Promise<SimulationTranscript> {
  const clock = new FakeClock((options.startTime ?? new Date()).getTime());
  const lines: string[] = [];
  const write = (line: string) => lines.push(`${stamp(clock.nowMs())} ${line}`);
  const flowDir = dirname(flow.file);
  const describeFile = (path: string) => relative(flowDir, path).split(sep).join('/');
  const call = new ScriptedCall({
    id: 'simulated-call',
    callerId: options.from ?? 'simulator',
    calledUser: options.to ?? flow.numbers[0] ?? flow.name,
    inputs: options.inputs,
    ...(options.speech ? { speech: options.speech } : {}),
    clock,
    write,
    describeFile,
  });
  const flows = options.flows;
  const resolveFlow = typeof flows === 'function' ? flows : (name: string) => flows?.find((f) => f.name === name);
  const runner = new FlowRunner({
    clock, resolveFlow, logger: SILENT_FLOW_LOGGER, maxStepsWithoutInput: options.maxStepsWithoutInput,
    nodes: { ...NODE_HANDLERS, lookup: scriptedTableLookup(options.lookups ?? {}, write) },
    httpFetch: scriptedFetch(options.lookups ?? {}, clock, write),
    storage: simulatedStorage(write, options.failStorage === true),
  });
  const onEvent = (e: FlowEvent): void => {
    switch (e.type) {
      case 'node': {
        const name = e.step.flow === flow.name ? e.step.node : `${e.step.flow}/${e.step.node}`;
        write(`-> ${name} (${e.step.type})`);
        break;
      }
      case 'input': write(describeInput(e.input)); break;
      case 'prompt-skipped': for (const p of e.prompts) write(`${describePrompt(p, describeFile)} ${SKIPPED}`); break;
      case 'escape': write(`ESCAPE from ${e.from} to ${e.to}`); break;
      case 'error': write(`ERROR in ${e.error.node}: ${e.error.message}`); break;
      case 'speech': write(`HEARD: ${describeTurn(e.turn)}`); break;
      case 'speech-failure': write(`SPEECH FAILURE ${e.count} of ${e.limit} (${e.reason})`); break;
      case 'outcome':
      case 'end':
        break;
    }
  };
  const result = await runner.run(flow, call, { onEvent });
  if (call.scriptError) throw call.scriptError;
  const at = result.callerHangupAt ? ` (caller hung up in ${result.callerHangupAt.node})` : '';
  write(`END: ${result.disposition}${at}`);
  lines.push(`ROUTE: ${formatRoute(result)}`);
  const vars = Object.entries(result.variables).map(([k, v]) => `${k}=${JSON.stringify(valueToText(v))}`);
  if (vars.length > 0) lines.push(`VARS: ${vars.join(' ')}`);
  const unused = call.remainingInputs();
  if (unused.length > 0) lines.push(`UNUSED INPUTS: ${unused.join(',')}`);
  return { lines, result, text: `${lines.join('\n')}\n` };
}
