import type { Clock } from '../common/index.js';
import type { Logger } from '../observability/index.js';
import type { MediaSessionLike, RecordingResult } from '../media/index.js';
import type { SipDialog } from '../sip/index.js';
import type {
  CallActivity, ListenRequest, ListenResult,
  CallControl, CollectDigitsOptions, DigitResult, PlayOptions, PlayOutcome, PromptSource, RecordRequest, RecordResult,
  TransferRequest, TransferResult,
} from './call-control.js';
import { listenOnCall, type CallSpeechRecognizer, type ListeningCall } from './call-listen.js';
import { transferCall } from './call-transfer.js';
import { DigitBuffer } from './digit-buffer.js';
import type { PendingPlayItem, PromptLibrary } from './prompt-library.js';
import { StreamingPlayback } from './streaming-playback.js';
import type { TransferLinks } from './transfer-links.js';

/**
 * A Call joins one SIP dialog and one media session and offers the CallControl port to call logic.
 *
 *   Offered ──200 + ACK──▶ Answered ──BYE (either side) / error──▶ Ended
 *      │                                                            ▲
 *      └──────── CANCEL / rejected / no ACK (RFC 3261 §13.3.1.4) ───┘
 */
export enum CallState {
  Offered = 'offered',
  Answered = 'answered',
  Ended = 'ended',
}

export type CallEndReason = 'remote-bye' | 'local-bye' | 'cancelled' | 'rejected' | 'no-ack' | 'error' | 'shutdown';

interface ActivePlay {
  bargeIn: boolean;
  resolve: (outcome: PlayOutcome) => void;
  /** Barge-in: stops the playback and ends the play with 'interrupted'. */
  interrupt: () => void;
}

interface ActiveRecording {
  endOnDigits: string;
  /** The end key pressed, held back from the digit buffer until the recorder says whether it ended the recording. */
  heldDigit: string | undefined;
}

export interface CallInfo {
  id: string;
  callerId: string;
  calledUser: string;
  state: CallState;
  startedAtMs: number;
  answeredAtMs?: number;
  endedAtMs?: number;
  endReason?: CallEndReason;
  /** Where the application is, and since when (wall clock ms). */
  activity?: CallActivity & { sinceMs: number };
}

export class Call implements CallControl {
  private stateValue = CallState.Offered;
  private dialog: SipDialog | undefined;
  private readonly digits: DigitBuffer;
  private activePlay: ActivePlay | undefined;
  private activeRecording: ActiveRecording | undefined;
  private transferring = false;
  private readonly endedListeners: Array<(reason: CallEndReason) => void> = [];
  private readonly keyListeners = new Set<() => void>();
  readonly startedAtMs: number;
  answeredAtMs: number | undefined;
  endedAtMs: number | undefined;
  endReason: CallEndReason | undefined;
  private activity: (CallActivity & { sinceMs: number }) | undefined;

  constructor(
    readonly id: string,
    readonly callerId: string,
    readonly calledUser: string,
    readonly media: MediaSessionLike,
    private readonly prompts: PromptLibrary,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Without them (tests of other features) transfer() resolves 'failed'. */
    private readonly transferLinks?: TransferLinks,
    /** Without it listen() answers 'unavailable' and call logic asks with keys. */
    private readonly speech?: CallSpeechRecognizer,
  ) {
    this.startedAtMs = clock.wallMs();
    this.digits = new DigitBuffer(clock);
    media.onDtmf((digit) => this.receiveDigit(digit));
    media.onClose((cause) => {
      if (cause !== 'failed' || this.ended) return;
      this.log.error({ callId: id }, 'media failed (its worker thread died); hanging up');
      void this.hangup('error');
    });
  }

  get state(): CallState {
    return this.stateValue;
  }

  get ended(): boolean {
    return this.stateValue === CallState.Ended;
  }

  /** The caller's dialog, once answered. */
  get sipDialog(): SipDialog | undefined {
    return this.dialog;
  }

  /** The dialog is confirmed (ACK received): the call is up. */
  answered(dialog: SipDialog): void {
    if (this.ended) return;
    this.dialog = dialog;
    this.stateValue = CallState.Answered;
    this.answeredAtMs = this.clock.wallMs();
  }

  /** A key from any source: queued for collection, and stops a barge-in-able prompt. */
  receiveDigit(digit: string): void {
    if (this.ended) return;
    this.log.debug({ callId: this.id, digit }, 'dtmf');
    const recording = this.activeRecording;
    if (recording && recording.heldDigit === undefined && recording.endOnDigits.includes(digit)) {
      recording.heldDigit = digit;
      return;
    }
    this.digits.push(digit);
    const play = this.activePlay;
    if (play?.bargeIn) play.interrupt();
    for (const listener of this.keyListeners) listener();
  }

  /**
   * Plays `sources` in order, starting as soon as the first item is rendered (uncached speech sentence by
   * sentence, see StreamingPlayback). Rejects when a prompt cannot be rendered: at once when nothing was played
   * yet, after the part already queued when later.
   */
  async play(sources: PromptSource[], options: PlayOptions = {}): Promise<PlayOutcome> {
    if (this.ended) return 'hangup';
    const bargeIn = options.bargeIn ?? true;
    this.activePlay?.interrupt();
    let items: PendingPlayItem[];
    try {
      items = this.prompts.pendingItems(sources);
    } catch (e) {
      this.log.error({ callId: this.id, err: e }, 'prompt could not be rendered');
      throw e;
    }
    const play: StreamingPlayback = new StreamingPlayback({
      media: this.media,
      log: this.log,
      callId: this.id,
      bargeIn,
      ended: () => this.ended,
      keyWaiting: () => this.digits.hasQueued(),
      settled: () => {
        if (this.activePlay === play) this.activePlay = undefined;
      },
    });
    this.activePlay = play;
    return play.start(items);
  }

  /** See CallControl.listen: the caller's audio goes to the speech recognizer through a shared ring. */
  listen(request: ListenRequest): Promise<ListenResult> {
    const listening: ListeningCall = {
      id: this.id,
      isEnded: () => this.ended,
      play: (prompts, options) => this.play(prompts, options),
      collectDigits: (options) => this.collectDigits(options),
      hasQueuedKeys: () => this.digits.hasQueued(),
      onKey: (listener) => {
        this.keyListeners.add(listener);
        return () => this.keyListeners.delete(listener);
      },
      onEnded: (listener) => this.onEnded(listener),
      // Through the play, not the media: a play waiting for its next sentence has nothing in the media to stop.
      stopPlayback: () => this.activePlay?.interrupt(),
      startAudioTap: (ring) => this.media.startAudioTap(ring),
      stopAudioTap: () => this.media.stopAudioTap(),
    };
    return listenOnCall(listening, request, this.speech, this.log);
  }

  collectDigits(options: CollectDigitsOptions): Promise<DigitResult> {
    return this.digits.collect(options);
  }

  clearDigits(): void {
    this.digits.clear();
  }

  /** See CallControl.record. Keys other than the end keys stay in the digit buffer. */
  record(request: RecordRequest): Promise<RecordResult> {
    const { path } = request;
    if (this.ended) return Promise.resolve({ reason: 'hangup', durationMs: 0, path });
    if (this.activeRecording) return Promise.resolve({ reason: 'error', durationMs: 0, path });
    return new Promise<RecordResult>((resolve) => {
      const recording: ActiveRecording = { endOnDigits: request.endOnDigits ?? '', heldDigit: undefined };
      this.activeRecording = recording;
      const onDone = (r: RecordingResult): void => {
        if (this.activeRecording === recording) this.activeRecording = undefined;
        const held = recording.heldDigit;
        // A held key that did not end the recording (it ended otherwise first) is an ordinary key press.
        if (held !== undefined && !(r.reason === 'digit' && r.digit === held)) this.digits.push(held);
        if (r.error) this.log.error({ callId: this.id, err: r.error, path }, 'recording failed');
        // 'stopped' comes only from the media session closing under us: the call has ended.
        const reason = r.reason === 'stopped' ? 'hangup' : r.reason;
        resolve(r.digit === undefined ? { reason, durationMs: r.durationMs, path: r.path } : { reason, durationMs: r.durationMs, path: r.path, digit: r.digit });
      };
      try {
        this.media.startRecording({
          path, maxDurationMs: request.maxDurationMs, endOnSilenceMs: request.endOnSilenceMs, endOnDigits: request.endOnDigits, onDone,
        });
      } catch (e) {
        this.activeRecording = undefined;
        this.log.error({ callId: this.id, err: e, path }, 'recording could not start');
        resolve({ reason: this.ended ? 'hangup' : 'error', durationMs: 0, path });
      }
    });
  }

  /** See CallControl.transfer. One transfer at a time; a second one while the first runs fails. */
  async transfer(request: TransferRequest): Promise<TransferResult> {
    if (!this.transferLinks) return { outcome: 'failed', reason: 'transfers are not available on this call' };
    if (this.transferring) return { outcome: 'failed', reason: 'a transfer is already in progress' };
    this.transferring = true;
    try {
      return await transferCall(this, this.transferLinks, request);
    } catch (e) {
      this.log.error({ callId: this.id, err: e }, 'transfer failed');
      return { outcome: 'failed', reason: e instanceof Error ? e.message : String(e) };
    } finally {
      this.transferring = false;
    }
  }

  async hangup(reason: CallEndReason = 'local-bye'): Promise<void> {
    if (this.ended) return;
    const dialog = this.dialog;
    this.end(reason);
    if (dialog) {
      try {
        await dialog.bye();
      } catch (e) {
        this.log.warn({ callId: this.id, err: e }, 'BYE failed');
      }
    }
  }

  /** Calls `listener` once when the call ends (at once if it has); returns the unsubscribe function. */
  onEnded(listener: (reason: CallEndReason) => void): () => void {
    if (this.ended && this.endReason) {
      listener(this.endReason);
      return () => undefined;
    }
    this.endedListeners.push(listener);
    return () => {
      const i = this.endedListeners.indexOf(listener);
      if (i >= 0) this.endedListeners.splice(i, 1);
    };
  }

  /** Ends the call locally: stops media, wakes any waiting call logic, tells listeners. Idempotent. */
  end(reason: CallEndReason): void {
    if (this.ended) return;
    this.stateValue = CallState.Ended;
    this.endReason = reason;
    this.endedAtMs = this.clock.wallMs();
    this.digits.close();
    const play = this.activePlay;
    this.activePlay = undefined;
    play?.resolve('hangup');
    this.media.close().catch((e: unknown) => this.log.warn({ callId: this.id, err: e }, 'media close failed'));
    for (const l of this.endedListeners.splice(0)) l(reason);
  }

  setActivity(activity: CallActivity): void {
    this.activity = { ...activity, sinceMs: this.clock.wallMs() };
  }

  info(): CallInfo {
    const info: CallInfo = {
      id: this.id, callerId: this.callerId, calledUser: this.calledUser, state: this.stateValue, startedAtMs: this.startedAtMs,
    };
    if (this.answeredAtMs !== undefined) info.answeredAtMs = this.answeredAtMs;
    if (this.endedAtMs !== undefined) info.endedAtMs = this.endedAtMs;
    if (this.endReason !== undefined) info.endReason = this.endReason;
    if (this.activity !== undefined) info.activity = { ...this.activity };
    return info;
  }
}
