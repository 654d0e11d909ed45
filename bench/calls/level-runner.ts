/**
 * One load level: run_load.sh (the Asterisk anchor's exact SIPp command line and samplers) plus what the anchor did
 * not measure — an RTP capture of a few calls (DTMF → prompt, send jitter), the server's /healthz (active calls,
 * pacer), and receive-buffer drops per socket — then the figures of the level.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readPcapUdp } from '../../test/support/pcap/index.js';
import { analyzeRtp, inviteTo200Ms } from './capture-analysis.js';
import { SocketDropSampler, loadAverage, rssKb, type ForeignCpuSampler } from './host-tools.js';
import {
  parseMemUdp, parseMpstatBusy, parsePidstatCpu, parsePidstatWait, parseSippStat, parseUdpTxt, steadyServerSamples, steadySippSamples,
  type SippSummary,
} from './level-files.js';
import { rtpCaptureFilter, type LevelPlan } from './level-plan.js';
import { sleep, type Health, type SwitchboardProcess } from './switchboard-process.js';
import { distribution, mean, round, type Distribution } from './summary-stats.js';

export interface LevelContext {
  runLoad: string;
  server: SwitchboardProcess;
  workDir: string;
  sippCpus: string;
  target: string;
  serverPortMin: number;
  serverPortMax: number;
  prompt2Frame0: Buffer;
  /** RSS of the server before the first level. */
  idleRssKb: number;
  foreign: ForeignCpuSampler;
  /** Called with every child process group started, so an interrupted bench can stop them. */
  track: (child: ChildProcess, group: boolean) => () => void;
}

export interface LevelResult {
  concurrent: number;
  rateCps: number;
  limit: number;
  seconds: number;
  loadAverageAtStart: [number, number, number];
  /** Seconds waited before the level for the other processes on the host to go quiet. */
  quietWaitS: number;
  /** CPU of processes outside the bench (other engineers' work), % of one core, steady window mean and max. */
  foreignCpuPercent: { mean: number | null; max: number | null };
  /** Attempt number at this concurrency; a contended attempt that was repeated is marked superseded. */
  attempt: number;
  superseded: boolean;
  sipp: SippSummary;
  /** Mean of the server's active calls (/healthz, 1 s samples) over the steady window. */
  steadyConcurrency: number | null;
  inviteTo200Ms: Distribution;
  serverCpuPercent: { avg: number | null; max: number | null };
  cpuPercentPerCall: number | null;
  sippCpuPercent: number | null;
  /** pidstat %wait over the steady window: the share of time the process was runnable but had no CPU. */
  waitPercent: { server: number | null; sipp: number | null };
  coreBusyPercent: Record<string, number | null>;
  rssKb: { beforeLevel: number; steadyMean: number | null; max: number | null };
  rssKbPerCall: number | null;
  /** The same against the RSS just before this level (heap grown by earlier levels excluded). */
  rssKbPerCallOverLevelStart: number | null;
  serverThreads: number | null;
  serverRtpOutPps: number | null;
  udp: { rcvbufErrors: number | null; atSippMediaSocket: number; elsewhere: number | null };
  pacer: {
    ticks: number;
    lateTicks: number;
    skippedTicks: number;
    meanLatenessMs: number | null;
    meanWorkMs: number | null;
    /** /healthz keeps one window since server start: these two cover every level so far, not this one alone. */
    p99LatenessMsSinceStart: number;
    maxLatenessMsSinceStart: number | null;
  };
  capture: { calls: string; sippPorts: string; serverPackets: number; streams: number; tcpdumpDropped: number | null };
  dtmfEndToPromptMs: Distribution & { digits: number; unanswered: number };
  dtmfStartToPromptMs: Distribution;
  sendJitterMs: Distribution;
  drained: boolean;
}

function startTcpdump(ctx: LevelContext, file: string, filter: string): { child: ChildProcess; stderr: () => string; ready: Promise<void> } {
  const child = spawn('taskset', ['-c', ctx.sippCpus, 'tcpdump', '-i', 'lo', '-nn', '-s', '256', '-B', '8192', '-U', '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      if (err.includes('listening on')) resolve();
    });
    child.once('exit', () => reject(new Error(`tcpdump exited: ${err}`)));
  });
  return { child, stderr: () => err, ready };
}

function waitExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Per-level lateness and work means from the cumulative window: (mean · ticks) differences. */
function pacerDelta(before: Health, after: Health): LevelResult['pacer'] {
  const a = before.media.pacer;
  const b = after.media.pacer;
  const ticks = b.windowTicks - a.windowTicks;
  const sum = (p: typeof a, m: number): number => m * p.windowTicks;
  return {
    ticks: b.ticks - a.ticks,
    lateTicks: b.lateTicks - a.lateTicks,
    skippedTicks: b.skippedTicks - a.skippedTicks,
    meanLatenessMs: ticks > 0 ? round((sum(b, b.meanLatenessMs) - sum(a, a.meanLatenessMs)) / ticks, 3) : null,
    meanWorkMs: ticks > 0 ? round((sum(b, b.meanWorkMs) - sum(a, a.meanWorkMs)) / ticks, 3) : null,
    p99LatenessMsSinceStart: b.p99LatenessMs,
    maxLatenessMsSinceStart: round(b.maxLatenessMs),
  };
}

export async function runLevel(plan: LevelPlan, ctx: LevelContext): Promise<LevelResult> {
  const dir = join(ctx.workDir, `level-${plan.concurrent}`);
  mkdirSync(dir, { recursive: true });
  const loadAverageAtStart = loadAverage();
  const healthBefore = await ctx.server.health();
  const rssBefore = rssKb(ctx.server.pid);

  const rtpPcap = join(dir, 'rtp.pcap');
  const dump = startTcpdump(ctx, rtpPcap, rtpCaptureFilter(plan.capture, ctx.serverPortMin, ctx.serverPortMax));
  const untrackDump = ctx.track(dump.child, false);
  await dump.ready;

  const drops = new SocketDropSampler('127.0.0.2');
  const active: Array<{ t: number; active: number }> = [];
  const foreign: Array<{ t: number; percent: number }> = [];
  const t0 = Date.now();
  ctx.foreign.sample();
  const sampler = setInterval(() => {
    drops.sample();
    foreign.push({ t: (Date.now() - t0) / 1000, percent: ctx.foreign.sample() });
    ctx.server.health().then((h) => active.push({ t: (Date.now() - t0) / 1000, active: h.calls.active }), () => undefined);
  }, 1000);

  const out = openSync(join(dir, 'run_load.out'), 'a');
  const load = spawn('bash', [ctx.runLoad, String(plan.limit), String(plan.rateCps), String(plan.seconds), String(ctx.server.pid), dir, ctx.sippCpus], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, TARGET: ctx.target, LC_ALL: 'C' },
  });
  const untrackLoad = ctx.track(load, true);
  const overrun = setTimeout(() => {
    if (load.pid) process.kill(-load.pid, 'SIGTERM');
  }, (plan.seconds + 120) * 1000);
  await waitExit(load);
  closeSync(out);
  clearTimeout(overrun);
  untrackLoad();
  clearInterval(sampler);
  drops.sample();

  await sleep(1000);
  dump.child.kill('SIGTERM');
  await waitExit(dump.child);
  untrackDump();
  const dropped = /(\d+) packets? dropped by kernel/.exec(dump.stderr());

  const drained = await ctx.server.drain(60_000);
  const healthAfter = await ctx.server.health();
  return summarize(plan, ctx, dir, {
    loadAverageAtStart, healthBefore, healthAfter, rssBefore, active, foreign, drained,
    atSippMediaSocket: drops.total, tcpdumpDropped: dropped ? Number(dropped[1]) : null,
  });
}

interface Observed {
  loadAverageAtStart: [number, number, number];
  healthBefore: Health;
  healthAfter: Health;
  rssBefore: number;
  active: Array<{ t: number; active: number }>;
  foreign: Array<{ t: number; percent: number }>;
  drained: boolean;
  atSippMediaSocket: number;
  tcpdumpDropped: number | null;
}

function readIn(dir: string, name: string): string {
  const file = join(dir, name);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function summarize(plan: LevelPlan, ctx: LevelContext, dir: string, o: Observed): LevelResult {
  const S = plan.seconds;
  const statFile = readdirSync(dir).find((f) => f.endsWith('_.csv'));
  if (!statFile) throw new Error(`no SIPp stat file in ${dir}; see ${join(dir, 'sipp.out')}`);
  const sipp = parseSippStat(readIn(dir, statFile));

  const sipPcap = join(dir, 'sip.pcap');
  const invite = existsSync(sipPcap) ? inviteTo200Ms(readPcapUdp(readFileSync(sipPcap))) : [];
  const rtp = analyzeRtp(readPcapUdp(readFileSync(join(dir, 'rtp.pcap'))), {
    prompt2Frame0: ctx.prompt2Frame0, serverPortMin: ctx.serverPortMin, serverPortMax: ctx.serverPortMax,
  });

  const cpu = steadyServerSamples(parsePidstatCpu(readIn(dir, 'server_cpu.txt')), S);
  const sippCpu = steadySippSamples(parsePidstatCpu(readIn(dir, 'sipp_cpu.txt')), S);
  const mem = parseMemUdp(readIn(dir, 'server_mem_udp.txt'));
  const steadyMem = steadyServerSamples(mem, S);
  const noPortsRate = mem.slice(1).map((m, i) => m.noPorts - mem[i].noPorts);
  const udp = parseUdpTxt(readIn(dir, 'udp.txt'));
  const rcvbufErrors = udp ? udp.end.rcvbufErrors - udp.start.rcvbufErrors : null;

  const steadyActive = o.active.filter((s) => s.t >= 10 && s.t <= S).map((s) => s.active);
  const steadyForeign = o.foreign.filter((s) => s.t >= 10 && s.t <= S).map((s) => s.percent);
  const concurrency = mean(steadyActive);
  const cpuAvg = mean(cpu);
  const rssSteady = mean(steadyMem.map((m) => m.rssKb));
  const busy: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(parseMpstatBusy(readIn(dir, 'mpstat.txt'), S))) busy[k] = round(v, 0);

  return {
    concurrent: plan.concurrent,
    rateCps: plan.rateCps,
    limit: plan.limit,
    seconds: S,
    loadAverageAtStart: o.loadAverageAtStart,
    quietWaitS: 0,
    foreignCpuPercent: { mean: round(mean(steadyForeign), 1), max: round(steadyForeign.length ? Math.max(...steadyForeign) : Number.NaN, 1) },
    attempt: 1,
    superseded: false,
    sipp,
    steadyConcurrency: round(concurrency, 0),
    inviteTo200Ms: distribution(invite),
    serverCpuPercent: { avg: round(cpuAvg, 1), max: round(cpu.length ? Math.max(...cpu) : Number.NaN, 1) },
    cpuPercentPerCall: round(cpuAvg / concurrency, 4),
    sippCpuPercent: round(mean(sippCpu), 1),
    waitPercent: {
      server: round(mean(steadyServerSamples(parsePidstatWait(readIn(dir, 'server_cpu.txt')), S)), 1),
      sipp: round(mean(steadySippSamples(parsePidstatWait(readIn(dir, 'sipp_cpu.txt')), S)), 1),
    },
    coreBusyPercent: busy,
    rssKb: {
      beforeLevel: o.rssBefore,
      steadyMean: round(rssSteady, 0),
      max: mem.length ? Math.max(...mem.map((m) => m.rssKb)) : null,
    },
    rssKbPerCall: round((rssSteady - ctx.idleRssKb) / concurrency, 1),
    rssKbPerCallOverLevelStart: round((rssSteady - o.rssBefore) / concurrency, 1),
    serverThreads: mem.length ? Math.max(...mem.map((m) => m.threads)) : null,
    serverRtpOutPps: round(mean(noPortsRate.slice(10, S + 1)), 0),
    udp: {
      rcvbufErrors,
      atSippMediaSocket: o.atSippMediaSocket,
      elsewhere: rcvbufErrors === null ? null : Math.max(0, rcvbufErrors - o.atSippMediaSocket),
    },
    pacer: pacerDelta(o.healthBefore, o.healthAfter),
    capture: {
      calls: `${plan.capture.firstCall}-${plan.capture.firstCall + plan.capture.count - 1}`,
      sippPorts: `${plan.capture.portMin}-${plan.capture.portMax}`,
      serverPackets: rtp.serverPackets,
      streams: rtp.serverStreams,
      tcpdumpDropped: o.tcpdumpDropped,
    },
    dtmfEndToPromptMs: { ...distribution(rtp.dtmfEndToPromptMs), digits: rtp.digits, unanswered: rtp.unanswered },
    dtmfStartToPromptMs: distribution(rtp.dtmfStartToPromptMs),
    sendJitterMs: distribution(rtp.jitterMs),
    drained: o.drained,
  };
}
