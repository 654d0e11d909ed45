import type { CallControl } from '../../call/index.js';
import { SystemClock, type Clock } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import { parseExpression, parseTemplate, type Expr, type Template, type Value } from '../expr/index.js';
import {
  NODE_HANDLERS, fetchHttp, type DefaultWording, type FlowStorage, type HttpFetch, type NodeRegistry,
} from '../nodes/index.js';
import { NO_STORAGE } from './no-storage.js';
import type { FlowDocument } from '../schema/index.js';
import { FlowRun } from './flow-run.js';
import type { FlowEvent, FlowLogger, FlowRunResult } from './flow-run-result.js';
import { PromptRenderer } from './prompt-renderer.js';

export const DEFAULT_WORDINGS: Readonly<Record<DefaultWording, string>> = {
  invalidChoice: 'Sorry, that is not a valid choice.',
  invalidEntry: 'Sorry, that entry is not valid.',
  noInput: "Sorry, I didn't hear anything.",
  goodbye: 'Goodbye.',
  messageSaved: 'Your message has been saved.',
  noMessage: 'No message was recorded.',
  enterCallbackNumber: 'Please enter the number we should call, then press the hash key.',
  surveyThanks: 'Thank you for your feedback.',
  notUnderstood: "Sorry, I didn't catch that.",
  tryAgain: "Sorry about that. Let's try again.",
};

export interface FlowRunnerOptions {
  /** Drives timestamps and time of day (`now`, hour(), open()); default the system clock. */
  clock?: Clock;
  /** Finds a flow by name for `subflow` nodes. */
  resolveFlow?: (name: string) => FlowDocument | undefined;
  logger?: FlowLogger;
  /** Node steps allowed without a key from the caller before the call ends as `error` (default 500). */
  maxStepsWithoutInput?: number;
  /** Default 8. */
  maxSubflowDepth?: number;
  /** Path steps kept in the result (default 10 000). */
  maxPathLength?: number;
  /** Replaces the runtime's wording for prompts a node does not name. */
  wordings?: Partial<Record<DefaultWording, string>>;
  /** Node handlers; default NODE_HANDLERS. */
  nodes?: NodeRegistry;
  /** HTTP for `lookup` nodes; default the global fetch with AbortSignal.timeout. */
  httpFetch?: HttpFetch;
  /** Where voicemails, callback requests and survey answers go; default none (those nodes fail, taking the escape). */
  storage?: FlowStorage;
}

export interface FlowRunOptions {
  /** Told of every node, input, escape and error as it happens. */
  onEvent?: (event: FlowEvent) => void;
  /** Variables set before the first node. */
  variables?: Readonly<Record<string, Value>>;
}

const MAX_CACHED_EXPRESSIONS = 5000;

/**
 * Runs calls through flows. One runner serves many calls at once; each `run` keeps its own state, and the flow
 * object it is given (immutable once loaded) is the version the call finishes on.
 */
export class FlowRunner {
  private readonly renderer = new PromptRenderer();
  private readonly expressions = new Map<string, Expr>();
  private readonly templates = new Map<string, Template>();
  private readonly options: FlowRunnerOptions;
  /** Flow versions already reported as running DTMF-only: said once per version, not once per call. */
  private readonly speechWarned = new WeakSet<FlowDocument>();

  constructor(options: FlowRunnerOptions = {}) {
    this.options = options;
  }

  run(flow: FlowDocument, call: CallControl, options: FlowRunOptions = {}): Promise<FlowRunResult> {
    const o = this.options;
    const log = o.logger ?? logger('flow.runtime');
    const run = new FlowRun(flow, call, {
      clock: o.clock ?? new SystemClock(),
      nodes: o.nodes ?? NODE_HANDLERS,
      renderer: this.renderer,
      expression: (source) => this.expression(source),
      template: (source) => this.template(source),
      httpFetch: o.httpFetch ?? fetchHttp,
      storage: o.storage ?? NO_STORAGE,
      resolveFlow: o.resolveFlow ?? (() => undefined),
      logger: log,
      wordings: { ...DEFAULT_WORDINGS, ...o.wordings },
      maxStepsWithoutInput: o.maxStepsWithoutInput ?? 500,
      maxSubflowDepth: o.maxSubflowDepth ?? 8,
      maxPathLength: o.maxPathLength ?? 10_000,
      onEvent: options.onEvent,
      speechUnavailable: (f, reason) => {
        if (this.speechWarned.has(f)) return;
        this.speechWarned.add(f);
        log.warn({ flow: f.name, revision: f.revision, reason }, `speech unavailable: ${f.name} runs DTMF-only`);
      },
    }, options.variables);
    return run.execute();
  }

  private expression(source: string): Expr {
    let expr = this.expressions.get(source);
    if (!expr) {
      if (this.expressions.size >= MAX_CACHED_EXPRESSIONS) this.expressions.clear();
      expr = parseExpression(source);
      this.expressions.set(source, expr);
    }
    return expr;
  }

  private template(source: string): Template {
    let template = this.templates.get(source);
    if (!template) {
      if (this.templates.size >= MAX_CACHED_EXPRESSIONS) this.templates.clear();
      template = parseTemplate(source);
      this.templates.set(source, template);
    }
    return template;
  }
}
