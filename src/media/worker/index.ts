export {
  WorkerMediaEngine, type MediaWorkerReport, type WorkerMediaEngineOptions, type WorkerMediaEngineStats,
} from './worker-media-engine.js';
export { RemoteMediaSession } from './remote-media-session.js';
export type { WorkerFactory } from './media-worker-slot.js';
