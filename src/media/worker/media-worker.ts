/**
 * Entry point of a media worker thread (started by WorkerMediaEngine as `media-worker.js` beside the compiled
 * engine): builds the worker's MediaEngine from workerData and hands every message to a MediaWorkerHost.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { configureLogging } from '../../observability/index.js';
import { MediaEngine } from '../engine/index.js';
import { MediaWorkerHost } from './media-worker-host.js';
import type { FromWorker, MediaWorkerData, ToWorker } from './media-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('media-worker.js runs only as a worker thread (see WorkerMediaEngine)');
const data = workerData as MediaWorkerData;
configureLogging(data.logLevel as Parameters<typeof configureLogging>[0]);
const { inbandDtmf, ...engineOptions } = data.engine;
const engine = new MediaEngine({ ...engineOptions, inbandDtmfDetector: inbandDtmf ? undefined : false });
const host = new MediaWorkerHost(engine, (message: FromWorker) => port.postMessage(message));
port.on('message', (message: ToWorker) => host.handle(message));
port.postMessage({ t: 'ready' } satisfies FromWorker);
