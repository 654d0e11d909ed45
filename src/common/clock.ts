/**
 * The injectable clock. Every timer in the server goes through a Clock so that protocol state machines
 * (SIP transaction timers, flow timeouts) can be driven by a fake clock in tests, with no real waiting.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (fractional); only differences are meaningful. */
  nowMs(): number;
  /** Wall-clock milliseconds since the Unix epoch, for records and logs. */
  wallMs(): number;
  /** Runs `fn` once after `delayMs`. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
}

class SystemTimer implements TimerHandle {
  constructor(private readonly handle: ReturnType<typeof setTimeout>) {}
  cancel(): void {
    clearTimeout(this.handle);
  }
}

export class SystemClock implements Clock {
  nowMs(): number {
    return performance.now();
  }
  wallMs(): number {
    return Date.now();
  }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    // Protocol timers must never keep a stopping process alive.
    handle.unref();
    return new SystemTimer(handle);
  }
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to: `advance(ms)` fires due timers in order. */
export class FakeClock implements Clock {
  private now = 0;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(private readonly epochMs = 1_700_000_000_000) {}

  nowMs(): number {
    return this.now;
  }
  wallMs(): number {
    return this.epochMs + this.now;
  }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer: FakeTimer = { at: this.now + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }
  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: FakeTimer | undefined;
      for (const t of this.timers) {
        if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.now = next.at;
      next.cancelled = true;
      next.fn();
    }
    this.now = target;
  }
  /**
   * Moves time forward by `ms` at once and only then fires the timers that fell due, all late — what a stalled
   * event loop does to real timers.
   */
  stall(ms: number): void {
    this.now += ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: FakeTimer | undefined;
      for (const t of this.timers) {
        if (t.at <= this.now && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      next.cancelled = true;
      next.fn();
    }
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
