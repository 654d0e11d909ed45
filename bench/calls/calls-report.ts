/**
 * The bench's outputs: the committed summary (bench/results/calls.json) with the headline figures and the targets
 * they are held to, and the per-level table printed next to the Asterisk anchor.
 */
import type { LevelResult } from './level-runner.js';
import type { MachineInfo } from './host-tools.js';

/** Targets from the bench brief (bench/README: at least twice Asterisk's ~300 calls per core, tail kept flat). */
export const TARGETS = {
  maxConcurrentCalls: 1000,
  inviteTo200P99Ms: 10,
  dtmfToPromptP99Ms: 40,
  sendJitterP99Ms: 5,
  rssKbPerCall: 100,
} as const;

/** Levels whose figures the headline quotes. */
export const INVITE_LEVEL = 620;
export const DTMF_LEVEL = 500;

export interface RunDescription {
  date: string;
  machine: MachineInfo;
  method: Record<string, string | number | number[]>;
  idleRssKb: number;
  serverNodeArgs: string[];
  stoppedBecause: string;
}

function closest(levels: LevelResult[], concurrent: number): LevelResult | undefined {
  let best: LevelResult | undefined;
  for (const l of levels) if (!best || Math.abs(l.concurrent - concurrent) < Math.abs(best.concurrent - concurrent)) best = l;
  return best && Math.abs(best.concurrent - concurrent) <= concurrent * 0.25 ? best : undefined;
}

function target(measured: number | null | undefined, limit: number, higherIsBetter = false): { target: number; measured: number | null; met: boolean | null } {
  const m = measured ?? null;
  return { target: limit, measured: m, met: m === null ? null : higherIsBetter ? m >= limit : m <= limit };
}

export function buildResult(run: RunDescription, all: LevelResult[]): Record<string, unknown> {
  const levels = all.filter((l) => !l.superseded);
  const clean = levels.filter((l) => l.sipp.failed === 0 && l.sipp.successful > 0);
  const top = clean.length ? clean.reduce((a, b) => (b.concurrent > a.concurrent ? b : a)) : undefined;
  const inv = closest(levels, INVITE_LEVEL);
  const dtmf = closest(levels, DTMF_LEVEL);
  const jitterTop = top?.sendJitterMs.p99 ?? null;
  const jitterWorst = Math.max(dtmf?.sendJitterMs.p99 ?? -1, jitterTop ?? -1);
  return {
    date: run.date,
    machine: run.machine,
    method: run.method,
    maxConcurrentCalls: top?.concurrent ?? 0,
    maxConcurrentObserved: top?.steadyConcurrency ?? null,
    stoppedBecause: run.stoppedBecause,
    inviteTo200Ms: inv ? { concurrent: inv.concurrent, rateCps: inv.rateCps, ...inv.inviteTo200Ms } : null,
    dtmfToPromptMs: dtmf ? { concurrent: dtmf.concurrent, from: 'first RFC 4733 end packet (E bit) of the digit', ...dtmf.dtmfEndToPromptMs } : null,
    sendJitterP99Ms: { at500: dtmf?.sendJitterMs.p99 ?? null, atMax: jitterTop, maxLevel: top?.concurrent ?? null },
    atMaxLevel: top ? {
      concurrent: top.concurrent,
      cpuPercentPerCall: top.cpuPercentPerCall,
      serverCpuPercent: top.serverCpuPercent.avg,
      rssKbPerCall: top.rssKbPerCall,
      sippCpuPercent: top.sippCpuPercent,
      pacer: top.pacer,
      udp: top.udp,
      waitPercent: top.waitPercent,
      foreignCpuPercent: top.foreignCpuPercent,
    } : null,
    cpuPercentPerCall: top?.cpuPercentPerCall ?? null,
    rssKbPerCall: top?.rssKbPerCall ?? null,
    sippCpuPercent: top?.sippCpuPercent ?? null,
    idleRssKb: run.idleRssKb,
    serverNodeArgs: run.serverNodeArgs,
    targets: {
      maxConcurrentCalls: target(top?.concurrent ?? 0, TARGETS.maxConcurrentCalls, true),
      inviteTo200P99MsAt100cps: target(inv?.inviteTo200Ms.p99, TARGETS.inviteTo200P99Ms),
      dtmfToPromptP99MsAt500: target(dtmf?.dtmfEndToPromptMs.p99, TARGETS.dtmfToPromptP99Ms),
      sendJitterP99Ms: target(jitterWorst >= 0 ? jitterWorst : null, TARGETS.sendJitterP99Ms),
      rssKbPerCall: target(top?.rssKbPerCall, TARGETS.rssKbPerCall),
    },
    levels: all,
  };
}

const f = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '–' : x.toFixed(digits));

export function levelTable(levels: LevelResult[]): string {
  const head = [
    'concurrent', 'rate cps', 'load avg', 'other procs CPU % mean / max', 'SIPp max cur', 'server active', 'calls', 'ok', 'failed (reasons)',
    'INVITE→200 p50 / p99 / max ms', 'DTMF end→prompt2 p50 / p99 ms', 'send jitter p99 / max ms',
    'server CPU avg / max % (wait %)', '% CPU per call', 'SIPp CPU %', 'RSS MB', 'KB per call', 'pacer late / skipped ticks',
    'rcvbuf drops (server side)', 'core busy %',
  ];
  const rows = levels.map((l) => {
    const reasons = Object.entries(l.sipp.failureReasons).map(([k, v]) => `${k} ${v}`).join(', ');
    return [
      `${l.concurrent}${l.superseded ? ' (repeated)' : l.attempt > 1 ? ' (repeat)' : ''}`, String(l.rateCps),
      l.loadAverageAtStart[0].toFixed(2), `${f(l.foreignCpuPercent.mean, 0)} / ${f(l.foreignCpuPercent.max, 0)}`, String(l.sipp.maxConcurrent), f(l.steadyConcurrency, 0),
      String(l.sipp.created), String(l.sipp.successful), `${l.sipp.failed}${reasons ? ` (${reasons})` : ''}`,
      `${f(l.inviteTo200Ms.p50, 2)} / ${f(l.inviteTo200Ms.p99, 2)} / ${f(l.inviteTo200Ms.max, 1)}`,
      `${f(l.dtmfEndToPromptMs.p50, 1)} / ${f(l.dtmfEndToPromptMs.p99, 1)} (n ${l.dtmfEndToPromptMs.n})`,
      `${f(l.sendJitterMs.p99, 2)} / ${f(l.sendJitterMs.max, 1)}`,
      `${f(l.serverCpuPercent.avg, 0)} / ${f(l.serverCpuPercent.max, 0)} (${f(l.waitPercent.server, 0)})`, f(l.cpuPercentPerCall, 3), f(l.sippCpuPercent, 0),
      f((l.rssKb.steadyMean ?? Number.NaN) / 1024, 0), f(l.rssKbPerCall, 0), `${l.pacer.lateTicks} / ${l.pacer.skippedTicks}`,
      `${l.udp.rcvbufErrors ?? '–'} (${l.udp.elsewhere ?? '–'})`,
      Object.entries(l.coreBusyPercent).map(([k, v]) => `${k} ${f(v, 0)}`).join(' '),
    ];
  });
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The anchor's table and its unpinned line, verbatim from the shared README (so the two never drift apart). */
export function anchorSection(readme: string): string {
  const start = readme.indexOf('## Asterisk anchor');
  if (start < 0) return '(no "## Asterisk anchor" section in the shared bench README)';
  const rest = readme.slice(start);
  const next = rest.indexOf('\n## ', 3);
  return (next < 0 ? rest : rest.slice(0, next)).trim();
}
