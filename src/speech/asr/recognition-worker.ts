/**
 * Worker-thread entry for RecognitionHost. Decoding costs ~0.1 s of CPU per second of audio per stream, which on
 * the main thread would delay SIP and call logic and in a media worker would break the 20 ms pacing.
 *
 * One interval timer serves every recognition of the thread: each tick drains each recognition's PcmRing in whole
 * 20 ms frames through preallocated views, so the loop allocates nothing per frame. The ring is written
 * continuously by the media layer (silence included), so samples read are audio time and the recognizer's
 * timeouts, counted in frames, follow the call's clock rather than this thread's scheduling.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PcmRing, isSwitchboardError } from '../../common/index.js';
import type { HostToWorkerMessage, RecognitionWorkerData, WorkerToHostMessage } from './recognition-worker-protocol.js';
import { SoundSwallowerRecognizer } from './soundswallower-recognizer.js';
import type { Recognition, RecognitionListener } from './speech-recognizer.js';

interface Active {
  id: number;
  ring: PcmRing;
  recognition: Recognition;
}

/** At most this many frames per ring read; a larger backlog is drained in several reads within the tick. */
const READ_FRAMES = 25;

const { recognizer: recognizerOptions, pollIntervalMs } = workerData as RecognitionWorkerData;
const port = parentPort!;
const active: Active[] = [];
const pending: HostToWorkerMessage[] = [];
let recognizer: SoundSwallowerRecognizer | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let frameSamples = 0;
/** reads[n]: the first n frames of the read buffer; frames[i]: its i-th frame. */
let reads: Int16Array[] = [];
let frames: Int16Array[] = [];

function post(message: WorkerToHostMessage): void {
  port.postMessage(message);
}

function errorFields(e: unknown): { code: Extract<WorkerToHostMessage, { type: 'error' }>['code']; message: string } {
  return { code: isSwitchboardError(e) ? e.code : null, message: e instanceof Error ? e.message : String(e) };
}

port.on('message', (m: HostToWorkerMessage) => {
  if (recognizer) handle(recognizer, m);
  else pending.push(m);
});

try {
  recognizer = await SoundSwallowerRecognizer.create(recognizerOptions);
  frameSamples = (recognizer.sampleRate * 20) / 1000;
  const buffer = new Int16Array(READ_FRAMES * frameSamples);
  reads = Array.from({ length: READ_FRAMES + 1 }, (_, n) => buffer.subarray(0, n * frameSamples));
  frames = Array.from({ length: READ_FRAMES }, (_, i) => buffer.subarray(i * frameSamples, (i + 1) * frameSamples));
  post({ type: 'ready' });
  for (const m of pending.splice(0)) handle(recognizer, m);
} catch (e) {
  post({ type: 'load-failed', ...errorFields(e) });
}

function handle(engine: SoundSwallowerRecognizer, m: HostToWorkerMessage): void {
  switch (m.type) {
    case 'start':
      start(engine, m);
      return;
    case 'start-timers':
      active.find((a) => a.id === m.id)?.recognition.startTimers();
      return;
    case 'cancel': {
      const index = active.findIndex((a) => a.id === m.id);
      if (index < 0) return;
      active[index].recognition.cancel();
      active.splice(index, 1);
      if (active.length === 0) stopTimer();
    }
  }
}

function start(engine: SoundSwallowerRecognizer, m: Extract<HostToWorkerMessage, { type: 'start' }>): void {
  const { id } = m;
  const listener: RecognitionListener = {
    speechStart: (atMs) => post({ type: 'speech-start', id, atMs }),
    speechEnd: (atMs) => post({ type: 'speech-end', id, atMs }),
    result: (result) => post({ type: 'result', id, result }),
  };
  if (m.partials) listener.partial = (hypothesis) => post({ type: 'partial', id, hypothesis });
  let entry: Active;
  try {
    entry = { id, ring: new PcmRing(m.ring), recognition: engine.start(m.grammar, listener, m.options) };
  } catch (e) {
    post({ type: 'error', id, ...errorFields(e) });
    return;
  }
  active.push(entry);
  timer ??= setInterval(tick, pollIntervalMs);
  // Audio already buffered is decoded now rather than a tick later.
  if (!service(entry)) active.splice(active.indexOf(entry), 1);
}

function tick(): void {
  let kept = 0;
  for (let i = 0; i < active.length; i++) {
    const entry = active[i];
    if (service(entry)) active[kept++] = entry;
  }
  active.length = kept;
  if (kept === 0) stopTimer();
}

function stopTimer(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
}

/**
 * Feeds what the ring holds; false once the recognition is over. Frames read in the pass that reaches the
 * decision but not fed are lost to the ring's next reader: one or two while audio arrives live.
 */
function service(entry: Active): boolean {
  const { ring, recognition } = entry;
  // Read before draining: a ring seen closed then holds everything its producer will ever write.
  const closed = ring.closed;
  try {
    let count: number;
    while (!recognition.finished && (count = Math.min(READ_FRAMES, Math.floor(ring.available() / frameSamples))) > 0) {
      ring.read(reads[count]);
      for (let f = 0; f < count && !recognition.finished; f++) recognition.feed(frames[f]);
    }
  } catch (e) {
    recognition.cancel();
    post({ type: 'error', id: entry.id, ...errorFields(e) });
    return false;
  }
  if (recognition.finished) return false;
  if (!closed) return true;
  recognition.cancel();
  post({ type: 'ended', id: entry.id, reason: 'audio-closed' });
  return false;
}
