import type { Clock, TimerHandle } from '../common/index.js';
import type { CollectDigitsOptions, DigitResult } from './call-control.js';

interface PendingCollect {
  options: CollectDigitsOptions;
  digits: string;
  timer: TimerHandle | undefined;
  resolve: (r: DigitResult) => void;
}

/**
 * Keys pressed on a call, from any source (RFC 4733, SIP INFO, in-band), queued until call logic collects them,
 * so a key that barges in on a prompt is the first key the following menu sees.
 */
export class DigitBuffer {
  private queued = '';
  private pending: PendingCollect | undefined;
  private closed = false;

  constructor(private readonly clock: Clock, private readonly maxQueued = 64) {}

  push(digit: string): void {
    if (this.closed) return;
    if (this.pending) {
      this.feed(this.pending, digit);
      return;
    }
    if (this.queued.length < this.maxQueued) this.queued += digit;
  }

  clear(): void {
    this.queued = '';
  }

  hasQueued(): boolean {
    return this.queued.length > 0;
  }

  collect(options: CollectDigitsOptions): Promise<DigitResult> {
    if (this.closed) return Promise.resolve({ digits: '', reason: 'hangup' });
    if (this.pending) this.finish(this.pending, 'timeout');
    return new Promise((resolve) => {
      const p: PendingCollect = { options, digits: '', timer: undefined, resolve };
      this.pending = p;
      const queued = this.queued;
      this.queued = '';
      for (let i = 0; i < queued.length; i++) {
        if (this.pending !== p) {
          // The collect finished early; keys beyond it stay queued for the next one.
          this.queued += queued.slice(i);
          return;
        }
        this.feed(p, queued[i]);
      }
      if (this.pending === p) this.arm(p, options.firstDigitTimeoutMs);
    });
  }

  /** Ends any pending collect with `hangup` and refuses further keys. */
  close(): void {
    this.closed = true;
    if (this.pending) this.finish(this.pending, 'hangup');
  }

  private feed(p: PendingCollect, digit: string): void {
    const terminators = p.options.terminators ?? '';
    if (terminators.includes(digit)) {
      this.finish(p, 'terminator', digit);
      return;
    }
    p.digits += digit;
    if (p.digits.length >= p.options.maxDigits) {
      this.finish(p, 'max-digits');
      return;
    }
    this.arm(p, p.options.interDigitTimeoutMs ?? p.options.firstDigitTimeoutMs);
  }

  private arm(p: PendingCollect, ms: number): void {
    p.timer?.cancel();
    p.timer = this.clock.setTimer(ms, () => {
      if (this.pending === p) this.finish(p, 'timeout');
    });
  }

  private finish(p: PendingCollect, reason: DigitResult['reason'], terminator?: string): void {
    p.timer?.cancel();
    if (this.pending === p) this.pending = undefined;
    p.resolve(terminator === undefined ? { digits: p.digits, reason } : { digits: p.digits, reason, terminator });
  }
}
