import type { RecognitionGrammar, RecognitionOptions, RecognitionResult } from '../speech/index.js';

/**
 * The narrow port through which call logic (flows, built-in apps) drives a call: flow code sees only this,
 * never SIP or RTP.
 */

/** Where a prompt's audio comes from. Resolved to pre-encoded frames by the call layer's prompt library. */
export type PromptSource =
  | { kind: 'tts'; text: string; voice?: string }
  /** A prompt registered by name at start-up (rendered once, e.g. a recorded greeting or a tone). */
  | { kind: 'named'; name: string }
  /** A recorded audio file (WAV of any rate/format), converted once to 8 kHz G.711 and then cached. */
  | { kind: 'file'; path: string }
  | { kind: 'silence'; durationMs: number };

export type PlayOutcome =
  /** Every prompt played to its end. */
  | 'finished'
  /** A key press stopped the playback (barge-in); the digit waits in the call's digit buffer. */
  | 'interrupted'
  /** The caller hung up (or the call ended otherwise). */
  | 'hangup';

export interface PlayOptions {
  /** Whether a key press stops the prompt (default true). */
  bargeIn?: boolean;
}

export interface CollectDigitsOptions {
  maxDigits: number;
  /** Keys that end collection without being part of the result, e.g. '#'. */
  terminators?: string;
  /** How long to wait for the first key. */
  firstDigitTimeoutMs: number;
  /** How long to wait between keys once the first has come. */
  interDigitTimeoutMs?: number;
}

export interface DigitResult {
  digits: string;
  reason: 'max-digits' | 'terminator' | 'timeout' | 'hangup';
  terminator?: string;
}

export interface RecordRequest {
  /** Absolute path of the WAV file to write (8 kHz PCM16); its folder exists. */
  path: string;
  maxDurationMs: number;
  /** End after this long without speech (the trailing silence is trimmed). */
  endOnSilenceMs?: number;
  /** Keys that end the recording, e.g. '#'; the key is not left in the digit buffer. */
  endOnDigits?: string;
}

export interface RecordResult {
  /**
   * 'hangup': the caller hung up while recording — what was said is still in the file (durationMs 0 and possibly no
   * file when the call had already ended). 'error': the file could not be written, or a recording was running.
   */
  reason: 'max-duration' | 'silence' | 'digit' | 'hangup' | 'error';
  durationMs: number;
  path: string;
  digit?: string;
}

export interface TransferRequest {
  /** A `sip:`/`sips:` URI, or (with `trunk`) a number or user dialled through that trunk. */
  target: string;
  /** Name of a trunk in the server configuration (host, transport, digest credentials). */
  trunk?: string;
  /** Extra headers on the INVITE (or in the REFER's Refer-To URI), e.g. X-Switchboard-Department. */
  headers: [string, string][];
  /** How long the target may ring before the attempt is given up (CANCEL). */
  ringTimeoutMs: number;
  /**
   * 'bridge': call the target and relay media both ways, playing ringback meanwhile. 'refer': ask the caller's side
   * to call the target itself (RFC 3515 blind transfer); when it refuses, the call is bridged instead.
   */
  method: 'bridge' | 'refer';
}

export type TransferResult =
  /**
   * The target answered and was bridged; the bridge has ended. 'target': the far end hung up first, the caller is
   * still on (keys pressed while bridged are discarded); 'caller': the call has ended.
   */
  | { outcome: 'bridged'; endedBy: 'caller' | 'target'; talkMs: number }
  /** The caller's side accepted the REFER and reached the target (RFC 3515 NOTIFY with a 2xx sipfrag); our dialog is over. */
  | { outcome: 'referred' }
  /**
   * busy: 486/600/603; no-answer: ring timeout, 408, 480; failed: anything else, including an unknown trunk, a bad
   * target and the caller hanging up before the target answered (reason 'caller hung up').
   */
  | { outcome: 'no-answer' | 'busy' | 'failed'; status?: number; reason?: string };

export interface ListenRequest {
  /** Played while listening; the caller speaking or pressing a key stops them unless bargeIn is false. */
  prompts: PromptSource[];
  bargeIn?: boolean;
  /** What the caller may say. */
  grammar: RecognitionGrammar;
  /**
   * Endpointing and confidence; the no-input timer starts when the prompts end. A key always ends listening (so the
   * flow's escape key works everywhere): the keys are then collected as `keys` says.
   */
  recognition: Omit<RecognitionOptions, 'startTimers'>;
  /** How keys are collected once one is pressed; absent: the keys stay in the digit buffer for what comes next. */
  keys?: CollectDigitsOptions;
}

export type ListenResult =
  /** What was heard: a match, a no-match (out of grammar or low confidence) or no-input. */
  | { kind: 'speech'; result: RecognitionResult }
  /** The caller pressed keys instead: collected as the request said, or (no `keys`) left queued. */
  | { kind: 'keys'; keys?: DigitResult }
  | { kind: 'hangup' }
  /** No recognizer on this server, or none free: the caller is asked with keys instead. */
  | { kind: 'unavailable'; reason: string };

/** What the application is doing on a call right now (a flow and its node), shown with the live call. */
export interface CallActivity {
  app: string;
  step: string;
  /** What kind of step, e.g. the node type. */
  type?: string;
}

export interface CallControl {
  readonly id: string;
  /** The caller's user (or number) from the From header. */
  readonly callerId: string;
  /** The called SIP user (Request-URI user part). */
  readonly calledUser: string;
  /** True once the call has ended for any reason. */
  readonly ended: boolean;
  play(prompts: PromptSource[], options?: PlayOptions): Promise<PlayOutcome>;
  /** Takes keys from the call's digit buffer (keys pressed during barge-in prompts included), waiting as configured. */
  collectDigits(options: CollectDigitsOptions): Promise<DigitResult>;
  /** Discards keys pressed so far. */
  clearDigits(): void;
  /** Records what the caller says into a WAV file; resolves once the file is complete on disk (fsync'd). Never rejects. */
  record(request: RecordRequest): Promise<RecordResult>;
  /** Connects the caller to another party; resolves when the attempt failed or the connection is over. Never rejects. */
  transfer(request: TransferRequest): Promise<TransferResult>;
  /** Ends the call from our side (BYE). Resolves when the call has ended. */
  hangup(): Promise<void>;
  /** Plays prompts while recognizing speech (and keys). Never rejects. */
  listen(request: ListenRequest): Promise<ListenResult>;
  /** Says where the application is, for whoever watches live calls (console, API). */
  setActivity(activity: CallActivity): void;
}

/**
 * An application: runs one call from answer to end. What it returns is opaque to the call layer and handed,
 * with the call's facts, to whoever records finished calls (a flow returns its run result).
 */
export type CallApp = (call: CallControl) => Promise<unknown>;
