import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * Child processes for interop tests: every one has a deadline (SIGTERM, then SIGKILL), is stopped by its own PID,
 * and is SIGKILLed if the test process exits while it still runs, so no peer outlives its test.
 */

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the deadline, not the process, ended it. */
  timedOut: boolean;
}

export interface BoundedSpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Hard deadline from start; the process is terminated when it passes. */
  timeoutMs: number;
  /** Also append stdout and stderr to this file. */
  logFile?: string;
  /** Bytes of stdout/stderr kept in memory, each (default 8 MiB; the tail is kept). */
  maxBufferBytes?: number;
}

const live = new Set<BoundedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killNow();
  });
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      for (const p of live) p.killNow();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

export class BoundedProcess {
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private outBytes = 0;
  private errBytes = 0;
  private readonly maxBytes: number;
  private readonly log: WriteStream | undefined;
  private readonly listeners = new Set<() => void>();
  private deadline: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private exitInfo: ExitInfo | undefined;

  constructor(readonly command: string, readonly args: readonly string[], options: BoundedSpawnOptions) {
    installExitHook();
    this.maxBytes = options.maxBufferBytes ?? 8 * 1024 * 1024;
    this.log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    this.child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise<ExitInfo>((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exitInfo) return;
        clearTimeout(this.deadline);
        clearTimeout(this.killTimer);
        live.delete(this);
        this.exitInfo = { code, signal, timedOut: this.timedOut };
        this.log?.end();
        this.notify();
        resolve(this.exitInfo);
      };
      this.child.once('error', (e) => {
        this.err.push(Buffer.from(`spawn ${command} failed: ${e.message}\n`));
        finish(127, null);
      });
      this.child.once('close', finish);
    });
    this.pid = this.child.pid ?? -1;
    if (this.pid > 0) live.add(this);
    this.child.stdout!.on('data', (b: Buffer) => this.collect(b, 'out'));
    this.child.stderr!.on('data', (b: Buffer) => this.collect(b, 'err'));
    this.deadline = setTimeout(() => {
      this.timedOut = true;
      void this.stop();
    }, options.timeoutMs);
    this.deadline.unref();
  }

  private collect(b: Buffer, which: 'out' | 'err'): void {
    this.log?.write(b);
    const chunks = which === 'out' ? this.out : this.err;
    chunks.push(b);
    if (which === 'out') this.outBytes += b.length;
    else this.errBytes += b.length;
    while ((which === 'out' ? this.outBytes : this.errBytes) > this.maxBytes && chunks.length > 1) {
      const dropped = chunks.shift()!;
      if (which === 'out') this.outBytes -= dropped.length;
      else this.errBytes -= dropped.length;
    }
    this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  stdout(): string {
    return Buffer.concat(this.out).toString('utf8');
  }

  stderr(): string {
    return Buffer.concat(this.err).toString('utf8');
  }

  /** Resolves with the first match of `pattern` in stdout+stderr; rejects when the process exits or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = pattern.exec(this.stdout()) ?? pattern.exec(this.stderr());
        if (m) {
          done();
          resolve(m);
        } else if (!this.running) {
          done();
          reject(new Error(`${this.command} exited (${JSON.stringify(this.exitInfo)}) before printing ${pattern}:\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.command} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The last lines of stdout and stderr, for failure messages. */
  tail(lines = 30): string {
    const last = (s: string): string => s.split('\n').slice(-lines).join('\n');
    return `--- ${this.command} stdout (tail)\n${last(this.stdout())}\n--- stderr (tail)\n${last(this.stderr())}`;
  }

  /** SIGTERM (or `signal`) by PID, SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<ExitInfo> {
    if (this.running && this.pid > 0) {
      try {
        process.kill(this.pid, signal);
      } catch {
        // already gone: 'close' follows
      }
      if (!this.killTimer) {
        this.killTimer = setTimeout(() => this.killNow(), graceMs);
        this.killTimer.unref();
      }
    }
    return this.exited;
  }

  /** Synchronous SIGKILL by PID (exit hooks, overrun grace periods). */
  killNow(): void {
    if (!this.running || this.pid <= 0) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function spawnBounded(command: string, args: readonly string[], options: BoundedSpawnOptions): BoundedProcess {
  return new BoundedProcess(command, args, options);
}

export interface CommandResult extends ExitInfo {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (or its deadline) and returns its exit status and output. */
export async function runBounded(command: string, args: readonly string[], options: BoundedSpawnOptions): Promise<CommandResult> {
  const p = spawnBounded(command, args, options);
  const exit = await p.exited;
  return { ...exit, stdout: p.stdout(), stderr: p.stderr() };
}
