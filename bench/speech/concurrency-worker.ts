/**
 * One worker thread of the concurrency test: runs `streams` recognitions side by side, each fed one 20 ms frame per
 * tick of a drift-corrected 20 ms schedule (the media clock), starting a new recognition whenever one decides, and
 * reports how far behind the schedule it fell.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SoundSwallowerRecognizer, type Recognition } from '../../src/speech/asr/index.js';
import { DEPARTMENTS } from './department-corpus.js';

export interface ConcurrencyWorkerData {
  streams: number;
  seconds: number;
  clips: Int16Array[];
}

export interface ConcurrencyWorkerResult {
  streams: number;
  ticks: number;
  /** How late the last tick ran, ms behind schedule. */
  finalLagMs: number;
  maxLagMs: number;
  /** Ticks that ran more than one frame late. */
  lateTicks: number;
  recognitions: number;
  busyMs: number;
}

const FRAME = 160;
const TICK_MS = 20;

const { streams, seconds, clips } = workerData as ConcurrencyWorkerData;
const recognizer = await SoundSwallowerRecognizer.create({ pool: { minIdle: streams, maxSize: streams } });

interface Stream {
  clip: number;
  offset: number;
  recognition: Recognition;
}

let recognitions = 0;
const silence = new Int16Array(FRAME);
const frame = new Int16Array(FRAME);

function startRecognition(s: Stream): void {
  s.recognition = recognizer.start(DEPARTMENTS, {
    result: () => {
      recognitions++;
      s.clip = (s.clip + 1) % clips.length;
      s.offset = 0;
      startRecognition(s);
    },
  });
}

const all: Stream[] = [];
for (let i = 0; i < streams; i++) {
  // Streams start at different clips and points so that they do not all speak at once.
  const s = { clip: (i * 7) % clips.length, offset: (i * 37 * FRAME) % clips[(i * 7) % clips.length].length, recognition: null as unknown as Recognition };
  startRecognition(s);
  all.push(s);
}

const totalTicks = Math.round((seconds * 1000) / TICK_MS);
const start = performance.now();
let tick = 0;
let maxLag = 0;
let late = 0;
let busy = 0;
let lastLag = 0;

function runTick(): void {
  const scheduled = start + tick * TICK_MS;
  const t0 = performance.now();
  lastLag = t0 - scheduled;
  maxLag = Math.max(maxLag, lastLag);
  if (lastLag > TICK_MS) late++;
  for (const s of all) {
    const clip = clips[s.clip];
    let input = silence;
    if (s.offset < clip.length) {
      frame.fill(0);
      frame.set(clip.subarray(s.offset, Math.min(s.offset + FRAME, clip.length)));
      input = frame;
    }
    s.offset += FRAME;
    s.recognition.feed(input);
  }
  busy += performance.now() - t0;
  tick++;
  if (tick >= totalTicks) {
    for (const s of all) s.recognition.cancel();
    recognizer.close();
    const result: ConcurrencyWorkerResult = { streams, ticks: tick, finalLagMs: lastLag, maxLagMs: maxLag, lateTicks: late, recognitions, busyMs: busy };
    parentPort!.postMessage(result);
    return;
  }
  setTimeout(runTick, Math.max(0, start + tick * TICK_MS - performance.now()));
}

runTick();
