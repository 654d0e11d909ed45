import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderTone } from '../../src/media/index.js';
import type { CallRecord, CallRecordSummary } from '../../src/store/index.js';
import { writeWav } from '../support/pcap/index.js';
import {
  BaresipCtrl, describeSipp, sippTraceArgs, spawnBounded, startBaresip, writeBaresipProfile,
  type BaresipProfile, type ServerHandle, type SippResult,
} from '../support/peers/index.js';
import type { PortBlock } from './ports.js';
import { logTail } from './server-fixture.js';
import { scenarioFile } from './sipp-scenario.js';

/**
 * Helpers of the example-flow walks (example-flows.test.ts): a baresip caller driven over ctrl_tcp, the server's
 * live-call view (GET /calls: the node each call is at) to know when a node waits for keys, its records and
 * messages, and SIPp transfer targets on 127.0.0.1:5070 where the shipped flows send transfers.
 */

/** Where the shipped example flows transfer to (sip:<dept>@127.0.0.1:5070). */
export const TARGET_SIP_PORT = 5070;

export interface LiveCall {
  id: string;
  callerId: string;
  calledUser: string;
  activity?: { app: string; step: string; type?: string; sinceMs: number };
}

export async function getJson<T>(httpPort: number, path: string): Promise<T> {
  const r = await fetch(`http://127.0.0.1:${httpPort}${path}`, { signal: AbortSignal.timeout(5000) });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Polls `probe` every 100 ms until it returns a value; the error names `what` and the last thing seen. */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: () => string): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (true) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timeout after ${timeoutMs} ms waiting for ${what()}`);
    await sleep(100);
  }
}

/** The caller's live call once its flow is at `step` (a node id), as GET /calls shows it. */
export async function waitForStep(httpPort: number, callerId: string, step: string, timeoutMs = 20_000): Promise<LiveCall> {
  let seen: LiveCall | undefined;
  return waitUntil(async () => {
    const { calls } = await getJson<{ calls: LiveCall[] }>(httpPort, '/calls');
    seen = calls.find((c) => c.callerId === callerId);
    return seen?.activity?.step === step ? seen : undefined;
  }, timeoutMs, () => `the call from ${callerId} to reach node "${step}"; last seen ${JSON.stringify(seen ?? 'no such call')}`);
}

/** The full record of a finished call; it is written once the call is over, so it may take a moment to appear. */
export async function recordOf(httpPort: number, flow: string, callId: string): Promise<CallRecord> {
  const summary = await waitUntil(async () => {
    const { records } = await getJson<{ records: CallRecordSummary[] }>(httpPort, `/records?flow=${flow}&limit=10`);
    return records.find((r) => r.callId === callId);
  }, 10_000, () => `the call record of ${callId} (flow ${flow})`);
  return getJson<CallRecord>(httpPort, `/records/${summary.id}`);
}

export function pathOf(record: CallRecord): string[] {
  return record.path.map((s) => s.node);
}

/** One key at a time with a gap, as a person types: each is its own RFC 4733 event (baresip `sndcode`). */
export async function pressKeys(ctrl: BaresipCtrl, keys: string, gapMs = 300): Promise<void> {
  for (const [i, key] of [...keys].entries()) {
    if (i > 0) await sleep(gapMs);
    await ctrl.sndcode(key);
  }
}

/** The date in Europe/London (YYYY-MM-DD), the reception flow's time zone. */
export function londonDate(at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * A copy of the shipped flows in `dest` whose only change is `date` added to reception.yaml's holidays, so that
 * flow takes its closed path whatever the wall clock says.
 */
export function flowsWithHoliday(src: string, dest: string, date: string): string {
  cpSync(src, dest, { recursive: true });
  const file = join(dest, 'reception.yaml');
  const text = readFileSync(file, 'utf8');
  const marker = 'holidays: [';
  if (text.split(marker).length !== 2) throw new Error(`reception.yaml: expected one "${marker}" to add ${date} to`);
  writeFileSync(file, text.replace(marker, `${marker}"${date}", `));
  return dest;
}

/** A steady tone as an 8 kHz WAV microphone for baresip (aufile ends the call at the end of the file). */
export function writeToneWav(path: string, frequencyHz: number, seconds: number): string {
  writeWav(path, renderTone({ frequencies: [frequencyHz], levelDbm0: -12, durationMs: seconds * 1000 }));
  return path;
}

export function rmsOf(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

/**
 * The share of the signal's power at `frequencyHz` (Goertzel over 20 ms blocks): about 1 for a steady tone of
 * that frequency, near 0 for silence, noise or speech.
 */
export function toneShare(samples: Int16Array, sampleRate: number, frequencyHz: number): number {
  const n = Math.round(sampleRate / 50);
  const coeff = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  let tone = 0;
  let total = 0;
  for (let at = 0; at + n <= samples.length; at += n) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = samples[at + i];
      total += x * x;
      const s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    tone += (2 * (s1 * s1 + s2 * s2 - coeff * s1 * s2)) / n;
  }
  return total === 0 ? 0 : tone / total;
}

/** A SIPp UAS run on 127.0.0.1:5070 that can be stopped (by PID) when the walk fails before it got its call. */
export interface TargetRun {
  result: Promise<SippResult>;
  stop(): Promise<void>;
}

export function startTarget(scenario: string, cwd: string, mediaPort: number): TargetRun {
  const prefix = scenario.replace(/\.xml$/, '');
  const args = [
    '-sf', scenarioFile(scenario), '-i', '127.0.0.1', '-p', String(TARGET_SIP_PORT), '-mi', '127.0.0.1', '-mp', String(mediaPort),
    '-m', '1', '-nostdin', '-timeout', '60s', '-timeout_error', '-cp', String(TARGET_SIP_PORT + 1000), ...sippTraceArgs(prefix),
  ];
  const proc = spawnBounded('sipp', args, { cwd, timeoutMs: 75_000 });
  const result = proc.exited.then((exit): SippResult => {
    const files: Record<string, string> = {};
    for (const name of readdirSync(cwd)) {
      if (name.startsWith(prefix) && name.endsWith('.log') && statSync(join(cwd, name)).isFile()) files[name] = readFileSync(join(cwd, name), 'utf8');
    }
    return { ...exit, args, stdout: proc.stdout(), stderr: proc.stderr(), files };
  });
  return {
    result,
    stop: async () => {
      await proc.stop('SIGTERM', 2000);
    },
  };
}

/** Runs `run` with a SIPp target waiting on :5070, stopped afterwards whatever happened. */
export async function withTarget(scenario: string, dir: string, mediaPort: number, run: (target: TargetRun) => Promise<void>): Promise<void> {
  const target = startTarget(scenario, dir, mediaPort);
  try {
    await run(target);
  } finally {
    await target.stop();
  }
}

/** Asserts SIPp's exit status 0 (every check_it held, the scenario ran to its end), quoting its traces if not. */
export async function targetPassed(target: TargetRun): Promise<void> {
  const r = await target.result;
  if (r.code !== 0) throw new Error(`transfer target failed:\n${describeSipp(r)}`);
}

export interface WalkCaller {
  ctrl: BaresipCtrl;
  profile: BaresipProfile;
  /** The live call, once `dial` saw the flow start. */
  call(): LiveCall;
  /** Dials `number` on the server, waits for the answer and for the flow to reach node `atStep`. */
  dial(number: string, atStep: string): Promise<LiveCall>;
}

export interface WalkOptions {
  server: ServerHandle;
  ports: PortBlock;
  dir: string;
  /** SIP user of the caller, i.e. the caller ID the flow sees. */
  user: string;
  /** The caller's microphone (8 kHz mono WAV, longer than the walk). */
  wav: string;
}

/**
 * Runs one walk with its own baresip caller; on failure the error carries the ends of baresip's and the server's
 * logs. baresip is stopped (by PID) whatever happens.
 */
export async function walk(options: WalkOptions, body: (caller: WalkCaller) => Promise<void>): Promise<void> {
  const { server, ports } = options;
  const profile = writeBaresipProfile(join(options.dir, 'caller'), {
    user: options.user, sip: `127.0.0.1:${ports.baresipSip}`, ctrl: `127.0.0.1:${ports.baresipCtrl}`,
    wav: options.wav, rtpPorts: ports.baresipRtpPorts,
  });
  const baresip = startBaresip(profile.dir, { timeoutSec: 120 });
  let ctrl: BaresipCtrl | undefined;
  try {
    await baresip.ready();
    const c = await BaresipCtrl.connect(profile.ctrlPort);
    ctrl = c;
    let live: LiveCall | undefined;
    await body({
      ctrl: c,
      profile,
      call: () => {
        if (!live) throw new Error('no call dialled yet');
        return live;
      },
      dial: async (number, atStep) => {
        await c.dial(`sip:${number}@127.0.0.1:${server.sipPort}`);
        await c.waitEvent('CALL_ESTABLISHED', 10_000);
        live = await waitForStep(server.httpPort, options.user, atStep);
        return live;
      },
    });
    await c.quit();
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${baresip.process.tail()}\n${logTail(server, 60)}`, { cause: e });
  } finally {
    ctrl?.close();
    await baresip.stop();
  }
}
