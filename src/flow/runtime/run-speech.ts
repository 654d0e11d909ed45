import type { CallControl, CollectDigitsOptions, DigitResult, PromptSource } from '../../call/index.js';
import { ESCALATION_PHRASES, FrustrationScorer, type RecognitionGrammar } from '../../speech/index.js';
import type { Value } from '../expr/index.js';
import type { CollectedKeys, DefaultWording, HeardAnswer, NodeListenRequest, NodeListenResult, SpeechFailure } from '../nodes/index.js';
import type { FlowDocument, PromptPart } from '../schema/index.js';
import type { FlowEvent, FlowLogger, FlowSpeechTurn } from './flow-run-result.js';
import type { KeyInput } from './key-input.js';
import { CallerHangupSignal } from './run-signals.js';

const MASK = '****';

/** What listening needs of the run at the node that listens. */
export interface ListenSite {
  flow: FlowDocument;
  /** Where the run is (flow and node), for the records. */
  at: { flow: string; node: string };
  render(prompt: readonly PromptPart[] | DefaultWording, variables?: Readonly<Record<string, Value>>): PromptSource[];
  collect(options: CollectDigitsOptions, sensitive: boolean): Promise<CollectedKeys>;
  /** Records keys the call collected; a hangup unwinds. */
  collected(result: DigitResult, sensitive: boolean): CollectedKeys;
  /** The escape key in force here, if any. */
  escapeKey: string | undefined;
  /** Records the escape key as input and takes the escape. */
  escape(key: string): never;
  /** The caller did something: the run's loop guard starts again. */
  heardCaller(): void;
  /** Whether a person can be reached from here (the flow's speech operator or an escape). */
  personReachable: boolean;
  /** The caller asked for a person: marks the call frustrated and goes to the operator route. */
  escalate(): never;
}

/** The option every listened-for list gets when a person can be reached: callers ask for one in their own words. */
const PERSON = '@person';
const scorer = new FrustrationScorer();

function withPersonOption(grammar: RecognitionGrammar): RecognitionGrammar {
  if (grammar.kind !== 'options') return grammar;
  return { ...grammar, options: [...grammar.options, { value: PERSON, phrases: [...ESCALATION_PHRASES] }] };
}

export interface RunSpeechSettings {
  logger: FlowLogger;
  onEvent?: (event: FlowEvent) => void;
  speechUnavailable: (flow: FlowDocument, reason: string) => void;
  now(): number;
}

/**
 * A run's speech input: listening through the call port, the transcript of what was heard, and the call's one
 * speech failure counter (shared by every speech input of the call, subflows included). Once a listen finds no
 * speech input, the rest of the call asks with keys.
 */
export class RunSpeech {
  readonly transcript: FlowSpeechTurn[] = [];
  failures = 0;
  private off: string | undefined;

  constructor(private readonly call: CallControl, private readonly keys: KeyInput, private readonly settings: RunSpeechSettings) {}

  /**
   * A key the runtime already read ends listening before it starts; keys not collected stay waiting for the next
   * node, except the escape key, which is taken here as during any prompt.
   */
  async listen(site: ListenSite, request: NodeListenRequest): Promise<NodeListenResult> {
    if (this.off !== undefined) return this.unavailable(site.flow, this.off);
    const sources = request.prompts.flatMap((p) => site.render(p, request.variables));
    const bargeIn = request.bargeIn ?? true;
    const sensitive = request.sensitive === true;
    if (this.keys.hasPending()) {
      if (bargeIn) this.keys.reportUnplayed(sources);
      else if (sources.length > 0 && (await this.keys.play(sources, { bargeIn: false })) === 'hangup') throw new CallerHangupSignal();
    } else {
      const { minConfidence } = site.flow.speech;
      const r = await this.call.listen({
        prompts: sources, bargeIn, grammar: site.personReachable ? withPersonOption(request.grammar) : request.grammar,
        recognition: { noInputTimeoutMs: request.timeoutMs, ...(minConfidence !== undefined ? { confidenceThreshold: minConfidence } : {}) },
        ...(request.keys ? { keys: request.keys } : {}),
      });
      switch (r.kind) {
        case 'hangup':
          throw new CallerHangupSignal();
        case 'unavailable':
          this.off = r.reason;
          return this.unavailable(site.flow, r.reason);
        case 'speech':
          if (r.result.status !== 'no-input') site.heardCaller();
          if (r.result.status === 'match' && r.result.value === PERSON) {
            this.heard(site.at, { kind: 'person', status: 'match', text: r.result.text, value: PERSON, confidence: r.result.confidence });
            site.escalate();
          }
          return r;
        case 'keys':
          if (r.keys) return { kind: 'keys', keys: site.collected(r.keys, sensitive) };
      }
    }
    if (request.keys) return { kind: 'keys', keys: await site.collect(request.keys, sensitive) };
    const key = await this.keys.peek();
    if (key === 'hangup') throw new CallerHangupSignal();
    if (key !== undefined && key === site.escapeKey) {
      this.keys.take();
      site.escape(key);
    }
    return { kind: 'keys' };
  }

  heard(at: { flow: string; node: string }, { sensitive = false, ...answer }: HeardAnswer): FlowSpeechTurn {
    const masked = (v: string) => (sensitive && v !== '' ? MASK : v);
    // A sensitive answer (a PIN said aloud) is not analysed.
    const mood = sensitive || answer.text === '' ? undefined : scorer.score(answer.text);
    const turn: FlowSpeechTurn = {
      ...answer, ...at, text: masked(answer.text), value: answer.value === null ? null : masked(answer.value), sensitive,
      atMs: this.settings.now(), ...(mood ? { sentiment: mood.sentiment, frustrated: mood.frustrated } : {}),
    };
    this.transcript.push(turn);
    this.settings.onEvent?.({ type: 'speech', turn });
    this.settings.logger.debug({ callId: this.call.id, turn }, 'speech heard');
    return turn;
  }

  /** Counts a failure; true once the flow's limit is reached. */
  failed(at: { flow: string; node: string }, flow: FlowDocument, reason: SpeechFailure): boolean {
    const count = ++this.failures;
    const limit = flow.speech.failures;
    this.settings.onEvent?.({ type: 'speech-failure', ...at, reason, count, limit });
    this.settings.logger.info({ callId: this.call.id, ...at, reason, count, limit }, 'speech answer failed');
    return count >= limit;
  }

  private unavailable(flow: FlowDocument, reason: string): NodeListenResult {
    this.settings.speechUnavailable(flow, reason);
    return { kind: 'unavailable' };
  }
}
