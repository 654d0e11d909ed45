/**
 * Parsers for what run_load.sh leaves in a level folder, with the same windows and columns as analyze.py so the
 * figures compare with the Asterisk anchor: SIPp's -trace_stat CSV, pidstat, the 1 s RSS/UDP monitor, udp.txt
 * and mpstat.
 */

export interface SippSummary {
  created: number;
  successful: number;
  failed: number;
  /** Non-zero Failed*(C) counters, e.g. { UnexpectedMessage: 3 }. */
  failureReasons: Record<string, number>;
  retransmissions: number;
  maxConcurrent: number;
  meanCallLength: string;
}

/** The last row of SIPp's `<scenario>_<pid>_.csv` (-trace_stat) holds the cumulative counters. */
export function parseSippStat(text: string): SippSummary {
  const rows = text.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(';'));
  if (rows.length < 2) throw new Error('SIPp stat file has no data rows');
  const header = rows[0];
  const last = rows[rows.length - 1];
  const get = (name: string): string => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`SIPp stat file has no ${name} column`);
    return last[i] ?? '';
  };
  const current = header.indexOf('CurrentCall');
  let maxConcurrent = 0;
  for (const r of rows.slice(1)) if (r.length === header.length) maxConcurrent = Math.max(maxConcurrent, Number(r[current]));
  const failureReasons: Record<string, number> = {};
  header.forEach((name, i) => {
    if (!name.startsWith('Failed') || !name.endsWith('(C)') || name === 'FailedCall(C)') return;
    const v = Number(last[i]);
    if (Number.isInteger(v) && v > 0) failureReasons[name.slice(6, -3)] = v;
  });
  return {
    created: Number(get('TotalCallCreated')),
    successful: Number(get('SuccessfulCall(C)')),
    failed: Number(get('FailedCall(C)')),
    failureReasons,
    retransmissions: Number(get('Retransmissions(C)')),
    maxConcurrent,
    meanCallLength: get('CallLength(C)'),
  };
}

/** %CPU of each `pidstat -h -u -p PID 1` sample (100 = one core). */
export function parsePidstatCpu(text: string): number[] {
  return parsePidstatColumn(text, 7);
}

/** %wait of each sample: runnable but not running, i.e. waiting for a CPU other work holds. */
export function parsePidstatWait(text: string): number[] {
  return parsePidstatColumn(text, 6);
}

// pidstat -h: Time UID PID %usr %system %guest %wait %CPU CPU Command
function parsePidstatColumn(text: string, column: number): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 9 && /^\d/.test(f[0]) && f[0].includes(':')) {
      const v = Number(f[column]);
      if (Number.isFinite(v)) out.push(v);
    }
  }
  return out;
}

/** analyze.py's steady window: server samples 10..S, SIPp's (started 1 s later) 9..S−1. */
export function steadyServerSamples<T>(samples: readonly T[], seconds: number): T[] {
  return samples.slice(10, seconds + 1);
}

export function steadySippSamples<T>(samples: readonly T[], seconds: number): T[] {
  return samples.slice(9, seconds);
}

export interface MemUdpSample {
  epochSec: number;
  rssKb: number;
  threads: number;
  inDatagrams: number;
  noPorts: number;
  inErrors: number;
  rcvbufErrors: number;
}

/** server_mem_udp.txt: `epoch rss nlwp InDatagrams NoPorts InErrors RcvbufErrors` once a second. */
export function parseMemUdp(text: string): MemUdpSample[] {
  const out: MemUdpSample[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/).map(Number);
    if (f.length !== 7 || f.some((x) => !Number.isFinite(x))) continue;
    out.push({ epochSec: f[0], rssKb: f[1], threads: f[2], inDatagrams: f[3], noPorts: f[4], inErrors: f[5], rcvbufErrors: f[6] });
  }
  return out;
}

export interface UdpCounters {
  inDatagrams: number;
  noPorts: number;
  inErrors: number;
  rcvbufErrors: number;
}

/** udp.txt: `start <epoch> InDatagrams NoPorts InErrors RcvbufErrors` and the same for `end`. */
export function parseUdpTxt(text: string): { start: UdpCounters; end: UdpCounters } | undefined {
  const rows = new Map<string, UdpCounters>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 6) continue;
    const [inDatagrams, noPorts, inErrors, rcvbufErrors] = f.slice(2).map(Number);
    rows.set(f[0], { inDatagrams, noPorts, inErrors, rcvbufErrors });
  }
  const start = rows.get('start');
  const end = rows.get('end');
  return start && end ? { start, end } : undefined;
}

/** Per-CPU busy % (100 − %idle) over the steady window, as analyze.py `mpstat_busy`. */
export function parseMpstatBusy(text: string, seconds: number): Record<string, number> {
  const per = new Map<string, number[]>();
  let header: string[] | undefined;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2 || f[0] === 'Average:') continue;
    if (f.includes('%idle')) {
      header = f;
      continue;
    }
    if (header && f.length === header.length && /^\d+$/.test(f[1])) {
      let xs = per.get(f[1]);
      if (!xs) per.set(f[1], (xs = []));
      xs.push(100 - Number(f[f.length - 1]));
    }
  }
  const out: Record<string, number> = {};
  for (const [cpu, xs] of per) {
    const w = xs.slice(10, seconds + 1);
    out[`cpu${cpu}`] = w.length && xs.length > 11 ? w.reduce((a, b) => a + b, 0) / w.length : Number.NaN;
  }
  return out;
}
