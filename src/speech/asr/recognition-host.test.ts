import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { PcmRing, isSwitchboardError, type SwitchboardError } from '../../common/index.js';
import {
  RecognitionHost, type HostedRecognition, type OptionsGrammar, type RecognitionGrammar, type RecognitionOptions,
  type RecognitionResult,
} from './index.js';
import { RATE, TelephoneSpeaker, concat, silence } from './speech-fixtures.js';

const DEPARTMENTS: OptionsGrammar = {
  kind: 'options',
  options: [
    { value: 'billing', phrases: ['billing', 'bills', 'invoice', 'payment'] },
    { value: 'sales', phrases: ['sales', 'purchase'] },
    { value: 'support', phrases: ['support', 'customer service'] },
    { value: 'operator', phrases: ['operator', 'representative'] },
  ],
};

interface Run {
  handle: HostedRecognition;
  /** Listener calls in order, e.g. "start@480", "result:match:billing". */
  events: string[];
  result?: RecognitionResult;
  resultAt?: number;
  startAt?: number;
  error?: SwitchboardError;
}

function recognize(host: RecognitionHost, grammar: RecognitionGrammar, ring: PcmRing, options: RecognitionOptions = {}): Run {
  const run = { events: [] } as unknown as Run;
  run.handle = host.recognize(grammar, ring.buffer, {
    speechStart: (at) => {
      run.startAt = performance.now();
      run.events.push(`start@${at}`);
    },
    speechEnd: (at) => run.events.push(`end@${at}`),
    partial: (h) => run.events.push(`partial:${h.text}`),
    result: (r) => {
      run.result = r;
      run.resultAt = performance.now();
      run.events.push(`result:${r.status}:${r.value}`);
    },
    ended: (reason) => run.events.push(`ended:${reason}`),
    error: (e) => {
      run.error = e;
      run.events.push(`error:${e.code}`);
    },
  }, options);
  return run;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `pcm` in real time (drift-corrected 20 ms frames), as the media layer does; records when each frame went in. */
function pace(ring: PcmRing, pcm: Int16Array): { stop(): void; wallAt(sample: number): number } {
  const start = performance.now();
  const writtenAt: number[] = [];
  let written = 0;
  const write = (): void => {
    const due = Math.min(pcm.length, Math.floor(((performance.now() - start) * RATE) / 1000 / 160) * 160);
    while (written < due) {
      ring.write(pcm.subarray(written, written + 160));
      written += 160;
      writtenAt.push(performance.now());
    }
    if (written >= pcm.length) clearInterval(timer);
  };
  const timer = setInterval(write, 20);
  return { stop: () => clearInterval(timer), wallAt: (sample) => writtenAt[Math.ceil(sample / 160) - 1] };
}

const workersOf = (host: RecognitionHost): Worker[] => (host as unknown as { slots: Array<{ worker: Worker }> }).slots.map((s) => s.worker);

describe('RecognitionHost', { timeout: 20_000 }, () => {
  let host: RecognitionHost;
  let speaker: TelephoneSpeaker;
  let billing: Int16Array;
  let sales: Int16Array;

  before(async () => {
    speaker = new TelephoneSpeaker();
    [host, billing, sales] = await Promise.all([
      RecognitionHost.start({ workers: 2 }),
      speaker.speech('billing', 'slt'),
      speaker.speech('sales', 'kal'),
    ]);
  });

  after(async () => {
    await host.close();
    await speaker.close();
  });

  it('recognizes an utterance written in real time, with events in order on the audio clock', async (t) => {
    const ring = PcmRing.create(RATE * 2);
    const run = recognize(host, DEPARTMENTS, ring, { partialIntervalMs: 100 });
    const writer = pace(ring, concat(silence(500), billing, silence(1500)));
    await run.handle.done;
    writer.stop();
    const result = run.result;
    assert.ok(result, run.events.join(' '));
    assert.equal(result.status, 'match', JSON.stringify(result));
    assert.equal(result.value, 'billing');
    assert.match(run.events[0], /^start@\d+$/);
    assert.deepEqual(run.events.slice(-2).map((e) => e.replace(/@\d+/, '')), ['end', 'result:match:billing']);
    assert.ok(run.events.slice(1, -2).every((e) => e.startsWith('partial:')), run.events.join(' '));
    assert.ok(run.events.length > 3, `partials were asked for: ${run.events.join(' ')}`);
    assert.equal(run.handle.finished, true);
    assert.equal(host.stats().active, 0);
    const { speechStartMs, speechEndMs, decidedAtMs } = result;
    const decidedWrittenAt = writer.wallAt((decidedAtMs * RATE) / 1000);
    t.diagnostic(`end of speech → result: ${decidedAtMs - speechEndMs!} ms of audio (endpointing), then ` +
      `${(run.resultAt! - decidedWrittenAt).toFixed(1)} ms wall from writing the deciding frame to the result here; ` +
      `speechStart here ${(run.startAt! - writer.wallAt((speechStartMs! * RATE) / 1000)).toFixed(1)} ms after its first frame was written`);
  });

  it('times no-input on the audio in the ring, not on the wall clock', async () => {
    const ring = PcmRing.create(RATE * 4);
    const started = performance.now();
    ring.write(silence(3500));
    const run = recognize(host, DEPARTMENTS, ring, { noInputTimeoutMs: 3000 });
    await run.handle.done;
    assert.deepEqual(run.events, ['result:no-input:null']);
    assert.equal(run.result?.decidedAtMs, 3000);
    assert.ok(performance.now() - started < 3000, 'decided before 3 s of wall time passed');

    const quiet = PcmRing.create(RATE * 4);
    const waiting = recognize(host, DEPARTMENTS, quiet, { noInputTimeoutMs: 1000, startTimers: false });
    quiet.write(silence(2000));
    while (quiet.available() > 0) await sleep(10);
    assert.equal(waiting.handle.finished, false, 'no timer runs before startTimers()');
    waiting.handle.startTimers();
    // The timer starts at the audio the worker has read when the message arrives, so audio keeps coming, as live.
    while (!waiting.handle.finished) {
      quiet.write(silence(100));
      await sleep(20);
    }
    assert.equal(waiting.result?.status, 'no-input', waiting.events.join(' '));
    assert.ok(waiting.result.decidedAtMs >= 3000, `1000 ms after the 2000 read before startTimers: ${waiting.result.decidedAtMs}`);
  });

  it('cancel mid-utterance stops the worker reading and silences the listener', async () => {
    const ring = PcmRing.create(RATE * 4);
    const run = recognize(host, DEPARTMENTS, ring);
    ring.write(concat(silence(500), billing));
    while (run.events.length === 0) await sleep(5);
    assert.match(run.events[0], /^start@/);
    run.handle.cancel();
    const seen = run.events.length;
    await run.handle.done;
    assert.equal(host.stats().active, 0);
    // The worker drains what was written before it handles the cancel message.
    while (ring.available() >= 160) await sleep(10);
    await sleep(100);
    const left = ring.available();
    ring.write(silence(1500));
    await sleep(200);
    assert.equal(ring.available(), left + (1500 * RATE) / 1000, 'nothing reads the ring after cancel');
    assert.equal(run.events.length, seen, `no events after cancel: ${run.events.join(' ')}`);
  });

  it('spreads simultaneous recognitions over the workers, each with its own answer', async () => {
    const rings = [PcmRing.create(RATE * 4), PcmRing.create(RATE * 4)];
    const runs = [recognize(host, DEPARTMENTS, rings[0]), recognize(host, DEPARTMENTS, rings[1])];
    assert.deepEqual(host.stats(), { workers: 2, active: 2, perWorker: [1, 1] });
    rings[0].write(concat(silence(300), billing, silence(1500)));
    rings[1].write(concat(silence(300), sales, silence(1500)));
    await Promise.all(runs.map((r) => r.handle.done));
    assert.equal(runs[0].result?.value, 'billing', runs[0].events.join(' '));
    assert.equal(runs[1].result?.value, 'sales', runs[1].events.join(' '));
    for (const r of runs) assert.ok(!r.events.some((e) => e.startsWith('partial:')), 'no partials unless asked');
    assert.deepEqual(host.stats().perWorker, [0, 0]);
  });

  it('ends with audio-closed when the ring closes before speech', async () => {
    const ring = PcmRing.create(RATE);
    const run = recognize(host, DEPARTMENTS, ring);
    ring.write(silence(300));
    ring.close();
    await run.handle.done;
    assert.deepEqual(run.events, ['ended:audio-closed']);
  });

  it('reports a grammar the engine rejects through listener.error', async () => {
    const run = recognize(host, { kind: 'options', options: [] }, PcmRing.create(RATE));
    await run.handle.done;
    assert.ok(isSwitchboardError(run.error, 'SWB_ERR_ASR_GRAMMAR'), String(run.error));
    assert.equal(host.stats().active, 0);
  });
});

describe('RecognitionHost workers', { timeout: 20_000 }, () => {
  it('fails a crashed worker\'s recognitions, replaces it, and fails active ones on close()', async () => {
    const host = await RecognitionHost.start({ workers: 1 });
    try {
      const lost = recognize(host, DEPARTMENTS, PcmRing.create(RATE));
      await workersOf(host)[0].terminate();
      await lost.handle.done;
      assert.ok(isSwitchboardError(lost.error, 'SWB_ERR_ASR_STATE'), String(lost.error));
      assert.equal(host.stats().workers, 1, 'a replacement worker');

      const ring = PcmRing.create(RATE * 2);
      ring.write(silence(1200));
      const next = recognize(host, DEPARTMENTS, ring, { noInputTimeoutMs: 1000 });
      await next.handle.done;
      assert.equal(next.result?.status, 'no-input', next.events.join(' '));

      const open = recognize(host, DEPARTMENTS, PcmRing.create(RATE));
      const worker = workersOf(host)[0];
      let exited = false;
      worker.once('exit', () => { exited = true; });
      await host.close();
      await open.handle.done;
      assert.ok(isSwitchboardError(open.error, 'SWB_ERR_ASR_STATE') && /closed/.test(open.error.message), String(open.error));
      assert.equal(exited, true, 'the worker thread was terminated');
      assert.deepEqual(host.stats(), { workers: 0, active: 0, perWorker: [] });
      const late = recognize(host, DEPARTMENTS, PcmRing.create(RATE));
      await late.handle.done;
      assert.ok(isSwitchboardError(late.error, 'SWB_ERR_ASR_STATE'));
    } finally {
      await host.close();
    }
  });

  it('rejects start naming the model file that is missing', async () => {
    const modelBase = mkdtempSync(join(tmpdir(), 'swb-asr-host-empty-'));
    try {
      await assert.rejects(RecognitionHost.start({ recognizer: { modelBase } }), (e) => {
        return isSwitchboardError(e, 'SWB_ERR_ASR_MODEL') && e.message.includes(`file ${join(modelBase, 'en-us')}/`) && /could not be read/.test(e.message);
      });
    } finally {
      rmSync(modelBase, { recursive: true, force: true });
    }
  });
});
