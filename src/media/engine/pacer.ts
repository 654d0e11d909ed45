/**
 * The one clock of all media sending: a 20 ms tick shared by every session of an engine (no timer per call).
 *
 * Drift correction: tick n is due at anchor + n·tickMs on the monotonic clock, and each timer is set for the time
 * remaining until the next due instant, so timer lateness never accumulates. When a tick fires a whole tick or
 * more late (event loop stalled by GC or a burst of work), the missed ticks are skipped, not replayed in a burst:
 * the tick index jumps ahead so RTP timestamps, derived from it, keep matching real time and the far end sees a
 * gap rather than compressed audio. Late and skipped ticks are counted, and lateness is kept as a histogram.
 */
import type { Clock, TimerHandle } from '../../common/index.js';

export interface PacerMember {
  /** Called once per tick with the tick index (monotonic, skips included) and the tick's clock reading. */
  onTick(tick: number, nowMs: number): void;
}

export interface PacerStats {
  tickMs: number;
  members: number;
  /** Ticks run (the counters are totals since the pacer was made; lateness and work cover the window). */
  ticks: number;
  /** Ticks that fired one tick period or more after their due time. */
  lateTicks: number;
  /** Ticks skipped because of late firing. */
  skippedTicks: number;
  /** Ticks in the current measurement window (see resetWindow). */
  windowTicks: number;
  meanLatenessMs: number;
  p99LatenessMs: number;
  maxLatenessMs: number;
  /** Time spent running all members in one tick. */
  meanWorkMs: number;
  maxWorkMs: number;
  /** Exceptions thrown by members (each caught so one session cannot stop the others). */
  memberErrors: number;
}

export interface PacerOptions {
  tickMs?: number;
  onMemberError?: (err: unknown) => void;
}

const HISTOGRAM_BUCKETS = 101;

export class Pacer {
  readonly tickMs: number;
  private readonly members: Array<PacerMember | null> = [];
  private readonly onMemberError: (err: unknown) => void;
  private timer: TimerHandle | undefined;
  private running = false;
  private iterating = false;
  private holes = false;
  private count = 0;
  private anchorMs = 0;
  private anchorTick = 0;
  private currentTick = 0;
  private ticks = 0;
  private windowTicks = 0;
  private lateTicks = 0;
  private skippedTicks = 0;
  private latenessSumMs = 0;
  private maxLatenessMs = 0;
  private workSumMs = 0;
  private maxWorkMs = 0;
  private memberErrors = 0;
  /** Lateness in 1 ms buckets; the last bucket collects everything above. */
  private readonly lateness = new Uint32Array(HISTOGRAM_BUCKETS);
  private readonly fire = (): void => this.runTick();

  constructor(private readonly clock: Clock, options: PacerOptions = {}) {
    this.tickMs = options.tickMs ?? 20;
    this.onMemberError = options.onMemberError ?? (() => undefined);
  }

  /** The index of the last tick run. */
  get tick(): number {
    return this.currentTick;
  }

  get size(): number {
    return this.count;
  }

  add(member: PacerMember): void {
    this.members.push(member);
    this.count++;
    if (!this.running) this.start();
  }

  remove(member: PacerMember): void {
    const i = this.members.indexOf(member);
    if (i < 0) return;
    this.count--;
    if (this.iterating) {
      this.members[i] = null;
      this.holes = true;
    } else {
      this.members.splice(i, 1);
    }
    if (this.count === 0) this.stop();
  }

  /** Stops ticking; members stay registered and a later `add` restarts the schedule. */
  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  stats(): PacerStats {
    return {
      tickMs: this.tickMs,
      members: this.size,
      ticks: this.ticks,
      lateTicks: this.lateTicks,
      skippedTicks: this.skippedTicks,
      windowTicks: this.windowTicks,
      meanLatenessMs: this.windowTicks ? this.latenessSumMs / this.windowTicks : 0,
      p99LatenessMs: this.percentile(0.99),
      maxLatenessMs: this.maxLatenessMs,
      meanWorkMs: this.windowTicks ? this.workSumMs / this.windowTicks : 0,
      maxWorkMs: this.maxWorkMs,
      memberErrors: this.memberErrors,
    };
  }

  /** Starts a new window for the lateness and work figures (e.g. per metrics scrape or after a warm-up). */
  resetWindow(): void {
    this.windowTicks = 0;
    this.latenessSumMs = 0;
    this.maxLatenessMs = 0;
    this.workSumMs = 0;
    this.maxWorkMs = 0;
    this.lateness.fill(0);
  }

  private start(): void {
    this.running = true;
    this.anchorMs = this.clock.nowMs();
    this.anchorTick = this.currentTick;
    this.schedule();
  }

  private dueMs(tick: number): number {
    return this.anchorMs + (tick - this.anchorTick) * this.tickMs;
  }

  private schedule(): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimer(this.dueMs(this.currentTick + 1) - this.clock.nowMs(), this.fire);
  }

  private runTick(): void {
    if (!this.running) return;
    const now = this.clock.nowMs();
    let tick = this.currentTick + 1;
    let late = now - this.dueMs(tick);
    if (late < 0) late = 0;
    if (late >= this.tickMs) {
      const missed = Math.floor(late / this.tickMs);
      tick += missed;
      this.lateTicks++;
      this.skippedTicks += missed;
    }
    this.currentTick = tick;
    this.ticks++;
    this.windowTicks++;
    this.latenessSumMs += late;
    if (late > this.maxLatenessMs) this.maxLatenessMs = late;
    this.lateness[Math.min(HISTOGRAM_BUCKETS - 1, Math.floor(late))]++;

    this.iterating = true;
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (m === null) continue;
      try {
        m.onTick(tick, now);
      } catch (err) {
        this.memberErrors++;
        this.onMemberError(err);
      }
    }
    this.iterating = false;
    if (this.holes) {
      this.holes = false;
      for (let i = members.length - 1; i >= 0; i--) if (members[i] === null) members.splice(i, 1);
    }
    const work = this.clock.nowMs() - now;
    this.workSumMs += work;
    if (work > this.maxWorkMs) this.maxWorkMs = work;
    if (this.running) this.schedule();
  }

  private percentile(q: number): number {
    const target = Math.ceil(this.windowTicks * q);
    if (target === 0) return 0;
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      seen += this.lateness[i];
      if (seen >= target) return i + 1;
    }
    return this.maxLatenessMs;
  }
}
