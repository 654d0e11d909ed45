import type { CallbackRecord, VoicemailRecord } from './message-record.js';

/**
 * The JSON bodies of the webhook notifications. They are built when the message is committed and stored in the
 * outbox as they will be sent, so a retry after a restart sends the same body.
 */
export interface VoicemailSavedEvent {
  event: 'voicemail.saved';
  id: string;
  callId: string;
  flow: string;
  mailbox: string;
  callerId: string;
  calledUser: string;
  durationMs: number;
  /** ISO 8601, UTC. */
  recordedAt: string;
  /** Relative to the server's HTTP address. */
  audioUrl: string;
  /** True when the server restarted mid-recording and kept what had been recorded. */
  recovered: boolean;
}

export interface CallbackRequestedEvent {
  event: 'callback.requested';
  id: string;
  callId: string;
  flow: string;
  queue: string;
  callerId: string;
  number: string;
  window?: string;
  /** ISO 8601, UTC. */
  requestedAt: string;
}

export function voicemailSavedEvent(v: VoicemailRecord): VoicemailSavedEvent {
  return {
    event: 'voicemail.saved',
    id: v.id,
    callId: v.callId,
    flow: v.flow,
    mailbox: v.mailbox,
    callerId: v.callerId,
    calledUser: v.calledUser,
    durationMs: v.durationMs ?? 0,
    recordedAt: new Date(v.recordedAtMs ?? v.createdAtMs).toISOString(),
    audioUrl: `/voicemails/${encodeURIComponent(v.id)}/audio`,
    recovered: v.state === 'recovered',
  };
}

export function callbackRequestedEvent(c: CallbackRecord): CallbackRequestedEvent {
  return {
    event: 'callback.requested',
    id: c.id,
    callId: c.callId,
    flow: c.flow,
    queue: c.queue,
    callerId: c.callerId,
    number: c.number,
    ...(c.window !== undefined ? { window: c.window } : {}),
    requestedAt: new Date(c.requestedAtMs).toISOString(),
  };
}
