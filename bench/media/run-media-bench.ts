/**
 * Media engine load bench: N sessions on one engine, paired so each session both sends and receives a 20 ms
 * PCMU stream over loopback (N sessions = the send + receive load of N calls), all playing a prompt in a loop.
 * Prints packets/s sent and received, pacer lateness and work per tick, CPU and event-loop use.
 *
 *   node dist/bench/media/run-media-bench.js [--sessions 1000] [--seconds 10] [--port-min 30000] [--out file.json]
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MediaEngine, Prompt, type MediaSession, type PlayItem } from '../../src/media/index.js';
import { configureLogging } from '../../src/observability/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

async function main(): Promise<void> {
  configureLogging('warn');
  const sessions = Math.floor(arg('sessions', 1000) / 2) * 2;
  const seconds = arg('seconds', 10);
  const portMin = arg('port-min', 30000);
  const engine = new MediaEngine({ bindHost: '127.0.0.1', portMin, portMax: portMin + sessions * 2 + 200, latching: true });
  const pcm = new Int16Array(8000 * 3);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  const prompt = Prompt.fromPcm(pcm, 8000, 'bench');
  const all: MediaSession[] = [];
  for (let i = 0; i < sessions; i++) all.push(await engine.createSession());
  const loop = (s: MediaSession): void => {
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
  const before = engine.stats();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const dt = (performance.now() - t0) / 1000;
  const after = engine.stats();
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  await engine.close();
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    sessions,
    seconds: Number(dt.toFixed(2)),
    sentPerSecond: Math.round((after.packetsSent - before.packetsSent) / dt),
    receivedPerSecond: Math.round((after.packetsReceived - before.packetsReceived) / dt),
    expectedPerSecond: sessions * 50,
    cpuPercentOfOneCore: Number((((cpu.user + cpu.system) / 1e6 / dt) * 100).toFixed(1)),
    eventLoopUtilization: Number(elu.utilization.toFixed(3)),
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
