import { Worker } from 'node:worker_threads';
import { SwitchboardError, SystemClock, type Clock, type TimerHandle } from '../common/index.js';
import { logger } from '../observability/index.js';
import { defaultFliteWasmPath, loadFliteModule, type FliteRequest } from './flite-engine.js';
import type { FliteJobMessage, FliteResultMessage, FliteWorkerData } from './flite-worker.js';
import { ttsFailure, type SynthesizedAudio } from './tts-provider.js';
import type { WasmModule } from './wasi-memory-host.js';

export interface FliteWorkerPoolOptions {
  wasmPath?: string;
  /** Worker threads; each runs one synthesis at a time. */
  size?: number;
  /** A synthesis running longer is abandoned and its worker replaced. */
  timeoutMs?: number;
  /** Jobs allowed to wait for a free worker before run() rejects. */
  maxQueued?: number;
  clock?: Clock;
}

interface Job {
  id: number;
  request: FliteRequest;
  resolve(audio: SynthesizedAudio): void;
  reject(error: SwitchboardError): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: TimerHandle;
}

const log = logger('speech.flite');

/**
 * Runs Flite syntheses on worker threads, FIFO. The module is compiled once in this thread and shared with every
 * worker (a WebAssembly.Module is cloned to workers without recompiling). Idle workers are unref'd so the pool
 * never keeps a stopping process alive; a crashed or timed-out worker fails only its own job and is replaced.
 */
export class FliteWorkerPool {
  private readonly wasmPath: string;
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxQueued: number;
  private readonly clock: Clock;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private module: WasmModule | undefined;
  private nextId = 1;
  private closed = false;

  constructor(options: FliteWorkerPoolOptions = {}) {
    this.wasmPath = options.wasmPath ?? defaultFliteWasmPath();
    this.size = options.size ?? 1;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxQueued = options.maxQueued ?? 256;
    this.clock = options.clock ?? new SystemClock();
    if (!Number.isInteger(this.size) || this.size < 1) {
      throw new SwitchboardError('SWB_ERR_CONFIG_INVALID', `Flite worker pool size must be a positive integer, got ${this.size}`);
    }
  }

  /** Compiles the module and starts every worker now, so the first prompt does not pay for it. */
  async warmUp(): Promise<void> {
    const module = await this.load();
    while (!this.closed && this.slots.length < this.size) this.spawn(module);
  }

  /** Dispatches synchronously once the module is loaded, so a job's deadline timer exists when run() returns. */
  run(request: FliteRequest): Promise<SynthesizedAudio> {
    if (this.module) return this.enqueue(this.module, request);
    return this.load().then((module) => this.enqueue(module, request));
  }

  /** Fails queued and running jobs and stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      job.reject(ttsFailure(job.request.text, job.request.voice, 'the Flite worker pool was closed'));
    }
    const slots = [...this.slots];
    for (const slot of slots) this.retire(slot, 'the Flite worker pool was closed');
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private async load(): Promise<WasmModule> {
    this.module ??= await loadFliteModule(this.wasmPath);
    return this.module;
  }

  private enqueue(module: WasmModule, request: FliteRequest): Promise<SynthesizedAudio> {
    if (this.closed) return Promise.reject(ttsFailure(request.text, request.voice, 'the Flite worker pool is closed'));
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(ttsFailure(request.text, request.voice, `${this.queue.length} syntheses are already waiting`));
    }
    return new Promise<SynthesizedAudio>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve, reject });
      this.pump(module);
    });
  }

  private pump(module: WasmModule): void {
    while (!this.closed && this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.job) ?? (this.slots.length < this.size ? this.spawn(module) : undefined);
      if (!slot) return;
      this.dispatch(slot, this.queue.shift()!);
    }
  }

  private spawn(module: WasmModule): Slot {
    const workerData: FliteWorkerData = { module };
    const worker = new Worker(new URL('./flite-worker.js', import.meta.url), { workerData });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (m: FliteResultMessage) => this.onResult(slot, m));
    worker.on('error', (e: Error) => this.retire(slot, `the synthesis worker failed: ${e.message}`, e));
    worker.on('exit', (code: number) => this.retire(slot, `the synthesis worker exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    slot.timer = this.clock.setTimer(this.timeoutMs, () => {
      this.retire(slot, `no result after ${this.timeoutMs} ms`);
      void slot.worker.terminate();
    });
    const message: FliteJobMessage = { id: job.id, request: job.request };
    slot.worker.postMessage(message);
  }

  private onResult(slot: Slot, m: FliteResultMessage): void {
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    slot.timer?.cancel();
    slot.job = undefined;
    slot.worker.unref();
    if (m.ok) job.resolve({ pcm: m.pcm, sampleRate: m.sampleRate });
    else job.reject(new SwitchboardError('SWB_ERR_TTS_FAILED', m.message));
    if (this.module) this.pump(this.module);
  }

  /** Takes a worker out of service (crash, exit, timeout or close), failing the job it was running. */
  private retire(slot: Slot, detail: string, cause?: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.timer?.cancel();
    const job = slot.job;
    slot.job = undefined;
    if (!this.closed) log.warn({ detail, voice: job?.request.voice }, 'Flite worker retired');
    if (job) job.reject(ttsFailure(job.request.text, job.request.voice, detail, cause));
    if (this.module) this.pump(this.module);
  }
}
