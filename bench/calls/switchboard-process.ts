/**
 * The Switchboard server the bench loads: one process for the whole ramp, started from the same dist tree as the
 * bench, with the bench app on SIP user `ivr` and its health read over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PacerStats } from '../../src/media/index.js';

export interface SwitchboardProcessOptions {
  /** <dist>/src/cli/main.js */
  mainJs: string;
  workDir: string;
  sipPort: number;
  httpPort: number;
  rtpPortMin: number;
  rtpPortMax: number;
  /**
   * rtp.symmetric: send to the latched source (127.0.0.2, where SIPp's RTP comes from) rather than the SDP address.
   * Off by default in the bench, as Asterisk ran in the anchor (strictrtp learns the source, RTP still goes to the
   * SDP address): on, every server packet lands on 127.0.0.2, where each SIPp play_pcap_audio raw socket is bound.
   */
  rtpSymmetric: boolean;
  /** media.workers (RTP on worker threads); undefined keeps the server's default. */
  mediaWorkers: number | undefined;
  /** Extra node flags for the server, e.g. --cpu-prof (from SWB_BENCH_NODE_ARGS). */
  nodeArgs: string[];
}

/** The part of GET /healthz the bench reads (src/app/server.ts composes it). */
export interface Health {
  calls: { active: number; total: number };
  media: {
    sessions: number;
    packetsSent: number;
    packetsReceived: number;
    pacer: PacerStats;
  };
}

export class SwitchboardProcess {
  readonly pid: number;
  readonly logFile: string;
  private readonly exited: Promise<number | null>;
  private running = true;

  private constructor(private readonly child: ChildProcess, private readonly url: string, logFile: string) {
    this.pid = child.pid ?? -1;
    this.logFile = logFile;
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      this.running = false;
      resolve(code);
    }));
  }

  static async start(o: SwitchboardProcessOptions): Promise<SwitchboardProcess> {
    const config = join(o.workDir, 'server.yaml');
    writeFileSync(config, [
      `sip: { host: 127.0.0.1, port: ${o.sipPort}, transports: [udp] }`,
      `http: { host: 127.0.0.1, port: ${o.httpPort} }`,
      `rtp: { portMin: ${o.rtpPortMin}, portMax: ${o.rtpPortMax}, latching: true, symmetric: ${o.rtpSymmetric} }`,
      ...(o.mediaWorkers === undefined ? [] : [`media: { workers: ${o.mediaWorkers} }`]),
      'apps: { ivr: bench }',
      'log: { level: warn }',
      '',
    ].join('\n'));
    const logFile = join(o.workDir, 'server.log');
    const log = openSync(logFile, 'a');
    const child = spawn(process.execPath, [...o.nodeArgs, o.mainJs, 'start', '--config', config], {
      cwd: o.workDir,
      stdio: ['ignore', log, log],
    });
    const server = new SwitchboardProcess(child, `http://127.0.0.1:${o.httpPort}/healthz`, logFile);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!server.running) throw new Error(`server exited during start-up:\n${server.logTail()}`);
      try {
        await server.health();
        return server;
      } catch {
        await sleep(200);
      }
    }
    await server.stop();
    throw new Error(`server did not answer /healthz within 60 s:\n${server.logTail()}`);
  }

  get alive(): boolean {
    return this.running;
  }

  async health(): Promise<Health> {
    const res = await fetch(this.url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`/healthz: HTTP ${res.status}`);
    return (await res.json()) as Health;
  }

  /** Polls until no call is active; resolves false when `timeoutMs` passes first. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.health()).calls.active === 0) return true;
      await sleep(500);
    }
    return false;
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no server log)';
    }
  }

  /** SIGTERM (the server hangs up its calls and exits; --cpu-prof writes its profile then), SIGKILL after 20 s. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
