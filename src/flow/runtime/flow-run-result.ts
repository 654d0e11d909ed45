import type { DigitResult, PromptSource } from '../../call/index.js';
import type { Value } from '../expr/index.js';
import type { HeardAnswer, NodeOutcome, SpeechFailure } from '../nodes/index.js';
import type { FlowNodeType } from '../schema/index.js';

/**
 * How a run ended: `hangup` — the flow hung up (a hangup node, a path that ended, retries used up with nowhere
 * to go); `caller-hangup` — the caller (or the network) ended the call; `error` — the flow failed and had no escape,
 * or looped without caller input. What the caller got on the way (a transfer, a voicemail, a callback request,
 * survey answers) is in `outcomes`.
 */
export type FlowDisposition = 'hangup' | 'caller-hangup' | 'error';

/** Something the run achieved for the caller, in order; the call record's disposition is derived from these. */
export type FlowOutcome = NodeOutcome & { flow: string; node: string; atMs: number };

export interface FlowPathStep {
  flow: string;
  node: string;
  type: FlowNodeType;
  /** Wall-clock ms (the runner's clock). */
  atMs: number;
}

export interface FlowInputRecord {
  flow: string;
  node: string;
  /** The keys, or "****" for a sensitive gather (the length is not revealed either). */
  keys: string;
  /** Why collection stopped; `escape` when the key took the flow's escape during a prompt. */
  reason: DigitResult['reason'] | 'escape';
  terminator?: string;
  sensitive: boolean;
  atMs: number;
}

/**
 * One answer a speech input heard, as the call record keeps it: text and value read "****" when sensitive. Words
 * heard carry their sentiment score and whether the caller sounded frustrated (speech/nlu FrustrationScorer).
 */
export type FlowSpeechTurn = Omit<HeardAnswer, 'sensitive'> & {
  flow: string; node: string; sensitive: boolean; atMs: number; sentiment?: number; frustrated?: boolean;
};

export interface FlowRunError {
  flow: string;
  node: string;
  message: string;
  code?: string;
  atMs: number;
}

export interface FlowRunResult {
  callId: string;
  flow: string;
  revision: string;
  disposition: FlowDisposition;
  /** Every node entered, in order (subflow nodes carry their own flow's name). */
  path: FlowPathStep[];
  /** True when the path grew past the runner's limit and later steps were not kept. */
  pathTruncated: boolean;
  /** Variables at the end; sensitive ones read "****". */
  variables: Record<string, Value>;
  inputs: FlowInputRecord[];
  errors: FlowRunError[];
  outcomes: FlowOutcome[];
  /** Every answer heard by speech inputs, in order. */
  transcript: FlowSpeechTurn[];
  /** Speech answers that failed (the call's counter): no-match, no-input, denied confirmations, values that do not fit. */
  speechFailures: number;
  /** Where the call was when the caller hung up (disposition `caller-hangup` only). */
  callerHangupAt?: { flow: string; node: string; atMs: number };
  startedAtMs: number;
  endedAtMs: number;
}

/** What happens during a run, as it happens (the simulator prints these). Keys are masked as in the result. */
export type FlowEvent =
  | { type: 'node'; step: FlowPathStep }
  | { type: 'input'; input: FlowInputRecord }
  /** Prompts not played because a key the runtime had already read was waiting (the call layer never saw them). */
  | { type: 'prompt-skipped'; prompts: PromptSource[] }
  | { type: 'escape'; flow: string; from: string; to: string }
  | { type: 'outcome'; outcome: FlowOutcome }
  | { type: 'speech'; turn: FlowSpeechTurn }
  /** A speech answer failed: `count` of the flow's `limit` for this call. */
  | { type: 'speech-failure'; flow: string; node: string; reason: SpeechFailure; count: number; limit: number }
  | { type: 'error'; error: FlowRunError }
  | { type: 'end'; disposition: FlowDisposition };

/** The logging the runner needs; a pino Logger fits. */
export interface FlowLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const nothing = (): void => {};
export const SILENT_FLOW_LOGGER: FlowLogger = { debug: nothing, info: nothing, warn: nothing, error: nothing };
