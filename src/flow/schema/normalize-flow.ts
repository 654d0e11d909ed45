import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { diagnostic, didYouMean, type FlowDiagnosticCode } from './diagnostics.js';
import { FlowExpressionError, parseTemplate } from '../expr/index.js';
import { checkExpression } from './expression-check.js';
import type { FlowHeader, RawNode, RawPromptPart, RawSchedule } from './flow-schema.js';
import type {
  FlowDiagnostic, FlowDocument, FlowEscape, FlowNode, LookupNode, PromptPart, Schedule, SourcePosition,
} from './flow-types.js';
import { BUILTIN_VARIABLES, RESERVED_WORDS, isIdentifier, parseDtmfKey } from './flow-values.js';
import { parsePromptText, promptTemplates } from './prompt-text.js';
import { normalizeSchedule } from './normalize-schedule.js';
import { callbackNode, surveyNode, transferNode, voicemailNode, type NodeChecks } from './normalize-call-nodes.js';
import {
  DEFAULT_SPEECH_SETTINGS, askNode, menuPhrases, speechDefinitions, type RawSpeechHeader, type SpeechDefinitions,
} from './normalize-speech.js';
import { MAX_DIGITS } from '../../speech/index.js';
import type { FlowSource } from './yaml-source.js';

type Path = (string | number)[];

/**
 * Builds the FlowDocument from a file that passed the schema, checking everything that needs more than one
 * value: references between nodes, `play` files, expressions and templates, ids and variable names.
 */
export class FlowNormalizer {
  readonly errors: FlowDiagnostic[] = [];
  private readonly dir: string;
  private speechDefs: SpeechDefinitions | undefined;
  private intentNames: readonly string[] = [];
  private readonly checks: NodeChecks = {
    error: (code, path, message, onKey) => this.error(code, path, message, onKey),
    ref: (path, target, what) => this.ref(path, target, what),
    prompt: (path, parts) => this.prompt(path, parts),
    template: (path, source) => this.template(path, source),
  };

  /**
   * `file` names the file in diagnostics (as the user gave it); `path` is its absolute path; `nodeIds` are all the
   * node ids of the file, valid or not, so that a reference to a node with its own problems is not reported too.
   */
  constructor(
    private readonly source: FlowSource,
    private readonly file: string,
    private readonly path: string,
    private readonly nodeIds: readonly string[],
    private readonly tableNames: readonly string[] = [],
  ) {
    this.dir = dirname(path);
  }

  /** Checks `start` and `escape.to` in the file as written, whether or not the rest of the header is valid. */
  checkHeaderRefs(value: Record<string, unknown>): void {
    if (typeof value.start === 'string') this.ref(['start'], value.start, 'start');
    const escape = value.escape as Record<string, unknown> | undefined;
    if (escape && typeof escape === 'object' && typeof escape.to === 'string') this.ref(['escape', 'to'], escape.to, 'escape.to');
  }

  /**
   * Checks slots, intents and speech settings before the nodes (asks need them). `raw` is undefined when those keys
   * did not pass the schema (already reported); `intentNames` are the intents as written, valid or not.
   */
  speechHeader(raw: RawSpeechHeader | undefined, intentNames: readonly string[]): void {
    this.intentNames = intentNames;
    this.speechDefs = raw && speechDefinitions(raw, this.checks);
  }

  schedule(name: string, raw: RawSchedule, flowTimezone: string): Schedule {
    return normalizeSchedule(name, raw, flowTimezone, (code, path, message, onKey) =>
      this.error(code, ['schedules', name, ...path], message, onKey));
  }

  /** The document from a valid header and its nodes and schedules, each normalized on its own. */
  document(raw: FlowHeader, nodes: Record<string, FlowNode>, schedules: Record<string, Schedule>): FlowDocument {
    const escape: FlowEscape | false = raw.escape ? { key: raw.escape.key, to: raw.escape.to } : false;
    const positions: Record<string, SourcePosition> = {};
    for (const id of this.nodeIds) positions[id] = this.source.keyAt(['nodes', id]);
    return {
      name: raw.name ?? basename(this.path, extname(this.path)),
      ...(raw.description !== undefined ? { description: raw.description } : {}),
      numbers: raw.numbers,
      voice: raw.voice,
      timezone: raw.timezone,
      currency: raw.currency,
      escape,
      start: raw.start,
      nodes,
      schedules,
      tables: raw.tables,
      slots: this.speechDefs?.slots ?? {},
      intents: this.speechDefs?.intents ?? {},
      speech: this.speechDefs?.speech ?? DEFAULT_SPEECH_SETTINGS,
      file: this.path,
      revision: createHash('sha256').update(this.source.text).digest('hex').slice(0, 12),
      positions: { nodes: positions, paths: this.source.positions(), text: this.source.textPositions() },
    };
  }

  private error(code: FlowDiagnosticCode, path: Path, message: string, onKey = false, at?: SourcePosition): void {
    const pos = at ?? (onKey ? this.source.keyAt(path) : this.source.valueAt(path));
    this.errors.push(diagnostic(this.file, pos, code, message));
  }

  /** `what` names the referring key: "next 'x' is not a node"; "option '1' leads to 'x', which is not a node". */
  private ref(path: Path, target: string | undefined, what: string): void {
    if (target === undefined || this.nodeIds.includes(target)) return;
    const head = what.includes("'") ? `${what} leads to '${target}', which` : `${what} '${target}'`;
    this.error('SWB_FLOW_UNKNOWN_NODE', path, `${head} is not a node${didYouMean(target, this.nodeIds)}`);
  }

  private expression(path: Path, source: string): void {
    const r = checkExpression(source);
    if (!r.ok) this.error('SWB_FLOW_INVALID_EXPRESSION', path, `${r.message} in '${source}'`, false, this.source.insideValue(path, source, r.offset));
  }

  private variableName(path: Path, name: string, onKey: boolean): void {
    if (!isIdentifier(name) || RESERVED_WORDS.includes(name)) {
      this.error('SWB_FLOW_INVALID_ID', path, `'${name}' is not a variable name (letters, digits and _, not a keyword)`, onKey);
    } else if (BUILTIN_VARIABLES.includes(name)) {
      this.error('SWB_FLOW_INVALID_ID', path, `'${name}' is a built-in variable and cannot be stored into`, onKey);
    }
  }

  private prompt(path: Path, parts: RawPromptPart[]): PromptPart[] {
    const listed = Array.isArray(valueAt(this.source.value, path));
    return parts.map((part, i): PromptPart => {
      const at = listed ? [...path, i] : path;
      if ('play' in part) return { kind: 'play', file: this.playFile([...at, 'play'], part.play) };
      const parsed = parsePromptText(part.say);
      if (!parsed.ok) {
        this.error('SWB_FLOW_INVALID_PROMPT', at, parsed.message, false, this.source.insideValue(at, part.say, parsed.offset));
      } else {
        for (const t of promptTemplates(parsed.tokens)) {
          const r = checkExpression(t.source);
          if (!r.ok) {
            const pos = this.source.insideValue(at, part.say, t.offset + r.offset);
            this.error('SWB_FLOW_INVALID_EXPRESSION', at, `${r.message} in '{{ ${t.source} }}'`, false, pos);
          }
        }
      }
      return { kind: 'say', text: part.say };
    });
  }

  private playFile(path: Path, file: string): string {
    const abs = resolve(this.dir, file);
    let isFile: boolean;
    try {
      isFile = statSync(abs).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) this.error('SWB_FLOW_FILE_NOT_FOUND', path, `'${file}' does not exist (looked for ${abs})`);
    return abs;
  }

  /** Reports node ids that are not identifiers (for every node, valid or not). */
  checkIds(): void {
    for (const id of this.nodeIds) {
      if (!isIdentifier(id)) {
        this.error('SWB_FLOW_INVALID_ID', ['nodes', id], `node id '${id}' is not an identifier (letters, digits and _, not starting with a digit)`, true);
      }
    }
  }

  node(id: string, n: RawNode, flowName: string): FlowNode {
    const p = (...rest: Path): Path => ['nodes', id, ...rest];
    const next = (key: string, target: string | undefined) => this.ref(p(key), target, key);
    switch (n.type) {
      case 'say':
        next('next', n.next);
        return { id, type: 'say', prompt: this.prompt(p('prompt'), n.prompt), ...opt('next', n.next), bargeIn: n.bargeIn };
      case 'play': {
        next('next', n.next);
        let prompt: PromptPart[] = [];
        if (n.file !== undefined && n.prompt !== undefined) {
          this.error('SWB_FLOW_INVALID_VALUE', p('prompt'), `play node '${id}' takes 'file' or 'prompt', not both`, true);
        } else if (n.file !== undefined) prompt = [{ kind: 'play', file: this.playFile(p('file'), n.file) }];
        else if (n.prompt !== undefined) prompt = this.prompt(p('prompt'), n.prompt);
        else this.error('SWB_FLOW_MISSING_KEY', p(), `play node '${id}' needs 'file' (or 'prompt')`, true);
        return { id, type: 'play', prompt, ...opt('next', n.next), bargeIn: n.bargeIn };
      }
      case 'menu':
        return this.menu(id, n);
      case 'gather':
        return this.gather(id, n);
      case 'set':
        for (const [name, expr] of Object.entries(n.values)) {
          this.variableName(p('values', name), name, true);
          this.expression(p('values', name), expr);
        }
        next('next', n.next);
        return { id, type: 'set', values: n.values, ...opt('next', n.next) };
      case 'branch':
        n.conditions.forEach((c, i) => {
          this.expression(p('conditions', i, 'when'), c.when);
          this.ref(p('conditions', i, 'next'), c.next, `condition ${i + 1} next`);
        });
        next('otherwise', n.otherwise);
        return { id, type: 'branch', conditions: n.conditions, ...opt('otherwise', n.otherwise) };
      case 'switch':
        this.expression(p('value'), n.value);
        for (const [value, target] of Object.entries(n.cases)) this.ref(p('cases', value), target, `case '${value}'`);
        next('default', n.default);
        return { id, type: 'switch', value: n.value, cases: n.cases, ...opt('default', n.default) };
      case 'goto':
        next('next', n.next);
        return { id, type: 'goto', next: n.next };
      case 'subflow':
        next('next', n.next);
        return { id, type: 'subflow', flow: n.flow, ...opt('next', n.next) };
      case 'hangup':
        return { id, type: 'hangup', prompt: n.prompt ? this.prompt(p('prompt'), n.prompt) : [] };
      case 'lookup':
        return this.lookup(id, n);
      case 'transfer':
        return transferNode(id, n, this.checks);
      case 'voicemail':
        return voicemailNode(id, n, flowName, this.checks);
      case 'callback':
        return callbackNode(id, n, flowName, this.checks);
      case 'survey':
        return surveyNode(id, n, this.checks);
      case 'ask':
        return askNode(id, n, this.speechDefs, this.intentNames, this.checks);
    }
  }

  /** A `{{ }}` template (URL, body, header, key): reported at the exact place of a hole that does not parse. */
  private template(path: Path, source: string): void {
    try {
      parseTemplate(source);
    } catch (e) {
      if (!(e instanceof FlowExpressionError)) throw e;
      this.error('SWB_FLOW_INVALID_EXPRESSION', path, `${e.reason} in '${source}'`, false, this.source.insideValue(path, source, e.offset));
    }
  }

  private lookup(id: string, n: Extract<RawNode, { type: 'lookup' }>): LookupNode {
    const p = (...rest: Path): Path => ['nodes', id, ...rest];
    if ((n.http === undefined) === (n.table === undefined)) {
      this.error('SWB_FLOW_MISSING_KEY', p(), `lookup node '${id}' needs 'http' or 'table' (one of them)`, true);
    }
    if (n.table !== undefined) {
      if (!this.tableNames.includes(n.table)) {
        this.error('SWB_FLOW_INVALID_VALUE', p('table'), `table '${n.table}' is not in the flow's tables${didYouMean(n.table, this.tableNames)}`);
      }
      if (n.key === undefined) this.error('SWB_FLOW_MISSING_KEY', p(), `lookup node '${id}' reads table '${n.table}' and needs 'key'`, true);
    } else if (n.key !== undefined) {
      this.error('SWB_FLOW_INVALID_VALUE', p('key'), `'key' goes with 'table'; an http lookup puts its key in the URL or body`, true);
    }
    if (n.key !== undefined) this.template(p('key'), n.key);
    if (n.http) {
      this.template(p('http', 'url'), n.http.url);
      if (n.http.body !== undefined) {
        if (n.http.method === 'GET') this.error('SWB_FLOW_INVALID_VALUE', p('http', 'body'), `a GET request has no body (use method: POST)`, true);
        this.template(p('http', 'body'), n.http.body);
      }
      for (const [name, value] of Object.entries(n.http.headers)) this.template(p('http', 'headers', name), value);
    }
    for (const [name, path] of Object.entries(n.into)) {
      this.variableName(p('into', name), name, true);
      if (!/^[^.\s]+(\.[^.\s]+)*$/.test(path)) {
        this.error('SWB_FLOW_INVALID_VALUE', p('into', name), `'${path}' is not a dotted path (customer.name, items.0.id)`);
      }
    }
    this.ref(p('next'), n.next, 'next');
    this.ref(p('error'), n.error, 'error');
    this.ref(p('notFound'), n.notFound, 'notFound');
    if (n.notFound !== undefined && n.table === undefined) {
      this.error('SWB_FLOW_INVALID_VALUE', p('notFound'), `'notFound' goes with 'table' (an http lookup sends every failure to 'error')`, true);
    }
    const http = n.http && {
      url: n.http.url, method: n.http.method, ...opt('body', n.http.body), headers: n.http.headers,
      timeoutMs: n.http.timeout, retries: n.http.retries,
    };
    return {
      id, type: 'lookup', ...opt('http', http), ...opt('table', n.table), ...opt('key', n.key), into: n.into,
      ...opt('next', n.next), error: n.error, ...opt('notFound', n.notFound),
    };
  }

  private menu(id: string, n: Extract<RawNode, { type: 'menu' }>): FlowNode {
    const p = (...rest: Path): Path => ['nodes', id, ...rest];
    const options: Record<string, string> = {};
    const optionConditions: Record<string, string> = {};
    const optionLabels: Record<string, PromptPart[]> = {};
    for (const [key, option] of Object.entries(n.options)) {
      const k = parseDtmfKey(key);
      if (!k.ok) this.error('SWB_FLOW_INVALID_KEY', p('options', key), `option ${k.message}`, true);
      const target = typeof option === 'string' ? option : option.to;
      const targetPath = typeof option === 'string' ? p('options', key) : p('options', key, 'to');
      this.ref(targetPath, target, `option '${key}'`);
      options[key] = target;
      if (typeof option === 'string') continue;
      if (option.when !== undefined) {
        this.expression(p('options', key, 'when'), option.when);
        optionConditions[key] = option.when;
      }
      if (option.say !== undefined) optionLabels[key] = this.prompt(p('options', key, 'say'), option.say);
    }
    if (Object.keys(options).length === 0) this.error('SWB_FLOW_MISSING_KEY', p('options'), `menu '${id}' has no options`, true);
    if (n.prompt === undefined && Object.keys(options).some((key) => !(key in optionLabels))) {
      this.error('SWB_FLOW_MISSING_KEY', p(), `menu '${id}' needs a 'prompt' (or a 'say' label on every option)`, true);
    }
    // A repeat key the author did not write gives way to an option on the same key; one they wrote is a conflict.
    const repeatWritten = this.source.entry(p('repeatKey')) !== undefined;
    let repeatKey = n.repeatKey;
    if (repeatKey !== null && repeatKey in options) {
      if (repeatWritten) this.error('SWB_FLOW_KEY_CONFLICT', p('repeatKey'), `repeatKey '${repeatKey}' is also an option of menu '${id}'`);
      repeatKey = null;
    }
    if (n.backKey !== undefined && (n.backKey in options || n.backKey === repeatKey)) {
      this.error('SWB_FLOW_KEY_CONFLICT', p('backKey'), `backKey '${n.backKey}' is also ${n.backKey in options ? 'an option' : 'the repeatKey'} of menu '${id}'`);
    }
    this.ref(p('fallback'), n.fallback, 'fallback');
    return {
      id,
      type: 'menu',
      prompt: n.prompt ? this.prompt(p('prompt'), n.prompt) : [],
      options,
      optionConditions,
      optionLabels,
      input: n.input,
      optionPhrases: menuPhrases(id, n.input, n.options, this.checks),
      timeoutMs: n.timeout,
      retries: n.retries,
      ...opt('invalidPrompt', n.invalidPrompt && this.prompt(p('invalidPrompt'), n.invalidPrompt)),
      ...opt('noInputPrompt', n.noInputPrompt && this.prompt(p('noInputPrompt'), n.noInputPrompt)),
      ...opt('fallback', n.fallback),
      repeatKey,
      ...opt('backKey', n.backKey),
      bargeIn: n.bargeIn,
    };
  }

  private gather(id: string, n: Extract<RawNode, { type: 'gather' }>): FlowNode {
    const p = (...rest: Path): Path => ['nodes', id, ...rest];
    if (n.minDigits > n.maxDigits) {
      this.error('SWB_FLOW_INVALID_VALUE', p('minDigits'), `minDigits (${n.minDigits}) is more than maxDigits (${n.maxDigits})`);
    }
    if (n.terminator !== null && /^[0-9]$/.test(n.terminator)) {
      this.error('SWB_FLOW_INVALID_KEY', p('terminator'), `terminator '${n.terminator}' is a digit, so digits containing it could not be entered`);
    }
    if (n.input !== 'dtmf' && n.maxDigits > MAX_DIGITS) {
      this.error('SWB_FLOW_INVALID_VALUE', p('maxDigits'), `maxDigits (${n.maxDigits}) is more than the ${MAX_DIGITS} digits speech input reads`);
    }
    this.variableName(p('into'), n.into, false);
    if (n.validate?.pattern !== undefined) {
      try {
        new RegExp(n.validate.pattern);
      } catch (e) {
        this.error('SWB_FLOW_INVALID_PATTERN', p('validate', 'pattern'), `pattern: ${(e as Error).message}`);
      }
    }
    this.ref(p('fallback'), n.fallback, 'fallback');
    this.ref(p('next'), n.next, 'next');
    return {
      id,
      type: 'gather',
      prompt: this.prompt(p('prompt'), n.prompt),
      minDigits: n.minDigits,
      maxDigits: n.maxDigits,
      terminator: n.terminator,
      timeoutMs: n.timeout,
      interDigitTimeoutMs: n.interDigitTimeout,
      into: n.into,
      ...opt('validate', n.validate && { ...opt('pattern', n.validate.pattern), luhn: n.validate.luhn }),
      ...opt('invalidPrompt', n.invalidPrompt && this.prompt(p('invalidPrompt'), n.invalidPrompt)),
      ...opt('noInputPrompt', n.noInputPrompt && this.prompt(p('noInputPrompt'), n.noInputPrompt)),
      retries: n.retries,
      ...opt('fallback', n.fallback),
      sensitive: n.sensitive,
      input: n.input,
      ...opt('next', n.next),
      bargeIn: n.bargeIn,
    };
  }
}

/** `{ key: value }` when the value is present, `{}` otherwise: absent keys stay absent in the document. */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function valueAt(root: unknown, path: Path): unknown {
  let cur = root;
  for (const seg of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[seg] : undefined;
  return cur;
}
