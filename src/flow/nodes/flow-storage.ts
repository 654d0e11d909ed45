/**
 * The storage a flow's nodes need: what callers leave (voicemails, callback requests, survey answers) must be
 * durable before the caller is told it is saved (docs/architecture.md, "Data that must not be lost"). The flow
 * layer declares this port; store/ implements it and app/ wires it in. A method that cannot store rejects, and
 * the node's failure takes the flow to its escape (a human) rather than telling the caller something false.
 */

export interface NewVoicemail {
  callId: string;
  flow: string;
  /** The mailbox named by the node (default the flow's name). */
  mailbox: string;
  callerId: string;
  calledUser: string;
  /** URL to POST a JSON notification to once the message is saved; delivered with retries, also after a restart. */
  webhook?: string;
}

/** A voicemail about to be recorded: its row is committed (state "recording") before the first sample is written. */
export interface PendingVoicemail {
  id: string;
  /** Absolute path for the WAV (8 kHz PCM16), in a folder that exists. */
  path: string;
}

export interface RecordedVoicemail {
  durationMs: number;
  /** Wall-clock ms when recording started. */
  recordedAtMs: number;
}

export interface CallbackRequest {
  callId: string;
  flow: string;
  /** Who the callback is for (a department or queue name from the node; default the flow's name). */
  queue: string;
  callerId: string;
  /** The number to call back: the caller ID as confirmed, or the digits the caller keyed instead. */
  number: string;
  /** The label of the time window the caller chose, e.g. "this afternoon"; absent when the node offers none. */
  window?: string;
  requestedAtMs: number;
  webhook?: string;
}

export interface SurveyAnswer {
  callId: string;
  flow: string;
  /** The survey node's id. */
  survey: string;
  /** The question's id. */
  question: string;
  /** 1–5 for a scale, true/false for yes/no; null when the caller gave no valid answer. */
  answer: number | boolean | null;
  answeredAtMs: number;
}

export interface FlowStorage {
  /**
   * Commits a voicemail row in state "recording" and names its file. Should the process die while recording, the
   * next start finds the row and the partial file and keeps the message (docs/architecture.md: recovery on start).
   */
  startVoicemail(message: NewVoicemail): Promise<PendingVoicemail>;
  /** Marks the message saved (the WAV is already fsync'd) and queues its webhook; resolves once committed. */
  saveVoicemail(id: string, recorded: RecordedVoicemail): Promise<void>;
  /** A recording that ended with nothing said: the row and file are removed. */
  discardVoicemail(id: string): Promise<void>;
  /** Resolves once the request is committed; returns its id. */
  saveCallback(request: CallbackRequest): Promise<string>;
  /** Resolves once the answer is committed. */
  saveSurveyAnswer(answer: SurveyAnswer): Promise<void>;
}
