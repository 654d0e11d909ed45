import type { CallControl, CollectDigitsOptions, DigitResult, PromptSource } from '../../call/index.js';
import { SwitchboardError, type Clock } from '../../common/index.js';
import {
  evaluate, localTimestamp, renderTemplate, type Expr, type ExpressionScope, type Template, type Value,
} from '../expr/index.js';
import type {
  CollectedKeys, DefaultWording, FlowStorage, HttpFetch, NodeContext, NodeHandler, NodePlayOptions, NodeRegistry,
} from '../nodes/index.js';
import type { FlowDocument, FlowNode, PromptPart } from '../schema/index.js';
import type {
  FlowDisposition, FlowEvent, FlowInputRecord, FlowLogger, FlowOutcome, FlowPathStep, FlowRunError, FlowRunResult,
} from './flow-run-result.js';
import { KeyInput } from './key-input.js';
import { RunSpeech, type ListenSite } from './run-speech.js';
import type { PromptRenderer } from './prompt-renderer.js';
import { CallerHangupSignal, JumpSignal, RunEndSignal, isRunSignal } from './run-signals.js';

/** What a run shares with its runner (caches, limits, wiring). */
export interface RunSettings {
  clock: Clock;
  nodes: NodeRegistry;
  renderer: PromptRenderer;
  expression: (source: string) => Expr;
  template: (source: string) => Template;
  httpFetch: HttpFetch;
  storage: FlowStorage;
  resolveFlow: (name: string) => FlowDocument | undefined;
  logger: FlowLogger;
  wordings: Readonly<Record<DefaultWording, string>>;
  maxStepsWithoutInput: number;
  maxSubflowDepth: number;
  maxPathLength: number;
  onEvent?: (event: FlowEvent) => void;
  /** Told when a call finds no speech input (the runner logs it once per flow version). */
  speechUnavailable: (flow: FlowDocument, reason: string) => void;
}

interface Frame {
  flow: FlowDocument;
  depth: number;
  /** Menus entered in this flow, latest last, for backKey. */
  menus: string[];
}

interface EscapeTarget {
  depth: number;
  key: string;
  node: string;
}

const MASK = '****';
const MAX_MENU_HISTORY = 32;
/** Node failures that may still take the escape; past this the call ends, so a failing escape node cannot loop. */
const MAX_ERROR_ESCAPES = 3;

/** One call through a flow. Not reusable. */
export class FlowRun {
  private readonly vars = new Map<string, Value>();
  private readonly sensitive = new Set<string>();
  private readonly path: FlowPathStep[] = [];
  private pathTruncated = false;
  private readonly inputs: FlowInputRecord[] = [];
  private readonly errors: FlowRunError[] = [];
  private readonly outcomes: FlowOutcome[] = [];
  private readonly frames: Frame[] = [];
  private readonly keys: KeyInput;
  private stepsSinceInput = 0;
  private current: { flow: string; node: string } = { flow: '', node: '' };
  private callerHangupAt: FlowRunResult['callerHangupAt'];
  private readonly speech: RunSpeech;

  constructor(
    private readonly root: FlowDocument,
    private readonly call: CallControl,
    private readonly settings: RunSettings,
    variables: Readonly<Record<string, Value>> = {},
  ) {
    this.keys = new KeyInput(call, (prompts) => settings.onEvent?.({ type: 'prompt-skipped', prompts }));
    this.speech = new RunSpeech(call, this.keys, { ...settings, now: () => this.now() });
    for (const [k, v] of Object.entries(variables)) this.vars.set(k, v);
  }

  async execute(): Promise<FlowRunResult> {
    const startedAtMs = this.now();
    let disposition: FlowDisposition;
    try {
      await this.runFrame(this.root, 0);
      await this.endCall();
      disposition = 'hangup';
    } catch (e) {
      disposition = await this.dispositionOf(e);
    }
    this.settings.onEvent?.({ type: 'end', disposition });
    this.settings.logger.info(
      {
        callId: this.call.id, flow: this.root.name, revision: this.root.revision, disposition, steps: this.path.length,
        route: this.path.map((s) => s.node).join(' > '), inputs: this.inputs,
      },
      'flow ended',
    );
    const variables: Record<string, Value> = {};
    for (const [k, v] of this.vars) variables[k] = this.sensitive.has(k) ? MASK : v;
    const result: FlowRunResult = {
      callId: this.call.id, flow: this.root.name, revision: this.root.revision, disposition, path: this.path,
      pathTruncated: this.pathTruncated, variables, inputs: this.inputs, errors: this.errors, outcomes: this.outcomes,
      transcript: this.speech.transcript, speechFailures: this.speech.failures, startedAtMs, endedAtMs: this.now(),
    };
    if (this.callerHangupAt) result.callerHangupAt = this.callerHangupAt;
    return result;
  }

  private async dispositionOf(e: unknown): Promise<FlowDisposition> {
    if (e instanceof CallerHangupSignal) {
      this.callerHangupAt = { ...this.current, atMs: this.now() };
      return 'caller-hangup';
    }
    if (e instanceof RunEndSignal) return e.disposition;
    this.fail(e);
    await this.endCall();
    return 'error';
  }

  private now(): number {
    return this.settings.clock.wallMs();
  }

  private async runFrame(flow: FlowDocument, depth: number): Promise<void> {
    const frame: Frame = { flow, depth, menus: [] };
    this.frames.push(frame);
    const ctx = this.contextFor(frame);
    try {
      let id: string | undefined = flow.start;
      while (id !== undefined) {
        if (this.call.ended) throw new CallerHangupSignal();
        const nodeId: string = id;
        this.current = { flow: flow.name, node: nodeId };
        const node: FlowNode | undefined = Object.hasOwn(flow.nodes, nodeId) ? flow.nodes[nodeId] : undefined;
        try {
          if (!node) throw new SwitchboardError('SWB_ERR_FLOW_RUNTIME', `No node "${nodeId}" in flow "${flow.name}"`);
          await this.enter(frame, node);
          id = await (this.settings.nodes[node.type] as NodeHandler).exec(node, ctx);
        } catch (e) {
          if (e instanceof JumpSignal && e.depth === depth) {
            id = e.node;
            continue;
          }
          if (isRunSignal(e)) throw e;
          id = await this.nodeFailed(frame, nodeId, e);
        }
      }
    } finally {
      this.frames.pop();
    }
  }

  private async enter(frame: Frame, node: FlowNode): Promise<void> {
    const step: FlowPathStep = { flow: frame.flow.name, node: node.id, type: node.type, atMs: this.now() };
    if (this.path.length < this.settings.maxPathLength) this.path.push(step);
    else this.pathTruncated = true;
    this.settings.onEvent?.({ type: 'node', step });
    this.call.setActivity({ app: step.flow, step: step.node, type: step.type });
    this.settings.logger.debug({ callId: this.call.id, flow: step.flow, node: step.node, type: step.type }, 'node');
    if (node.type === 'menu' && frame.menus[frame.menus.length - 1] !== node.id) {
      frame.menus.push(node.id);
      if (frame.menus.length > MAX_MENU_HISTORY) frame.menus.shift();
    }
    if (++this.stepsSinceInput > this.settings.maxStepsWithoutInput) {
      const message = `${this.settings.maxStepsWithoutInput} steps without caller input: the flow loops`;
      this.fail(new SwitchboardError('SWB_ERR_FLOW_RUNTIME', message));
      await this.endCall();
      throw new RunEndSignal('error');
    }
  }

  /** A node threw: record it, then take the escape if there is one (a bounded number of times), else end the call. */
  private async nodeFailed(frame: Frame, nodeId: string, e: unknown): Promise<string> {
    this.fail(e);
    const target = this.escapeTarget(frame);
    const failingIsTarget = target?.depth === frame.depth && target.node === nodeId;
    if (target && !failingIsTarget && this.errors.length <= MAX_ERROR_ESCAPES) {
      this.settings.onEvent?.({ type: 'escape', flow: this.frames[target.depth].flow.name, from: nodeId, to: target.node });
      if (target.depth === frame.depth) return target.node;
      throw new JumpSignal(target.depth, target.node);
    }
    await this.endCall();
    throw new RunEndSignal('error');
  }

  private fail(e: unknown): void {
    const error: FlowRunError = { ...this.current, message: e instanceof Error ? e.message : String(e), atMs: this.now() };
    if (e instanceof SwitchboardError) error.code = e.code;
    this.errors.push(error);
    this.settings.logger.error({ callId: this.call.id, ...this.current, err: e }, 'flow node failed');
    this.settings.onEvent?.({ type: 'error', error });
  }

  private async endCall(): Promise<void> {
    if (this.call.ended) return;
    try {
      await this.call.hangup();
    } catch (e) {
      this.settings.logger.warn({ callId: this.call.id, err: e }, 'hangup failed');
    }
  }

  /** The escape of the innermost flow that has one: a subflow without its own uses its caller's. */
  private escapeTarget(frame: Frame): EscapeTarget | undefined {
    for (let d = frame.depth; d >= 0; d--) {
      const escape = this.frames[d].flow.escape;
      if (escape) return { depth: d, key: escape.key, node: escape.to };
    }
    return undefined;
  }

  private takeEscape(frame: Frame): never {
    const target = this.escapeTarget(frame);
    if (!target) throw new SwitchboardError('SWB_ERR_FLOW_RUNTIME', 'No escape applies here');
    this.settings.onEvent?.({ type: 'escape', flow: this.frames[target.depth].flow.name, from: this.current.node, to: target.node });
    throw new JumpSignal(target.depth, target.node);
  }

  private scope(frame: Frame): ExpressionScope {
    const { flow } = frame;
    return {
      variable: (name) => {
        if (this.vars.has(name)) return this.vars.get(name);
        switch (name) {
          case 'caller': return this.call.callerId;
          case 'called': return this.call.calledUser;
          case 'callId': return this.call.id;
          case 'now': return localTimestamp(this.now(), flow.timezone);
          case 'frustrated': return false;
          default: return undefined;
        }
      },
      wallMs: () => this.now(),
      timeZone: flow.timezone,
      schedule: (name) => (Object.hasOwn(flow.schedules, name) ? flow.schedules[name] : undefined),
    };
  }

  private render(frame: Frame, prompt: readonly PromptPart[] | DefaultWording, extra?: Readonly<Record<string, Value>>): PromptSource[] {
    const parts: readonly PromptPart[] = typeof prompt === 'string' ? [{ kind: 'say', text: this.settings.wordings[prompt] }] : prompt;
    const base = this.scope(frame);
    const scope: ExpressionScope = extra
      ? { ...base, variable: (name) => (Object.hasOwn(extra, name) ? extra[name] : base.variable(name)) }
      : base;
    return this.settings.renderer.render(parts, { scope, voice: frame.flow.voice, currency: frame.flow.currency });
  }

  private listenSite(frame: Frame): ListenSite {
    return {
      flow: frame.flow,
      at: this.current,
      render: (prompt, variables) => this.render(frame, prompt, variables),
      collect: (options, sensitive) => this.collect(options, sensitive),
      collected: (r, sensitive) => this.collected(r, sensitive),
      escapeKey: this.escapeTarget(frame)?.key,
      escape: (key) => {
        this.stepsSinceInput = 0;
        this.record(key, 'escape', false);
        return this.takeEscape(frame);
      },
      heardCaller: () => {
        this.stepsSinceInput = 0;
      },
      personReachable: frame.flow.speech.operator !== undefined || this.escapeTarget(frame) !== undefined,
      escalate: () => {
        this.vars.set('frustrated', true);
        const operator = frame.flow.speech.operator;
        if (operator === undefined) return this.takeEscape(frame);
        this.settings.onEvent?.({ type: 'escape', flow: frame.flow.name, from: this.current.node, to: operator });
        throw new JumpSignal(frame.depth, operator);
      },
    };
  }

  private async collect(options: CollectDigitsOptions, sensitive: boolean): Promise<CollectedKeys> {
    const r = await this.keys.collect(options);
    return this.collected(r, sensitive);
  }

  private collected(r: DigitResult, sensitive: boolean): CollectedKeys {
    if (r.reason === 'hangup') throw new CallerHangupSignal();
    if (r.digits) this.stepsSinceInput = 0;
    this.record(r.digits, r.reason, sensitive, r.terminator);
    return r as CollectedKeys;
  }

  private record(keys: string, reason: FlowInputRecord['reason'], sensitive: boolean, terminator?: string): void {
    const input: FlowInputRecord = { ...this.current, keys: sensitive && keys ? MASK : keys, reason, sensitive, atMs: this.now() };
    if (terminator !== undefined) input.terminator = terminator;
    this.inputs.push(input);
    this.settings.onEvent?.({ type: 'input', input });
  }

  private contextFor(frame: Frame): NodeContext {
    const escapeKey = (): string | undefined => this.escapeTarget(frame)?.key;
    const hangup = async (prompt: readonly PromptPart[] | DefaultWording): Promise<never> => {
      const sources = this.render(frame, prompt);
      if (sources.length > 0 && (await this.keys.play(sources, { bargeIn: false })) === 'hangup') {
        throw new CallerHangupSignal();
      }
      await this.endCall();
      throw new RunEndSignal('hangup');
    };
    return {
      flow: frame.flow,
      get escapeKey() {
        return escapeKey();
      },
      play: (prompt, options) => this.play(frame, prompt, options),
      collect: (options, record = {}) => this.collect(options, record.sensitive === true),
      clearKeys: () => this.keys.clear(),
      evaluate: (source) => evaluate(this.settings.expression(source), this.scope(frame), source),
      renderTemplate: (source, format) => renderTemplate(this.settings.template(source), this.scope(frame), format ? { format } : {}),
      httpFetch: this.settings.httpFetch,
      warn: (message, details = {}) => this.settings.logger.warn({ callId: this.call.id, ...this.current, ...details }, message),
      setVariable: (name, value, options = {}) => {
        this.vars.set(name, value);
        if (options.sensitive) this.sensitive.add(name);
        else this.sensitive.delete(name);
      },
      escape: () => this.takeEscape(frame),
      exhausted: async (fallback) => {
        if (fallback !== undefined) return fallback;
        if (this.escapeTarget(frame)) this.takeEscape(frame);
        return hangup('goodbye');
      },
      back: () => {
        if (frame.menus.length < 2) return undefined;
        frame.menus.pop();
        return frame.menus[frame.menus.length - 1];
      },
      hangup,
      call: this.call,
      now: () => this.now(),
      beep: async () => {
        if ((await this.keys.play([{ kind: 'named', name: 'beep' }], { bargeIn: false })) === 'hangup') throw new CallerHangupSignal();
      },
      record: async (request) => {
        if (this.call.ended) throw new CallerHangupSignal();
        this.stepsSinceInput = 0;
        return this.call.record(request);
      },
      transfer: async (request) => {
        if (this.call.ended) throw new CallerHangupSignal();
        this.stepsSinceInput = 0;
        return this.call.transfer(request);
      },
      storage: this.settings.storage,
      outcome: (outcome) => {
        const o = { ...outcome, ...this.current, atMs: this.now() } as FlowOutcome;
        this.outcomes.push(o);
        this.settings.onEvent?.({ type: 'outcome', outcome: o });
      },
      stopIfCallEnded: () => {
        if (this.call.ended) throw new CallerHangupSignal();
      },
      listen: (request) => this.speech.listen(this.listenSite(frame), request),
      heard: (answer) => {
        // `frustrated` stays true once set: flows branch on it, and transfers mark such calls urgent.
        if (this.speech.heard(this.current, answer).frustrated) this.vars.set('frustrated', true);
      },
      speechFailed: (reason) => this.speech.failed(this.current, frame.flow, reason),
      speechOperator: async (fallback) => {
        const operator = frame.flow.speech.operator;
        if (operator !== undefined) return operator;
        if (this.escapeTarget(frame)) this.takeEscape(frame);
        if (fallback !== undefined) return fallback;
        return hangup('goodbye');
      },
      runSubflow: async (name) => {
        if (frame.depth + 1 > this.settings.maxSubflowDepth) {
          throw new SwitchboardError('SWB_ERR_FLOW_RUNTIME', `Subflows nested deeper than ${this.settings.maxSubflowDepth}`);
        }
        const sub = this.settings.resolveFlow(name);
        if (!sub) throw new SwitchboardError('SWB_ERR_FLOW_RUNTIME', `No flow named "${name}" for a subflow`);
        await this.runFrame(sub, frame.depth + 1);
      },
    };
  }

  private async play(
    frame: Frame, prompt: readonly PromptPart[] | DefaultWording, options: NodePlayOptions = {},
  ): Promise<'finished' | 'interrupted'> {
    const sources = this.render(frame, prompt);
    if (sources.length === 0) return 'finished';
    const outcome = await this.keys.play(sources, { bargeIn: options.bargeIn ?? true });
    if (outcome === 'hangup') throw new CallerHangupSignal();
    if (outcome === 'interrupted' && options.escapeOnKey) {
      const target = this.escapeTarget(frame);
      const key = target ? await this.keys.peek() : undefined;
      if (key === 'hangup') throw new CallerHangupSignal();
      if (target && key === target.key) {
        this.keys.take();
        this.stepsSinceInput = 0;
        this.record(key, 'escape', false);
        this.takeEscape(frame);
      }
    }
    return outcome;
  }
}
