import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnBounded, type BoundedProcess, type ExitInfo } from './bounded-process.js';

/** Runs baresip on a profile dir (see writeBaresipProfile) with a hard deadline (`-t`, and a kill after it). */

export interface StartBaresipOptions {
  /** baresip quits by itself after this many seconds (default 60). */
  timeoutSec?: number;
  logFile?: string;
}

export interface BaresipHandle {
  readonly dir: string;
  readonly process: BoundedProcess;
  /** Resolves once the modules are loaded and the UA listens ("baresip is ready."). */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<ExitInfo>;
}

export function startBaresip(dir: string, options: StartBaresipOptions = {}): BaresipHandle {
  const timeoutSec = options.timeoutSec ?? 60;
  const proc = spawnBounded('baresip', ['-f', dir, '-t', String(timeoutSec)], {
    cwd: dir,
    timeoutMs: (timeoutSec + 10) * 1000,
    logFile: options.logFile ?? join(dir, 'baresip.log'),
  });
  return {
    dir,
    process: proc,
    ready: async (timeoutMs = 10_000) => {
      await proc.waitForOutput(/baresip is ready\./, timeoutMs);
    },
    // SIGTERM lets sndfile close its WAV files (their headers get the final lengths).
    stop: () => proc.stop('SIGTERM', 3000),
  };
}

/** The received-audio recordings (dump-*-dec.wav) sndfile wrote into `recDir`, oldest first. */
export function decodedRecordings(recDir: string): string[] {
  return readdirSync(recDir).filter((n) => /^dump-.*-dec\.wav$/.test(n)).sort().map((n) => join(recDir, n));
}
