/**
 * One media worker thread as the main thread sees it: starts it, routes its messages to the sessions living
 * there, and survives it. When the thread dies (uncaught exception, out of memory, terminated), its sessions are
 * ended ('failed', see RemoteMediaSession.fail) and a new thread is started on the same port sub-range after a
 * backoff (0.5 s doubling to 30 s while it keeps dying within a minute of starting); the process itself never
 * goes down with a worker.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { SwitchboardError, type Clock, type TimerHandle } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import type { MediaEngineStats, MediaSessionStats } from '../engine/index.js';
import type { PlayItem } from '../player/index.js';
import { fromWireError, type FromWorker, type MediaWorkerData, type ToWorker, type WirePlayItem } from './media-worker-protocol.js';
import { RemoteMediaSession, type RemoteSessionLink } from './remote-media-session.js';
import type { SharedPromptIds } from './shared-prompt-ids.js';

const log = logger('media.worker');

/** Compiled beside this file; `new URL` keeps it right wherever dist is. */
export const MEDIA_WORKER_URL = new URL('./media-worker.js', import.meta.url);

export type WorkerFactory = (url: URL, options: WorkerOptions) => Worker;

export const defaultWorkerFactory: WorkerFactory = (url, options) => new Worker(url, options);

const RESTART_MIN_DELAY_MS = 500;
const RESTART_MAX_DELAY_MS = 30_000;
/** A worker that ran this long before dying restarts at the minimum delay again. */
const STABLE_AFTER_MS = 60_000;

export interface MediaWorkerSlotOptions {
  index: number;
  data: MediaWorkerData;
  clock: Clock;
  promptIds: SharedPromptIds;
  createWorker: WorkerFactory;
  /** How long shutdown waits for sessions to close (recordings to reach the disk) before terminating. */
  shutdownTimeoutMs: number;
}

export interface StatsReply {
  engine: MediaEngineStats;
  sessions: Array<[number, MediaSessionStats]>;
}

interface Pending<T> {
  resolve(value: T): void;
  reject(err: Error): void;
}

export class MediaWorkerSlot implements RemoteSessionLink {
  readonly workerIndex: number;
  /** Threads started after the first. */
  restarts = 0;
  /** Counters of the last report, and the totals of threads that died (so sums never go backwards). */
  last: MediaEngineStats | undefined;
  readonly retired = { packetsSent: 0, packetsReceived: 0, bytesSent: 0, malformedPackets: 0, ignoredFromUnexpectedSource: 0 };
  private worker: Worker | undefined;
  private startWaiter: Pending<void> | undefined;
  private shutdownDone: (() => void) | undefined;
  private stopping = false;
  private lastError: Error | undefined;
  private startedAtMs = 0;
  private failuresInARow = 0;
  private restartTimer: TimerHandle | undefined;
  private nextId = 0;
  private nextRequest = 0;
  private registered = new Set<number>();
  private readonly sessions = new Map<number, RemoteMediaSession>();
  private readonly creating = new Map<number, Pending<RemoteMediaSession>>();
  private readonly statsRequests = new Map<number, (reply: StatsReply | undefined) => void>();

  constructor(private readonly options: MediaWorkerSlotOptions) {
    this.workerIndex = options.index;
  }

  /** A thread is running (or starting): new sessions may go here. */
  get alive(): boolean {
    return this.worker !== undefined && !this.stopping;
  }

  /** Sessions open or being created. */
  get load(): number {
    return this.sessions.size + this.creating.size;
  }

  /** Starts the thread; resolves once its engine is built, rejects if it dies before. */
  start(): Promise<void> {
    const worker = this.options.createWorker(MEDIA_WORKER_URL, { workerData: this.options.data });
    this.worker = worker;
    this.registered = new Set();
    this.last = undefined;
    this.lastError = undefined;
    this.startedAtMs = this.options.clock.nowMs();
    worker.on('message', (m: FromWorker) => { if (this.worker === worker) this.onMessage(m); });
    worker.on('error', (err) => {
      this.lastError = err;
      log.error({ err, worker: this.workerIndex }, 'media worker threw');
    });
    worker.on('messageerror', (err) => log.error({ err, worker: this.workerIndex }, 'media worker message could not be decoded'));
    worker.on('exit', (code) => { if (this.worker === worker) this.onExit(code); });
    return new Promise((resolve, reject) => { this.startWaiter = { resolve, reject }; });
  }

  createSession(): Promise<RemoteMediaSession> {
    if (!this.alive) return Promise.reject(new SwitchboardError('SWB_ERR_MEDIA_WORKER', `media worker ${this.workerIndex} is not running`));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.creating.set(id, { resolve, reject });
      this.post({ t: 'create', id });
    });
  }

  post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  encodeItems(items: readonly PlayItem[]): WirePlayItem[] {
    return items.map((item): WirePlayItem => {
      if (item.kind === 'silence') return { silenceMs: item.durationMs };
      const prompt = this.options.promptIds.idOf(item.prompt);
      if (!this.registered.has(prompt)) {
        this.post({ t: 'prompt', prompt, data: item.prompt.toData() });
        this.registered.add(prompt);
      }
      return { prompt };
    });
  }

  forgetPrompt(prompt: number): void {
    if (this.registered.delete(prompt)) this.post({ t: 'forget-prompt', prompt });
  }

  /** The engine's counters (kept as `last`) and those of the listed sessions; undefined if the thread is gone. */
  requestStats(sessions: number[] = []): Promise<StatsReply | undefined> {
    if (!this.worker) return Promise.resolve(undefined);
    const request = ++this.nextRequest;
    return new Promise((resolve) => {
      this.statsRequests.set(request, resolve);
      this.post({ t: 'stats', request, sessions });
    });
  }

  async requestSessionStats(id: number): Promise<MediaSessionStats | undefined> {
    const reply = await this.requestStats([id]);
    return reply?.sessions[0]?.[1];
  }

  /** Closes the sessions (recordings finish), then ends the thread; no restart afterwards. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.restartTimer?.cancel();
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = this.options.clock.setTimer(this.options.shutdownTimeoutMs, resolve);
      this.shutdownDone = () => {
        timer.cancel();
        resolve();
      };
      this.post({ t: 'shutdown' });
    });
    await worker.terminate();
    if (this.worker === worker) this.ended(new SwitchboardError('SWB_ERR_MEDIA_WORKER', 'the media engine was closed'));
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'ready':
        this.startWaiter?.resolve();
        this.startWaiter = undefined;
        void this.requestStats();
        return;
      case 'created': {
        const session = new RemoteMediaSession(m.id, m.rtpPort, m.rtcpPort, this);
        this.sessions.set(m.id, session);
        const pending = this.creating.get(m.id);
        this.creating.delete(m.id);
        pending?.resolve(session);
        return;
      }
      case 'create-failed':
        this.creating.get(m.id)?.reject(fromWireError(m.error));
        this.creating.delete(m.id);
        return;
      case 'stats':
        this.last = m.engine;
        this.statsRequests.get(m.request)?.({ engine: m.engine, sessions: m.sessions });
        this.statsRequests.delete(m.request);
        return;
      case 'failed':
        log.warn({ worker: this.workerIndex, action: m.action, sessionId: m.id, err: fromWireError(m.error) }, 'media worker rejected a control action');
        return;
      case 'shutdown-done':
        this.shutdownDone?.();
        return;
      default: {
        const session = this.sessions.get(m.id);
        if (!session) return;
        if (m.t === 'closed') this.sessions.delete(m.id);
        try {
          session.receive(m);
        } catch (err) {
          log.error({ err, worker: this.workerIndex, localPort: session.localPort, event: m.t }, 'a media session listener threw');
        }
      }
    }
  }

  private onExit(code: number): void {
    const error = new SwitchboardError('SWB_ERR_MEDIA_WORKER', `media worker ${this.workerIndex} exited with code ${code}`, { cause: this.lastError });
    if (this.stopping) {
      this.ended(error);
      this.shutdownDone?.();
      return;
    }
    log.error({ worker: this.workerIndex, code, sessions: this.sessions.size, err: this.lastError }, 'media worker died; ending its sessions');
    if (this.last) {
      for (const key of Object.keys(this.retired) as Array<keyof typeof this.retired>) this.retired[key] += this.last[key];
    }
    this.ended(error);
    if (this.options.clock.nowMs() - this.startedAtMs >= STABLE_AFTER_MS) this.failuresInARow = 0;
    const delayMs = Math.min(RESTART_MAX_DELAY_MS, RESTART_MIN_DELAY_MS * 2 ** this.failuresInARow++);
    this.restartTimer = this.options.clock.setTimer(delayMs, () => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.restarts++;
      log.info({ worker: this.workerIndex, restarts: this.restarts }, 'restarting media worker');
      this.start().catch(() => undefined);
    });
  }

  /** The thread is gone: fails everything that waited on it. */
  private ended(error: SwitchboardError): void {
    this.worker = undefined;
    this.last = undefined;
    this.startWaiter?.reject(error);
    this.startWaiter = undefined;
    for (const pending of this.creating.values()) pending.reject(error);
    this.creating.clear();
    for (const resolve of this.statsRequests.values()) resolve(undefined);
    this.statsRequests.clear();
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) session.fail(error);
  }
}
