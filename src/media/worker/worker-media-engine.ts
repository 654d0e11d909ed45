/**
 * Media on worker threads (docs/architecture.md: "shard calls over worker threads by call"). Each of N workers
 * runs a normal MediaEngine with its own pacer, sockets and an equal, even-aligned share of the RTP port range, so
 * sending and receiving RTP run in parallel and the main thread keeps only SIP and call logic. A new session goes
 * to the worker with the fewest sessions, or next to `near` for a bridge.
 *
 * The main thread talks to a worker only per control action and per event (see media-worker-protocol.ts);
 * prompts cross once per worker as shared memory. `stats()` must be synchronous (health checks), so it aggregates
 * the workers' reports pulled every `statsIntervalMs`; `refreshStats()` pulls fresh ones.
 */
import { SwitchboardError, SystemClock, type Clock, type TimerHandle } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import type {
  CreateSessionOptions, MediaEngineLike, MediaEngineOptions, MediaEngineStats,
} from '../engine/index.js';
import { aggregateEngineStats } from './aggregate-engine-stats.js';
import { MediaWorkerSlot, defaultWorkerFactory, type WorkerFactory } from './media-worker-slot.js';
import { RemoteMediaSession } from './remote-media-session.js';
import { SharedPromptIds } from './shared-prompt-ids.js';
import { splitPortRange } from './split-port-range.js';

export interface WorkerMediaEngineOptions extends Omit<MediaEngineOptions, 'clock' | 'inbandDtmfDetector'> {
  /** Worker threads (at least 1). */
  workers: number;
  /** In-band DTMF detection for sessions without telephone-event (default true; a custom detector cannot cross threads). */
  inbandDtmf?: boolean;
  /** Main-thread timers only (stats pulls, restarts, shutdown grace); each worker's pacer runs on real time. */
  clock?: Clock;
  /** How often the cached stats are refreshed (default 1000 ms). */
  statsIntervalMs?: number;
  /** How long close() waits for a worker's sessions to close (recordings to be saved) before terminating it. */
  shutdownTimeoutMs?: number;
  /** Makes the Worker objects (tests use it to reach a thread, e.g. to terminate it). */
  createWorker?: WorkerFactory;
}

export interface MediaWorkerReport {
  index: number;
  /** A thread is running (false while a dead one waits to be restarted). */
  alive: boolean;
  restarts: number;
  /** Sessions open or being created, as the main thread counts them. */
  sessions: number;
  portMin: number;
  portMax: number;
  /** The thread's last report (absent until the first arrives after a start). */
  stats?: MediaEngineStats;
}

export interface WorkerMediaEngineStats extends MediaEngineStats {
  workers: MediaWorkerReport[];
}

export class WorkerMediaEngine implements MediaEngineLike {
  private readonly slots: MediaWorkerSlot[];
  private readonly ranges: Array<{ portMin: number; portMax: number }>;
  private readonly clock: Clock;
  private readonly statsIntervalMs: number;
  private readonly started: Array<Promise<void>>;
  private statsTimer: TimerHandle | undefined;
  private closing: Promise<void> | undefined;

  /** Starts the workers and resolves once every one has built its engine; rejects (and stops them) otherwise. */
  static async start(options: WorkerMediaEngineOptions): Promise<WorkerMediaEngine> {
    const engine = new WorkerMediaEngine(options);
    try {
      await Promise.all(engine.started);
    } catch (err) {
      await engine.close();
      throw err;
    }
    return engine;
  }

  private constructor(options: WorkerMediaEngineOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`workers must be a positive integer, not ${options.workers}`);
    this.clock = options.clock ?? new SystemClock();
    this.statsIntervalMs = options.statsIntervalMs ?? 1000;
    this.ranges = splitPortRange(options.portMin, options.portMax, options.workers);
    const promptIds = new SharedPromptIds((id) => { for (const s of this.slots) s.forgetPrompt(id); });
    const { workers: _workers, inbandDtmf, clock: _clock, statsIntervalMs: _interval, shutdownTimeoutMs, createWorker, ...engine } = options;
    this.slots = this.ranges.map((range, index) => new MediaWorkerSlot({
      index,
      data: { engine: { ...engine, ...range, inbandDtmf: inbandDtmf ?? true }, logLevel: logger('media.worker').level },
      clock: this.clock,
      promptIds,
      createWorker: createWorker ?? defaultWorkerFactory,
      shutdownTimeoutMs: shutdownTimeoutMs ?? 10_000,
    }));
    this.started = this.slots.map((s) => s.start());
    for (const p of this.started) p.catch(() => undefined);
    this.scheduleStatsPull();
  }

  get workerCount(): number {
    return this.slots.length;
  }

  /**
   * A session in the least-loaded running worker, or in `near`'s worker. Rejects with SWB_ERR_MEDIA_WORKER when
   * no worker runs, SWB_ERR_RTP_NO_PORTS when the chosen worker's sub-range is full.
   */
  createSession(options: CreateSessionOptions = {}): Promise<RemoteMediaSession> {
    if (this.closing) return Promise.reject(new SwitchboardError('SWB_ERR_MEDIA_STATE', 'the media engine is closed'));
    const near = options.near;
    if (near) {
      const slot = this.slots.find((s) => near instanceof RemoteMediaSession && near.link === s);
      if (!slot || near.closed) {
        return Promise.reject(new SwitchboardError('SWB_ERR_MEDIA_STATE', 'the `near` session is not an open session of this engine'));
      }
      return slot.createSession();
    }
    let best: MediaWorkerSlot | undefined;
    for (const s of this.slots) if (s.alive && (!best || s.load < best.load)) best = s;
    if (!best) return Promise.reject(new SwitchboardError('SWB_ERR_MEDIA_WORKER', 'no media worker is running'));
    return best.createSession();
  }

  /** The workers' last reports, aggregated (see aggregateEngineStats), with one entry per worker. */
  stats(): WorkerMediaEngineStats {
    const reports = this.slots.map((s, i): MediaWorkerReport => {
      const r: MediaWorkerReport = { index: i, alive: s.alive, restarts: s.restarts, sessions: s.load, ...this.ranges[i] };
      if (s.last) r.stats = s.last;
      return r;
    });
    const retired = { packetsSent: 0, packetsReceived: 0, bytesSent: 0, malformedPackets: 0, ignoredFromUnexpectedSource: 0 };
    for (const s of this.slots) for (const key of Object.keys(retired) as Array<keyof typeof retired>) retired[key] += s.retired[key];
    const capacity = this.ranges.reduce((n, r) => n + (r.portMax - r.portMin + 1) / 2, 0);
    const live = reports.flatMap((r) => (r.stats ? [r.stats] : []));
    return { ...aggregateEngineStats(live, retired, capacity), workers: reports };
  }

  /** Pulls a report from every running worker, then returns stats() (for benches and tests). */
  async refreshStats(): Promise<WorkerMediaEngineStats> {
    await Promise.all(this.slots.map((s) => s.requestStats()));
    return this.stats();
  }

  /** Starts a new measurement window for every worker's pacer. */
  resetPacerWindow(): void {
    for (const s of this.slots) s.post({ t: 'reset-pacer-window' });
  }

  /** Closes every session (recordings are finished, not lost), then ends the worker threads. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.statsTimer?.cancel();
      await Promise.all(this.slots.map((s) => s.shutdown()));
    })();
    return this.closing;
  }

  private scheduleStatsPull(): void {
    this.statsTimer = this.clock.setTimer(this.statsIntervalMs, () => {
      if (this.closing) return;
      for (const s of this.slots) void s.requestStats();
      this.scheduleStatsPull();
    });
  }
}
