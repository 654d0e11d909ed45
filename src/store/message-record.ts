/**
 * What callers leave — voicemails, callback requests, survey answers — and the webhook notifications about them.
 * The store declares these shapes itself (it imports nothing above common/); the flow layer's FlowStorage port
 * types fit the inputs structurally.
 */

/**
 * ```
 *  startVoicemail ──► recording ──saveVoicemail──► saved
 *                        │  └──discardVoicemail──► (row and file removed)
 *                        └──(process died; next start: recoverVoicemails)──► recovered, or removed when no audio
 * ```
 */
export type VoicemailState = 'recording' | 'saved' | 'recovered';

export interface NewVoicemailRecord {
  callId: string;
  flow: string;
  mailbox: string;
  callerId: string;
  calledUser: string;
  /** URL notified (through the outbox) once the message is saved or recovered. */
  webhook?: string;
}

export interface VoicemailRecord extends NewVoicemailRecord {
  id: string;
  /** Absolute path of the WAV (8 kHz PCM16 mono). */
  path: string;
  state: VoicemailState;
  /** Set once saved or recovered. */
  durationMs?: number;
  /** Wall-clock ms when recording started; for a recovered message, when its row was created. */
  recordedAtMs?: number;
  createdAtMs: number;
}

export interface VoicemailQuery {
  /** 1..1000; default 50. */
  limit?: number;
  /** Only messages older than this voicemail id (the last id of the previous page). */
  before?: string;
  mailbox?: string;
  state?: VoicemailState;
}

export type CallbackState = 'pending' | 'done';

export interface NewCallbackRecord {
  callId: string;
  flow: string;
  queue: string;
  callerId: string;
  /** The number to call back. */
  number: string;
  /** The label of the time window the caller chose. */
  window?: string;
  requestedAtMs: number;
  webhook?: string;
}

export interface CallbackRecord extends NewCallbackRecord {
  id: string;
  state: CallbackState;
  doneAtMs?: number;
}

export interface CallbackQuery {
  limit?: number;
  /** Only requests older than this callback id. */
  before?: string;
  state?: CallbackState;
  queue?: string;
}

export interface NewSurveyAnswerRecord {
  callId: string;
  flow: string;
  survey: string;
  question: string;
  /** A scale value, yes/no, or null for no valid answer; stored as JSON so the type survives. */
  answer: number | boolean | null;
  answeredAtMs: number;
}

export interface SurveyAnswerRecord extends NewSurveyAnswerRecord {
  id: number;
}

export interface SurveyAnswerQuery {
  limit?: number;
  /** Only answers with a row id below this one. */
  before?: number;
  flow?: string;
  survey?: string;
}

/** pending → delivered, or → failed after the last attempt. */
export type WebhookState = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: number;
  url: string;
  /** e.g. 'voicemail.saved', 'callback.requested'; also `payload.event`. */
  event: string;
  payload: Record<string, unknown>;
  attempts: number;
  /** Wall-clock ms: a restart keeps the schedule. */
  nextAttemptAtMs: number;
  state: WebhookState;
  lastError?: string;
  createdAtMs: number;
  deliveredAtMs?: number;
}

export interface WebhookAttemptFailure {
  error: string;
  /** When to try again; absent to give up (state failed). */
  retryAtMs?: number;
}
