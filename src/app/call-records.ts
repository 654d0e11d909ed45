import type { CallInfo } from '../call/index.js';
import type { FlowRunResult } from '../flow/index.js';
import type { NewCallRecord } from '../store/index.js';

function isFlowRunResult(x: unknown): x is FlowRunResult {
  return typeof x === 'object' && x !== null && Array.isArray((x as FlowRunResult).path) && typeof (x as FlowRunResult).disposition === 'string';
}

/**
 * How a call ended, in the call-record vocabulary. What the caller got wins, most decisive first: a transfer that
 * reached its target (bridged, or accepted by the REFER) → 'transferred'; a voicemail left → 'voicemail'; a
 * callback requested → 'callback'. Otherwise: a flow that hung up served the caller itself; a caller who hung up
 * inside the flow abandoned it; a call that never got to its application (cancelled, no ACK) was abandoned too;
 * errors are errors. Failed transfer attempts and survey answers do not change the disposition.
 */
function dispositionOf(info: CallInfo, run: FlowRunResult | undefined): string {
  if (run) {
    const outcomes = run.outcomes ?? [];
    if (outcomes.some((o) => o.type === 'transfer' && (o.result === 'bridged' || o.result === 'referred'))) return 'transferred';
    if (outcomes.some((o) => o.type === 'voicemail')) return 'voicemail';
    if (outcomes.some((o) => o.type === 'callback')) return 'callback';
    if (run.disposition === 'hangup') return 'self-served';
    if (run.disposition === 'caller-hangup') return 'abandoned';
    return run.disposition;
  }
  if (info.endReason === 'error') return 'error';
  if (info.answeredAtMs === undefined) return 'abandoned';
  return info.endReason === 'remote-bye' ? 'abandoned' : 'self-served';
}

/**
 * A finished call (its facts and, for a flow, the run result: inputs and variables already masked) as a record.
 * The run's outcomes are kept as they are: survey answers, failed transfer attempts and all.
 */
export function toCallRecord(info: CallInfo, appResult: unknown): NewCallRecord {
  const run = isFlowRunResult(appResult) ? appResult : undefined;
  const record: NewCallRecord = {
    callId: info.id,
    from: info.callerId,
    to: info.calledUser,
    flow: run?.flow ?? '',
    flowRevision: run?.revision ?? '',
    offeredAtMs: info.startedAtMs,
    endedAtMs: info.endedAtMs ?? info.startedAtMs,
    disposition: dispositionOf(info, run),
    path: run?.path ?? [],
    inputs: run?.inputs ?? [],
    variables: run?.variables ?? {},
    errors: run?.errors ?? [],
    outcomes: run?.outcomes ?? [],
    transcript: run?.transcript ?? [],
  };
  if (info.answeredAtMs !== undefined) record.answeredAtMs = info.answeredAtMs;
  if (info.endReason !== undefined) record.endReason = info.endReason;
  if (run?.callerHangupAt) record.callerHangupAt = run.callerHangupAt;
  return record;
}
