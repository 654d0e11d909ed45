import type {
  CollectDigitsOptions, DigitResult, RecordRequest, RecordResult, TransferRequest, TransferResult,
} from '../../call/index.js';
import type { RecognitionGrammar, RecognitionResult, RecognitionStatus } from '../../speech/index.js';
import type { Value } from '../expr/index.js';
import type { FlowDocument, FlowNode, FlowNodeType, PromptPart } from '../schema/index.js';
import type { FlowStorage } from './flow-storage.js';
import type { HttpFetch } from './http-fetch.js';

/** Wordings the runtime speaks when a node names none of its own. */
export type DefaultWording =
  | 'invalidChoice' | 'invalidEntry' | 'noInput' | 'goodbye'
  | 'messageSaved' | 'noMessage' | 'enterCallbackNumber' | 'surveyThanks'
  | 'notUnderstood' | 'tryAgain';

/** Something a node achieved for the caller (FlowRunResult.outcomes); the runtime adds flow, node and time. */
export type NodeOutcome =
  | {
    type: 'transfer'; target: string; method: 'bridge' | 'refer';
    /** 'bridged' / 'referred' reached the target; the others are failed attempts. */
    result: 'bridged' | 'referred' | 'no-answer' | 'busy' | 'failed';
    status?: number; talkMs?: number;
  }
  | { type: 'voicemail'; id: string; mailbox: string; durationMs: number }
  | { type: 'callback'; id: string; queue: string; number: string; window?: string }
  | { type: 'survey'; question: string; answer: number | boolean | null };

export interface NodePlayOptions {
  /** Whether a key stops the prompt (default true). */
  bargeIn?: boolean;
  /** Take the escape when the key that stopped the prompt is the escape key (say and play nodes). */
  escapeOnKey?: boolean;
}

/** Why a speech answer did not do: nothing fitting heard, nothing heard, a confirmation denied, a value that does not fit. */
export type SpeechFailure = 'no-match' | 'no-input' | 'denied' | 'invalid';

/** What a speech input heard and made of it (FlowRunResult.transcript); the runtime adds flow, node and time. */
export interface HeardAnswer {
  /** What was listened for: an ask's question or its confirmation, a menu's options, a gather's digits. */
  /** 'person': the caller asked for a person ("agent", "operator", …) wherever the flow listened. */
  kind: 'ask' | 'confirm' | 'menu' | 'gather' | 'person';
  status: RecognitionStatus;
  /** The words heard ('' for no input). */
  text: string;
  /** What they mean: the intent, the option key, the digits, "yes"/"no"; null when nothing fitted. */
  value: string | null;
  intent?: string;
  /** Slot → canonical value. */
  slots?: Record<string, string>;
  confidence: number;
  /** Set when this answer counted as a speech failure. */
  failure?: SpeechFailure;
  /** Masks text and value in the records (a sensitive gather). */
  sensitive?: boolean;
}

export interface NodeListenRequest {
  /** Played in order while listening (a retry wording, then the question). */
  prompts: ReadonlyArray<readonly PromptPart[] | DefaultWording>;
  grammar: RecognitionGrammar;
  /** No speech this long after the prompts: no-input. */
  timeoutMs: number;
  bargeIn?: boolean;
  /** How keys are collected when one ends listening; absent: they wait for the next node (the escape key is taken). */
  keys?: CollectDigitsOptions;
  /** Masks collected keys in the run's records. */
  sensitive?: boolean;
  /** Values the prompts may read that are not stored (an answer being confirmed). */
  variables?: Readonly<Record<string, Value>>;
}

export type NodeListenResult =
  | { kind: 'speech'; result: RecognitionResult }
  /** Keys ended listening: collected as the request said, or (no `keys`) waiting for the next collect. */
  | { kind: 'keys'; keys?: CollectedKeys }
  /** No speech input on this call: ask with keys. The run stays keys-only from here. */
  | { kind: 'unavailable' };

/** Collected keys; never reason 'hangup' (a caller hanging up ends the run before the node sees it). */
export type CollectedKeys = DigitResult & { reason: Exclude<DigitResult['reason'], 'hangup'> };

/**
 * What a node may do to the call and the run. The runtime implements it; caller hangups, escapes and hangups
 * unwind the node (the promise never settles back into the node), so nodes are written for the happy path.
 */
export interface NodeContext {
  /** The flow this node belongs to (a subflow's own document inside a subflow). */
  readonly flow: FlowDocument;
  play(prompt: readonly PromptPart[] | DefaultWording, options?: NodePlayOptions): Promise<'finished' | 'interrupted'>;
  /** Waits for keys; `sensitive` masks them in the run's records and logs. */
  collect(options: CollectDigitsOptions, record?: { sensitive?: boolean }): Promise<CollectedKeys>;
  /** Forgets keys pressed so far. */
  clearKeys(): void;
  /** Evaluates an expression of this flow (parsed once per runner). */
  evaluate(source: string): Value;
  /** Renders a `{{ }}` template of this flow; `format` turns each inserted value's text into what is inserted. */
  renderTemplate(source: string, format?: (text: string) => string): string;
  /** HTTP for `lookup` nodes (FlowRunner option `httpFetch`). */
  readonly httpFetch: HttpFetch;
  /** Logs a problem the flow handles itself (a lookup that went to its error branch). */
  warn(message: string, details?: Record<string, unknown>): void;
  setVariable(name: string, value: Value, options?: { sensitive?: boolean }): void;
  /** The escape key in force here (this flow's, else a calling flow's), or undefined. */
  readonly escapeKey: string | undefined;
  /** Takes the escape: continues at the escape target (possibly in a calling flow). */
  escape(): never;
  /** After the retries: `fallback` if given, else the escape target, else a goodbye and hangup. */
  exhausted(fallback: string | undefined): Promise<string>;
  /** For a menu's backKey: the menu the caller came from (forgetting the current one), if any. */
  back(): string | undefined;
  /** Plays `prompt` without barge-in, then ends the call. */
  hangup(prompt: readonly PromptPart[] | DefaultWording): Promise<never>;
  /** Runs another flow's nodes from its start until a path ends there. */
  runSubflow(name: string): Promise<void>;
  /** The call's identity. */
  readonly call: { readonly id: string; readonly callerId: string; readonly calledUser: string };
  /** Wall-clock ms on the runner's clock. */
  now(): number;
  /** Plays the recording beep (not barge-in-able). */
  beep(): Promise<void>;
  /** Records the caller; a hangup during recording is a result (reason 'hangup'), so what was said can be kept. */
  record(request: RecordRequest): Promise<RecordResult>;
  transfer(request: TransferRequest): Promise<TransferResult>;
  readonly storage: FlowStorage;
  outcome(outcome: NodeOutcome): void;
  /** Ends the run as the caller's hangup if the call is over (after a recording or transfer the caller ended). */
  stopIfCallEnded(): void;
  /**
   * Plays prompts while recognizing `grammar`; speech or a key stops a barge-in prompt, and the escape key works as
   * everywhere. 'unavailable' when the call has no speech input (no recognizer, or it failed); the flow then says
   * once in the log that it runs DTMF-only.
   */
  listen(request: NodeListenRequest): Promise<NodeListenResult>;
  /** Records what a speech input heard. */
  heard(answer: HeardAnswer): void;
  /** Counts one failed speech answer on the call's single counter; true once the flow's `speech.failures` is reached. */
  speechFailed(reason: SpeechFailure): boolean;
  /** Where the call goes after its speech failures: `speech.operator`, else the escape, else `fallback`, else a goodbye and hangup. */
  speechOperator(fallback: string | undefined): Promise<string>;
}

/** One node type: `exec` runs a node and names the next node (undefined: the path ends). */
export interface NodeHandler<N extends FlowNode = FlowNode> {
  readonly type: N['type'];
  exec(node: N, ctx: NodeContext): Promise<string | undefined>;
}

export type NodeRegistry = { readonly [K in FlowNodeType]: NodeHandler<Extract<FlowNode, { type: K }>> };
