/**
 * Worker-thread entry for FliteWorkerPool. A synthesis blocks its thread for tens of milliseconds, which on the
 * main thread would stall the shared 20 ms media pacer and with it every call's audio.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { synthesizeWithFlite, type FliteRequest } from './flite-engine.js';
import type { WasmModule } from './wasi-memory-host.js';

export interface FliteWorkerData {
  module: WasmModule;
}

export interface FliteJobMessage {
  id: number;
  request: FliteRequest;
}

export type FliteResultMessage =
  | { id: number; ok: true; pcm: Int16Array; sampleRate: number }
  | { id: number; ok: false; message: string };

const { module } = workerData as FliteWorkerData;
const port = parentPort!;

port.on('message', ({ id, request }: FliteJobMessage) => {
  let reply: FliteResultMessage;
  try {
    const audio = synthesizeWithFlite(module, request);
    reply = { id, ok: true, pcm: audio.pcm, sampleRate: audio.sampleRate };
  } catch (e) {
    reply = { id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply, reply.ok ? [reply.pcm.buffer as ArrayBuffer] : []);
});
