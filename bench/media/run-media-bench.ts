/**
 * Media engine load bench: N sessions on one engine, paired so each session both sends and receives a 20 ms
 * PCMU stream over loopback (N sessions = the send + receive load of N calls), all playing a prompt in a loop.
 * Prints packets/s sent and received, pacer lateness and work per tick, CPU and event-loop use.
 *
 * --workers N (default 0) runs the sessions on a WorkerMediaEngine with N worker threads instead of a MediaEngine
 * on the main thread; each pair of sessions shares a worker, as the two legs of a bridge would. `pacer` is then
 * the workers' pacers aggregated; `mainThread` is a probe pacer with no members on the main thread, whose lateness
 * is what SIP and call logic would see, in every mode.
 *
 *   node dist/bench/media/run-media-bench.js [--sessions 1000] [--seconds 10] [--workers 0] [--port-min 30000] [--out file.json]
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SystemClock } from '../../src/common/index.js';
import {
  MediaEngine, Pacer, Prompt, WorkerMediaEngine, type MediaEngineStats, type MediaSessionLike, type PlayItem,
} from '../../src/media/index.js';
import { configureLogging } from '../../src/observability/index.js';

function arg(name: string, fallback: number, min = 1): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name} needs a number >= ${min}`);
  return v;
}

/** The engine under test behind one shape: fresh stats (a worker engine pulls them) and a pacer window reset. */
interface BenchEngine {
  createSession(near?: MediaSessionLike): Promise<MediaSessionLike>;
  stats(): Promise<MediaEngineStats>;
  resetPacerWindow(): void;
  close(): Promise<void>;
}

async function openEngine(workers: number, portMin: number, portMax: number): Promise<BenchEngine> {
  const options = { bindHost: '127.0.0.1', portMin, portMax, latching: true };
  if (workers === 0) {
    const e = new MediaEngine(options);
    return { createSession: () => e.createSession(), stats: async () => e.stats(), resetPacerWindow: () => e.resetPacerWindow(), close: () => e.close() };
  }
  const e = await WorkerMediaEngine.start({ ...options, workers });
  return {
    createSession: (near) => e.createSession({ near }), stats: () => e.refreshStats(), resetPacerWindow: () => e.resetPacerWindow(), close: () => e.close(),
  };
}

async function main(): Promise<void> {
  configureLogging('warn');
  const sessions = Math.floor(arg('sessions', 1000) / 2) * 2;
  const seconds = arg('seconds', 10);
  const portMin = arg('port-min', 30000);
  const workers = Math.floor(arg('workers', 0, 0));
  const engine = await openEngine(workers, portMin, portMin + sessions * 2 + 200 * Math.max(1, workers));
  const probe = new Pacer(new SystemClock());
  probe.add({ onTick: () => undefined });
  const pcm = new Int16Array(8000 * 3);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  const prompt = Prompt.fromPcm(pcm, 8000, 'bench');
  const all: MediaSessionLike[] = [];
  for (let i = 0; i < sessions; i++) all.push(await engine.createSession(i % 2 === 1 ? all[i - 1] : undefined));
  const loop = (s: MediaSessionLike): void => {
    const items: PlayItem[] = [{ kind: 'prompt', prompt }];
    s.play(items, { onDone: (r) => { if (r === 'finished') loop(s); } });
  };
  for (let i = 0; i < sessions; i += 2) {
    const [a, b] = [all[i], all[i + 1]];
    a.configure({ remoteAddress: '127.0.0.1', remotePort: b.localPort, codec: 'pcmu', payloadType: 0, telephoneEventPt: 101, direction: 'sendrecv' });
    b.configure({ remoteAddress: '127.0.0.1', remotePort: a.localPort, codec: 'pcmu', payloadType: 0, telephoneEventPt: 101, direction: 'sendrecv' });
    loop(a);
    loop(b);
  }
  // Let the start-up settle, then measure a steady window.
  await new Promise((r) => setTimeout(r, 1000));
  engine.resetPacerWindow();
  probe.resetWindow();
  const before = await engine.stats();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const dt = (performance.now() - t0) / 1000;
  const after = await engine.stats();
  const main = probe.stats();
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  probe.stop();
  await engine.close();
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    sessions,
    workers,
    seconds: Number(dt.toFixed(2)),
    sentPerSecond: Math.round((after.packetsSent - before.packetsSent) / dt),
    receivedPerSecond: Math.round((after.packetsReceived - before.packetsReceived) / dt),
    expectedPerSecond: sessions * 50,
    cpuPercentOfOneCore: Number((((cpu.user + cpu.system) / 1e6 / dt) * 100).toFixed(1)),
    eventLoopUtilization: Number(elu.utilization.toFixed(3)),
    mainThread: {
      lateTicks: main.lateTicks,
      meanLatenessMs: Number(main.meanLatenessMs.toFixed(2)),
      p99LatenessMs: main.p99LatenessMs,
      maxLatenessMs: Number(main.maxLatenessMs.toFixed(2)),
    },
    pacer: {
      lateTicks: after.pacer.lateTicks - before.pacer.lateTicks,
      skippedTicks: after.pacer.skippedTicks - before.pacer.skippedTicks,
      meanLatenessMs: Number(after.pacer.meanLatenessMs.toFixed(2)),
      p99LatenessMs: after.pacer.p99LatenessMs,
      maxLatenessMs: Number(after.pacer.maxLatenessMs.toFixed(2)),
      meanWorkMs: Number(after.pacer.meanWorkMs.toFixed(2)),
      maxWorkMs: Number(after.pacer.maxWorkMs.toFixed(2)),
    },
  };
  const json = JSON.stringify(result, null, 2);
  console.log(json);
  const out = process.argv.indexOf('--out');
  if (out >= 0 && process.argv[out + 1]) writeFileSync(process.argv[out + 1], `${json}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
