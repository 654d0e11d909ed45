/**
 * The host side of the bench: required tools, the loopback-only network namespace it runs in, and /proc readers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { cpus, networkInterfaces, release, totalmem } from 'node:os';

const TOOLS: ReadonlyArray<{ command: string; aptPackage: string }> = [
  { command: 'sipp', aptPackage: 'sip-tester' },
  { command: 'tcpdump', aptPackage: 'tcpdump' },
  { command: 'pidstat', aptPackage: 'sysstat' },
  { command: 'mpstat', aptPackage: 'sysstat' },
  { command: 'taskset', aptPackage: 'util-linux' },
  { command: 'unshare', aptPackage: 'util-linux' },
  { command: 'ip', aptPackage: 'iproute2' },
];

/** The digit the scenario plays (ivr_dtmf_uac.xml names it by absolute path; it ships with Debian's sip-tester). */
export const SIPP_DTMF_PCAP = '/usr/share/sip-tester/dtmf_2833_1.pcap';

/** Everything that stops the bench before it starts, each with its fix. */
export function preflightProblems(runLoad: string): string[] {
  const problems: string[] = [];
  const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t.command}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((t) => t.aptPackage))].join(' ');
    problems.push(`missing ${missing.map((t) => t.command).join(', ')}: apt-get install -y ${packages}`);
  } else if (!existsSync(SIPP_DTMF_PCAP)) {
    problems.push(`missing ${SIPP_DTMF_PCAP}: apt-get install -y sip-tester`);
  }
  if (!existsSync(runLoad)) {
    problems.push(`missing ${runLoad}: the shared IVR load scenario (../shared/bench beside the repository) is needed`);
  }
  if (process.getuid?.() !== 0) {
    problems.push('needs root: unshare --net, tcpdump and SIPp\'s raw sockets for play_pcap_audio');
  }
  return problems;
}

const NETNS_MARK = 'SWB_BENCH_CALLS_NETNS';

export function inLoopbackNamespace(): boolean {
  return process.env[NETNS_MARK] === '1';
}

/** True when the only interface is lo: nothing else on the host can reach or disturb the bench's ports. */
export function onlyLoopback(): boolean {
  return Object.keys(networkInterfaces()).every((name) => name === 'lo');
}

/**
 * Runs this same script again inside a new network namespace with only `lo` up; resolves with its exit code.
 * SIGINT/SIGTERM are passed on so the inner run can stop what it started.
 */
export function reexecInLoopbackNamespace(): Promise<number> {
  const args = [
    '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh',
    process.execPath, ...process.execArgv, process.argv[1], ...process.argv.slice(2),
  ];
  const child = spawn('unshare', args, { stdio: 'inherit', env: { ...process.env, [NETNS_MARK]: '1' } });
  const forward = (signal: NodeJS.Signals): void => {
    if (child.pid) process.kill(child.pid, signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.once('error', (e) => {
      console.error(`unshare failed: ${e.message}`);
      resolve(1);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

/**
 * RSS once it has stopped moving: the server frees its start-up work (prompt synthesis) some seconds after it
 * answers /healthz (seen: 205 MB at 4 s, 96 MB from 10 s on), so an early reading overstates the idle size.
 */
export async function settledRssKb(pid: number, options: { minMs?: number; maxMs?: number; toleranceKb?: number } = {}): Promise<number> {
  const started = Date.now();
  const minMs = options.minMs ?? 10_000;
  const maxMs = options.maxMs ?? 60_000;
  const tolerance = options.toleranceKb ?? 1024;
  const recent: number[] = [];
  while (true) {
    recent.push(rssKb(pid));
    if (recent.length > 5) recent.shift();
    const elapsed = Date.now() - started;
    const stable = recent.length === 5 && Math.max(...recent) - Math.min(...recent) <= tolerance;
    if ((stable && elapsed >= minMs) || elapsed >= maxMs) return recent[recent.length - 1];
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/).map(Number);
  return [a, b, c];
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMb: number;
  node: string;
  kernel: string;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    kernel: release(),
  };
}

/**
 * Receive-buffer drops of the UDP sockets bound to one local IPv4 address, from /proc/net/udp (drops is the last
 * column). SIPp binds its -mi:-mp media socket (127.0.0.2:20000) and never reads it, so the server's RTP to call 1
 * (and every 2500th call) overflows it: those RcvbufErrors belong to SIPp, not to the server. Sample once a
 * second while the level runs; the socket lives as long as SIPp, so the largest reading per inode is its total.
 */
export class SocketDropSampler {
  private readonly maxByInode = new Map<string, number>();
  private readonly addressHex: string;

  constructor(ipv4: string) {
    // /proc/net/udp prints the address as the in-memory (network order) u32 in host-order hex: 127.0.0.2 → 0200007F.
    this.addressHex = ipv4.split('.').reverse().map((o) => Number(o).toString(16).padStart(2, '0')).join('').toUpperCase();
  }

  sample(table = readFileSync('/proc/net/udp', 'utf8')): void {
    for (const line of table.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 13 || !f[1].startsWith(`${this.addressHex}:`)) continue;
      const inode = f[9];
      const drops = Number(f[f.length - 1]);
      if (drops > (this.maxByInode.get(inode) ?? 0)) this.maxByInode.set(inode, drops);
    }
  }

  get total(): number {
    let t = 0;
    for (const v of this.maxByInode.values()) t += v;
    return t;
  }
}

/**
 * CPU used by processes outside the bench's network namespace: the other engineers' builds and tests sharing
 * the two cores. Sums utime+stime deltas of every such user process between samples (kernel threads are left out:
 * ksoftirqd also carries the bench's own loopback traffic). A process born and gone between two samples is missed.
 */
export class ForeignCpuSampler {
  private readonly ownNetns = readlinkSync('/proc/self/ns/net');
  private readonly ticksPerSecond: number;
  private previous = new Map<number, number>();
  private lastMs = Date.now();

  constructor() {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const hz = Number(out.stdout?.trim());
    this.ticksPerSecond = Number.isFinite(hz) && hz > 0 ? hz : 100;
    this.sample();
  }

  /** Foreign CPU since the previous call, in % of one core. */
  sample(): number {
    const now = Date.now();
    const current = new Map<number, number>();
    let ticks = 0;
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      const used = this.foreignTicks(pid);
      if (used === undefined) continue;
      current.set(pid, used);
      ticks += used - (this.previous.get(pid) ?? 0);
    }
    const seconds = Math.max(0.001, (now - this.lastMs) / 1000);
    this.previous = current;
    this.lastMs = now;
    return (ticks / this.ticksPerSecond / seconds) * 100;
  }

  private foreignTicks(pid: number): number | undefined {
    try {
      if (readlinkSync(`/proc/${pid}/ns/net`) === this.ownNetns) return undefined;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // proc(5): fields after "(comm)" start at 3 (state); ppid is 4, utime 14, stime 15.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pid === 2 || f[1] === '2') return undefined;
      return Number(f[11]) + Number(f[12]);
    } catch {
      return undefined;
    }
  }
}

/**
 * Waits until the other processes on the host use less than `maxPercent` of a core for five 2 s samples in a
 * row, or until `timeoutMs`; resolves with the seconds waited.
 */
export async function waitForQuietHost(sampler: ForeignCpuSampler, maxPercent: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  sampler.sample();
  let quiet = 0;
  while (quiet < 5 && Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 2000));
    quiet = sampler.sample() < maxPercent ? quiet + 1 : 0;
  }
  return Math.round((Date.now() - started) / 1000);
}
