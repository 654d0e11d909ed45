/**
 * The listener lists of one media session: DTMF digits, RTP timeout, close. Shared by MediaSession and the worker
 * engine's RemoteMediaSession so both report events the same way: in registration order, each listener guarded so
 * one that throws can neither stop the others nor break the packet path or message handler that raised the event.
 */
import type { Logger } from '../../observability/index.js';
import type { DtmfListener, DtmfSource } from './media-session-types.js';

/** Why a session closed: `close()` was called, or the worker thread carrying it died (the sockets are gone). */
export type MediaCloseCause = 'closed' | 'failed';

export class MediaSessionEvents {
  private readonly dtmf: DtmfListener[] = [];
  private readonly timeout: Array<() => void> = [];
  private readonly close: Array<(cause: MediaCloseCause) => void> = [];
  private closedCause: MediaCloseCause | undefined;

  constructor(private readonly log: Logger, private readonly context: () => Record<string, unknown>) {}

  onDtmf(listener: DtmfListener): () => void {
    return subscribe(this.dtmf, listener);
  }

  onRtpTimeout(listener: () => void): () => void {
    return subscribe(this.timeout, listener);
  }

  /** Runs `listener` once when the session closes; at once if it has already closed. */
  onClose(listener: (cause: MediaCloseCause) => void): () => void {
    if (this.closedCause !== undefined) {
      const cause = this.closedCause;
      this.safely(() => listener(cause), 'close listener threw');
      return () => undefined;
    }
    return subscribe(this.close, listener);
  }

  emitDtmf(digit: string, source: DtmfSource): void {
    for (const listener of [...this.dtmf]) this.safely(() => listener(digit, source), 'DTMF listener threw');
  }

  emitRtpTimeout(): void {
    for (const listener of [...this.timeout]) this.safely(listener, 'RTP timeout listener threw');
  }

  /** Tells the close listeners once; later calls are ignored. */
  emitClose(cause: MediaCloseCause): void {
    if (this.closedCause !== undefined) return;
    this.closedCause = cause;
    for (const listener of this.close.splice(0)) this.safely(() => listener(cause), 'close listener threw');
  }

  private safely(fn: () => void, message: string): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err, ...this.context() }, message);
    }
  }
}

function subscribe<T>(list: T[], listener: T): () => void {
  list.push(listener);
  return () => {
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
  };
}
