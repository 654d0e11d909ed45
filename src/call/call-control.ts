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
  /** Ends the call from our side (BYE). Resolves when the call has ended. */
  hangup(): Promise<void>;
}

/**
 * An application: runs one call from answer to end. What it returns is opaque to the call layer and handed,
 * with the call's facts, to whoever records finished calls (a flow returns its run result).
 */
export type CallApp = (call: CallControl) => Promise<unknown>;
