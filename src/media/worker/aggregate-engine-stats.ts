import type { MediaEngineStats, PacerStats } from '../engine/index.js';

type Totals = Pick<MediaEngineStats, 'packetsSent' | 'packetsReceived' | 'bytesSent' | 'malformedPackets' | 'ignoredFromUnexpectedSource'>;

/**
 * One MediaEngineStats for several engines (one per worker): counts and totals add up; the pacer's means are
 * weighted by each pacer's window ticks, and its p99 and maxima are the worst of the pacers (a p99 over the union
 * would need the histograms; the worst worker is what matters for lateness anyway). `retired` holds the totals of
 * engines that are gone, so the packet counters never go backwards when a worker dies.
 */
export function aggregateEngineStats(engines: readonly MediaEngineStats[], retired: Totals, portCapacity: number): MediaEngineStats {
  const out: MediaEngineStats = {
    sessions: 0, portsInUse: 0, portCapacity, ...retired, pacer: aggregatePacerStats(engines.map((e) => e.pacer)),
  };
  for (const e of engines) {
    out.sessions += e.sessions;
    out.portsInUse += e.portsInUse;
    out.packetsSent += e.packetsSent;
    out.packetsReceived += e.packetsReceived;
    out.bytesSent += e.bytesSent;
    out.malformedPackets += e.malformedPackets;
    out.ignoredFromUnexpectedSource += e.ignoredFromUnexpectedSource;
  }
  return out;
}

export function aggregatePacerStats(pacers: readonly PacerStats[]): PacerStats {
  const out: PacerStats = {
    tickMs: pacers[0]?.tickMs ?? 20, members: 0, ticks: 0, lateTicks: 0, skippedTicks: 0, windowTicks: 0,
    meanLatenessMs: 0, p99LatenessMs: 0, maxLatenessMs: 0, meanWorkMs: 0, maxWorkMs: 0, memberErrors: 0,
  };
  let latenessSum = 0;
  let workSum = 0;
  for (const p of pacers) {
    out.members += p.members;
    out.ticks += p.ticks;
    out.lateTicks += p.lateTicks;
    out.skippedTicks += p.skippedTicks;
    out.windowTicks += p.windowTicks;
    out.memberErrors += p.memberErrors;
    latenessSum += p.meanLatenessMs * p.windowTicks;
    workSum += p.meanWorkMs * p.windowTicks;
    out.p99LatenessMs = Math.max(out.p99LatenessMs, p.p99LatenessMs);
    out.maxLatenessMs = Math.max(out.maxLatenessMs, p.maxLatenessMs);
    out.maxWorkMs = Math.max(out.maxWorkMs, p.maxWorkMs);
  }
  if (out.windowTicks > 0) {
    out.meanLatenessMs = latenessSum / out.windowTicks;
    out.meanWorkMs = workSum / out.windowTicks;
  }
  return out;
}
