import type { Clock } from '../common/index.js';
import type { Logger } from '../observability/index.js';
import type { MediaSessionLike, PlayItem } from '../media/index.js';
import type { SipDialog } from '../sip/index.js';
import type { CallControl, CollectDigitsOptions, DigitResult, PlayOptions, PlayOutcome, PromptSource } from './call-control.js';
import { DigitBuffer } from './digit-buffer.js';
import type { PromptLibrary } from './prompt-library.js';

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
}

export class Call implements CallControl {
  private stateValue = CallState.Offered;
  private dialog: SipDialog | undefined;
  private readonly digits: DigitBuffer;
  private activePlay: ActivePlay | undefined;
  private readonly endedListeners: Array<(reason: CallEndReason) => void> = [];
  readonly startedAtMs: number;
  answeredAtMs: number | undefined;
  endedAtMs: number | undefined;
  endReason: CallEndReason | undefined;

  constructor(
    readonly id: string,
    readonly callerId: string,
    readonly calledUser: string,
    readonly media: MediaSessionLike,
    private readonly prompts: PromptLibrary,
    private readonly clock: Clock,
    private readonly log: Logger,
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
    this.digits.push(digit);
    const play = this.activePlay;
    if (play?.bargeIn) this.media.stopPlayback();
  }

  async play(sources: PromptSource[], options: PlayOptions = {}): Promise<PlayOutcome> {
    if (this.ended) return 'hangup';
    const bargeIn = options.bargeIn ?? true;
    if (this.activePlay) this.media.stopPlayback();
    let items: PlayItem[];
    try {
      items = await this.prompts.resolve(sources);
    } catch (e) {
      this.log.error({ callId: this.id, err: e }, 'prompt could not be rendered');
      throw e;
    }
    if (this.ended) return 'hangup';
    if (bargeIn && this.digits.hasQueued()) return 'interrupted';
    return new Promise<PlayOutcome>((resolve) => {
      const play: ActivePlay = { bargeIn, resolve };
      this.activePlay = play;
      this.media.play(items, {
        onDone: (reason) => {
          if (this.activePlay === play) this.activePlay = undefined;
          if (this.ended) resolve('hangup');
          else resolve(reason === 'finished' ? 'finished' : 'interrupted');
        },
      });
    });
  }

  collectDigits(options: CollectDigitsOptions): Promise<DigitResult> {
    return this.digits.collect(options);
  }

  clearDigits(): void {
    this.digits.clear();
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

  onEnded(listener: (reason: CallEndReason) => void): void {
    if (this.ended && this.endReason) listener(this.endReason);
    else this.endedListeners.push(listener);
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

  info(): CallInfo {
    const info: CallInfo = {
      id: this.id, callerId: this.callerId, calledUser: this.calledUser, state: this.stateValue, startedAtMs: this.startedAtMs,
    };
    if (this.answeredAtMs !== undefined) info.answeredAtMs = this.answeredAtMs;
    if (this.endedAtMs !== undefined) info.endedAtMs = this.endedAtMs;
    if (this.endReason !== undefined) info.endReason = this.endReason;
    return info;
  }
}
