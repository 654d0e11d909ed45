/**
 * Runs recognitions on dedicated worker threads, away from SIP and call logic (main thread) and from the media
 * workers' 20 ms pacing. A recognition reads its caller's audio from a PcmRing the media layer writes, so audio
 * crosses threads without a message per frame; only events (speech start, end, partials, the result) are posted
 * back, each as it happens, since speech start drives barge-in.
 *
 * Each worker loads the model once; a recognition goes to the ready worker with the fewest active ones. A worker
 * that crashes fails its own recognitions (listener.error) and is replaced. Idle workers are unref'd, so the host
 * never keeps a stopping process alive.
 */
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, SwitchboardError, type ErrorCode } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import type { RecognitionGrammar } from './recognition-grammar.js';
import type {
  HostToWorkerMessage, RecognitionEndReason, RecognitionWorkerData, WorkerToHostMessage,
} from './recognition-worker-protocol.js';
import type { SoundSwallowerRecognizerOptions } from './soundswallower-recognizer.js';
import type { RecognitionListener, RecognitionOptions } from './speech-recognizer.js';

export type { RecognitionEndReason } from './recognition-worker-protocol.js';

export interface RecognitionHostOptions {
  /** Worker threads, each loading its own copy of the model. Default 1. */
  workers?: number;
  /** Passed to each worker's SoundSwallowerRecognizer.create. */
  recognizer?: SoundSwallowerRecognizerOptions;
  /** How often a worker drains its rings. Default 20 ms (one frame). */
  pollIntervalMs?: number;
}

/**
 * Every recognition not cancelled ends with exactly one of result, ended or error; nothing follows it. Partials
 * are posted only when the options ask for them (partialIntervalMs > 0) and `partial` is set.
 */
export interface HostedRecognitionListener extends RecognitionListener {
  /**
   * The recognition could not start or went away: a grammar the engine cannot compile (SWB_ERR_ASR_GRAMMAR), a
   * full worker (SWB_ERR_ASR_BUSY), a crashed worker or a closed host (SWB_ERR_ASR_STATE).
   */
  error(error: SwitchboardError): void;
  /** 'audio-closed': the ring was closed (the call ended) and drained before a decision; treat it as a hangup. */
  ended(reason: RecognitionEndReason): void;
}

export interface HostedRecognition {
  /** Starts the no-input timer of a recognition started with startTimers: false (at the audio the worker has read). */
  startTimers(): void;
  /** Stops it in the worker and frees its decoder; the listener hears nothing more. Idempotent. */
  cancel(): void;
  /** True once it ended (result, ended or error) or was cancelled. */
  readonly finished: boolean;
  /** Resolves when finished becomes true; never rejects. */
  readonly done: Promise<void>;
}

export interface RecognitionHostStats {
  workers: number;
  active: number;
  perWorker: number[];
}

interface Slot {
  worker: Worker;
  ready: boolean;
  active: Map<number, Hosted>;
}

const log = logger('speech.asr');

class Hosted implements HostedRecognition {
  finished = false;
  slot: Slot | undefined;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(readonly id: number, readonly listener: HostedRecognitionListener, private readonly release: (h: Hosted) => void) {
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  startTimers(): void {
    if (!this.finished) this.slot?.worker.postMessage({ type: 'start-timers', id: this.id } satisfies HostToWorkerMessage);
  }

  cancel(): void {
    if (this.finished) return;
    this.slot?.worker.postMessage({ type: 'cancel', id: this.id } satisfies HostToWorkerMessage);
    this.release(this);
    this.settle();
  }

  settle(): void {
    this.finished = true;
    this.resolveDone();
  }
}

export class RecognitionHost {
  private readonly slots: Slot[] = [];
  private readonly workerData: RecognitionWorkerData;
  private nextId = 1;
  private closed = false;

  private constructor(options: RecognitionHostOptions) {
    this.workerData = { recognizer: options.recognizer ?? {}, pollIntervalMs: options.pollIntervalMs ?? 20 };
  }

  /** Resolves once every worker has loaded the model; a missing or corrupt model rejects with SWB_ERR_ASR_MODEL. */
  static async start(options: RecognitionHostOptions = {}): Promise<RecognitionHost> {
    const size = options.workers ?? 1;
    if (!Number.isInteger(size) || size < 1) {
      throw new SwitchboardError('SWB_ERR_CONFIG_INVALID', `Recognition workers must be a positive integer, got ${size}`);
    }
    const poll = options.pollIntervalMs ?? 20;
    if (!(poll > 0)) throw new SwitchboardError('SWB_ERR_CONFIG_INVALID', `pollIntervalMs must be positive, got ${poll}`);
    const host = new RecognitionHost(options);
    try {
      await Promise.all(Array.from({ length: size }, () => host.spawn()));
    } catch (e) {
      await host.close();
      throw e;
    }
    return host;
  }

  /**
   * Starts a recognition reading `ring` (a PcmRing's buffer) from its current read position. Never throws: a
   * failure to start reaches listener.error asynchronously.
   */
  recognize(
    grammar: RecognitionGrammar, ring: SharedArrayBuffer, listener: HostedRecognitionListener, options: RecognitionOptions = {},
  ): HostedRecognition {
    const hosted = new Hosted(this.nextId++, listener, (h) => this.forget(h));
    const slot = this.pick();
    if (!slot) {
      queueMicrotask(() => this.fail(hosted, new SwitchboardError('SWB_ERR_ASR_STATE', 'The recognition host is closed')));
      return hosted;
    }
    slot.active.set(hosted.id, hosted);
    hosted.slot = slot;
    slot.worker.ref();
    const partials = listener.partial !== undefined && (options.partialIntervalMs ?? 0) > 0;
    const workerOptions = partials ? options : { ...options, partialIntervalMs: 0 };
    slot.worker.postMessage({ type: 'start', id: hosted.id, grammar, ring, options: workerOptions, partials } satisfies HostToWorkerMessage);
    return hosted;
  }

  stats(): RecognitionHostStats {
    const perWorker = this.slots.map((s) => s.active.size);
    return { workers: this.slots.length, active: perWorker.reduce((a, b) => a + b, 0), perWorker };
  }

  /** Ends active recognitions with SWB_ERR_ASR_STATE and terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) this.failAll(slot, 'the recognition host was closed');
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private forget(hosted: Hosted): void {
    const slot = hosted.slot;
    if (!slot) return;
    hosted.slot = undefined;
    slot.active.delete(hosted.id);
    if (slot.active.size === 0) slot.worker.unref();
  }

  /** Ready workers first, then fewest active recognitions; ties go to the first. */
  private pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (!best || (slot.ready && !best.ready) || (slot.ready === best.ready && slot.active.size < best.active.size)) best = slot;
    }
    return best;
  }

  private spawn(): Promise<void> {
    const worker = new Worker(new URL('./recognition-worker.js', import.meta.url), { workerData: this.workerData });
    worker.unref();
    const slot: Slot = { worker, ready: false, active: new Map() };
    this.slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: WorkerToHostMessage) => {
        if (m.type === 'ready') {
          slot.ready = true;
          resolve();
        } else if (m.type === 'load-failed') {
          const error = toError(m.code, m.message);
          this.retire(slot, `the model failed to load: ${m.message}`, false);
          void worker.terminate();
          reject(error);
        } else {
          this.onEvent(slot, m);
        }
      });
      worker.on('error', (e: Error) => {
        this.retire(slot, `the recognition worker failed: ${e.message}`, slot.ready);
        reject(new SwitchboardError('SWB_ERR_ASR_STATE', `The recognition worker failed: ${e.message}`, { cause: e }));
      });
      worker.on('exit', (code: number) => {
        this.retire(slot, `the recognition worker exited with code ${code}`, slot.ready);
        reject(new SwitchboardError('SWB_ERR_ASR_STATE', `The recognition worker exited with code ${code} before loading the model`));
      });
    });
  }

  private onEvent(slot: Slot, m: Exclude<WorkerToHostMessage, { type: 'ready' | 'load-failed' }>): void {
    const hosted = slot.active.get(m.id);
    if (!hosted) return;
    const listener = hosted.listener;
    switch (m.type) {
      case 'speech-start':
        listener.speechStart?.(m.atMs);
        return;
      case 'speech-end':
        listener.speechEnd?.(m.atMs);
        return;
      case 'partial':
        listener.partial?.(m.hypothesis);
        return;
      case 'result':
        this.end(hosted);
        listener.result(m.result);
        return;
      case 'ended':
        this.end(hosted);
        listener.ended(m.reason);
        return;
      case 'error':
        this.fail(hosted, toError(m.code, m.message));
    }
  }

  private end(hosted: Hosted): void {
    this.forget(hosted);
    hosted.settle();
  }

  private fail(hosted: Hosted, error: SwitchboardError): void {
    this.end(hosted);
    hosted.listener.error(error);
  }

  private failAll(slot: Slot, detail: string): void {
    for (const hosted of [...slot.active.values()]) {
      this.fail(hosted, new SwitchboardError('SWB_ERR_ASR_STATE', `Recognition ended: ${detail}`));
    }
  }

  /** Takes a worker out of service, failing its recognitions; a worker that had loaded the model is replaced. */
  private retire(slot: Slot, detail: string, replace: boolean): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    log.warn({ detail, active: slot.active.size }, 'recognition worker retired');
    this.failAll(slot, detail);
    if (replace && !this.closed) {
      this.spawn().catch((e: unknown) => log.error({ err: e }, 'replacement recognition worker failed to start'));
    }
  }
}

function toError(code: ErrorCode | null, message: string): SwitchboardError {
  return new SwitchboardError(code !== null && code in ERROR_CODES ? code : 'SWB_ERR_ASR_STATE', message);
}
