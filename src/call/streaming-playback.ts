import type { MediaSessionLike, PlayItem, PlaybackEndReason } from '../media/index.js';
import type { Logger } from '../observability/index.js';
import type { PlayOutcome } from './call-control.js';
import type { PendingPlayItem } from './prompt-library.js';

export interface StreamingPlaybackContext {
  media: MediaSessionLike;
  log: Logger;
  callId: string;
  bargeIn: boolean;
  ended(): boolean;
  /** A key is waiting in the call's digit buffer. */
  keyWaiting(): boolean;
  /** Called once, when the outcome is known. */
  settled(): void;
}

/**
 * One logical play of a call whose items get ready one by one (uncached speech, sentence by sentence). Each run of
 * ready items is queued to the media session as soon as everything before it is queued, in order; the session
 * plays queued requests back to back, so the caller hears the first sentence while later ones are synthesized.
 * When the next item is not ready by the time the queued audio ends, the line is quiet until it is.
 *
 * A key (barge-in), a hangup or another play ends it at once: nothing more is queued. A rendering failure stops
 * the queueing at the failed item. With nothing queued yet the play rejects, as it did when every item was
 * rendered before playing. With part already queued, that part plays to its end and then the play rejects too,
 * so call logic takes its error path instead of carrying on after a prompt the caller heard cut short; a key or
 * hangup during that part ends it as usual ('interrupted' / 'hangup') and the failure is only logged.
 */
export class StreamingPlayback {
  /** Rendered items by position; a failed one stays undefined, so queueing stops there. */
  private readonly ready: Array<PlayItem | undefined> = [];
  private next = 0;
  private queuedRequests = 0;
  private outstanding = 0;
  private failedAt = Infinity;
  private failure: unknown;
  private failureLogged = false;
  private isSettled = false;
  private resolveOutcome: (outcome: PlayOutcome) => void = () => undefined;
  private rejectOutcome: (err: unknown) => void = () => undefined;

  constructor(private readonly ctx: StreamingPlaybackContext) {}

  get bargeIn(): boolean {
    return this.ctx.bargeIn;
  }

  /** Starts queueing `items` as they get ready; resolves when the play is over (see the class comment). */
  start(items: readonly PendingPlayItem[]): Promise<PlayOutcome> {
    const outcome = new Promise<PlayOutcome>((resolve, reject) => {
      this.resolveOutcome = resolve;
      this.rejectOutcome = reject;
    });
    items.forEach((item, i) => {
      if (!(item instanceof Promise)) {
        this.ready.push(item);
        return;
      }
      this.ready.push(undefined);
      item.then(
        (rendered) => {
          this.ready[i] = rendered;
          this.pump();
        },
        (err: unknown) => {
          if (i < this.failedAt) {
            this.failedAt = i;
            this.failure = err;
          }
          this.pump();
        },
      );
    });
    this.pump();
    return outcome;
  }

  /** A barge-in key: stops what is playing and queues nothing more. */
  interrupt(): void {
    if (this.isSettled) return;
    this.ctx.media.stopPlayback();
    this.resolve('interrupted');
  }

  /** Ends the play with `outcome` (the call ending resolves it with 'hangup'). Idempotent. */
  resolve(outcome: PlayOutcome): void {
    if (this.isSettled) return;
    this.isSettled = true;
    this.ctx.settled();
    this.resolveOutcome(outcome);
  }

  private pump(): void {
    if (this.isSettled) return;
    const batch: PlayItem[] = [];
    while (this.ready[this.next] !== undefined) batch.push(this.ready[this.next++] as PlayItem);
    if (batch.length > 0) {
      const blocked = this.blockedOutcome();
      if (blocked) {
        this.resolve(blocked);
        return;
      }
      this.queuedRequests++;
      this.outstanding++;
      this.ctx.media.play(batch, { onDone: (reason) => this.requestDone(reason) });
    }
    if (this.next === this.failedAt) this.logFailure();
    this.settleIfDrained();
  }

  /** Checked before each request: nothing is queued after the call ended, nor when a key came before the play. */
  private blockedOutcome(): PlayOutcome | undefined {
    if (this.ctx.ended()) return 'hangup';
    if (this.queuedRequests === 0 && this.ctx.bargeIn && this.ctx.keyWaiting()) return 'interrupted';
    return undefined;
  }

  private requestDone(reason: PlaybackEndReason): void {
    if (this.isSettled) return;
    if (reason !== 'finished') {
      this.resolve(this.ctx.ended() ? 'hangup' : 'interrupted');
      return;
    }
    this.outstanding--;
    this.settleIfDrained();
  }

  private settleIfDrained(): void {
    if (this.isSettled || this.outstanding > 0) return;
    if (this.next === this.failedAt) {
      this.isSettled = true;
      this.ctx.settled();
      this.rejectOutcome(this.failure);
    } else if (this.next === this.ready.length) {
      this.resolve(this.queuedRequests === 0 ? (this.blockedOutcome() ?? 'finished') : 'finished');
    }
  }

  private logFailure(): void {
    if (this.failureLogged) return;
    this.failureLogged = true;
    const heard = this.queuedRequests > 0;
    this.ctx.log.error(
      { callId: this.ctx.callId, err: this.failure, item: this.failedAt, of: this.ready.length },
      heard ? 'prompt could not be rendered; stopping after the part already queued' : 'prompt could not be rendered',
    );
  }
}
