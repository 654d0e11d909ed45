/**
 * A call record: what happened on one call, kept after it ends. The store declares these shapes itself (it imports
 * nothing above common/); the flow runtime's FlowRunResult and the call's CallInfo fit them structurally.
 */

export interface CallRecordStep {
  flow: string;
  node: string;
  type: string;
  atMs: number;
}

export interface CallRecordInput {
  flow: string;
  node: string;
  /** Already masked by the flow runtime for sensitive gathers; the store keeps what it is given. */
  keys: string;
  reason: string;
  terminator?: string;
  sensitive: boolean;
  atMs: number;
}

export interface CallRecordError {
  flow: string;
  node: string;
  message: string;
  code?: string;
  atMs: number;
}

export interface CallRecordHangupPoint {
  flow: string;
  node: string;
  atMs: number;
}

/**
 * Something the call achieved for the caller (a transfer, a voicemail, a callback request, a survey answer), as the
 * flow runtime reported it; `type` tells which, the other fields are the runtime's and are kept as given.
 */
export interface CallRecordOutcome {
  type: string;
  flow: string;
  node: string;
  atMs: number;
  [field: string]: unknown;
}

/**
 * One caller turn heard by speech recognition, as the flow runtime reported it (text masked where the input was
 * sensitive); `status` is the recognizer's (match, no-match, no-input), the other fields are the runtime's.
 */
export interface CallRecordTurn {
  flow: string;
  node: string;
  atMs: number;
  status: string;
  text: string;
  confidence: number;
  [field: string]: unknown;
}

export interface CallRecord {
  /** The row id: unique even when a Call-ID repeats. */
  id: number;
  callId: string;
  from: string;
  to: string;
  flow: string;
  flowRevision: string;
  offeredAtMs: number;
  answeredAtMs?: number;
  endedAtMs: number;
  /** e.g. 'transferred', 'voicemail', 'callback', 'self-served', 'abandoned', 'error'. */
  disposition: string;
  endReason?: string;
  path: CallRecordStep[];
  inputs: CallRecordInput[];
  /** Sensitive values are masked before they reach the store. */
  variables: Record<string, unknown>;
  errors: CallRecordError[];
  callerHangupAt?: CallRecordHangupPoint;
  /** In the order they happened; the disposition is derived from these. */
  outcomes: CallRecordOutcome[];
  /** What the caller said, turn by turn. */
  transcript: CallRecordTurn[];
}

export type NewCallRecord = Omit<CallRecord, 'id' | 'errors' | 'outcomes' | 'transcript'> & {
  errors?: CallRecordError[];
  outcomes?: CallRecordOutcome[];
  transcript?: CallRecordTurn[];
};

export interface CallRecordSummary {
  id: number;
  callId: string;
  from: string;
  to: string;
  flow: string;
  disposition: string;
  offeredAtMs: number;
  answeredAtMs?: number;
  endedAtMs: number;
  /** The nodes entered, in order. */
  route: string[];
}

export interface CallRecordQuery {
  /** 1..1000; default 50. */
  limit?: number;
  /** Only rows with an id below this one: pass the last id of the previous page. */
  before?: number;
  from?: string;
  flow?: string;
}
