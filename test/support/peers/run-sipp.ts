import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runBounded, type ExitInfo } from './bounded-process.js';

/**
 * Runs one SIPp invocation to completion. SIPp's exit status: 0 all calls succeeded, 1 some failed, 97 stopped
 * (e.g. -timeout), 99 no call ran, 255 fatal. The text files it wrote into `cwd` (error, message, screen, log
 * traces) are returned so a failing assertion can quote them.
 */

export interface RunSippOptions {
  cwd: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface SippResult extends ExitInfo {
  args: string[];
  stdout: string;
  stderr: string;
  /** Files created or changed in cwd during the run (by name), binary media excluded. */
  files: Record<string, string>;
}

const MAX_FILE_BYTES = 1024 * 1024;

function snapshot(dir: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const name of readdirSync(dir)) {
    try {
      const st = statSync(join(dir, name));
      if (st.isFile()) m.set(name, st.mtimeMs * 1e3 + st.size);
    } catch {
      // vanished meanwhile
    }
  }
  return m;
}

export async function runSipp(args: string[], options: RunSippOptions): Promise<SippResult> {
  const before = snapshot(options.cwd);
  const r = await runBounded('sipp', args, { cwd: options.cwd, env: options.env, timeoutMs: options.timeoutMs });
  const files: Record<string, string> = {};
  for (const [name, stamp] of snapshot(options.cwd)) {
    if (before.get(name) === stamp || /\.(pcap|wav|raw)$/i.test(name)) continue;
    const buf = readFileSync(join(options.cwd, name));
    files[name] = buf.subarray(Math.max(0, buf.length - MAX_FILE_BYTES)).toString('utf8');
  }
  return { ...r, args, files };
}

/** Trace options that name every file SIPp writes after `prefix` (all in the cwd). */
export function sippTraceArgs(prefix: string): string[] {
  return [
    '-trace_err', '-error_file', `${prefix}_errors.log`,
    '-trace_msg', '-message_file', `${prefix}_messages.log`,
    '-trace_screen', '-screen_file', `${prefix}_screen.log`,
    '-trace_logs', '-log_file', `${prefix}_logs.log`,
  ];
}

/** A failure report: exit status, SIPp's error lines, the end of its screen and of the message trace. */
export function describeSipp(r: SippResult, messageLines = 80): string {
  const parts = [`sipp ${r.args.join(' ')}`, `exit code ${r.code} signal ${r.signal}${r.timedOut ? ' (killed at deadline)' : ''}`];
  for (const [name, text] of Object.entries(r.files)) {
    if (name.endsWith('_errors.log')) parts.push(`--- ${name}\n${text.trim()}`);
  }
  for (const [name, text] of Object.entries(r.files)) {
    if (name.endsWith('_screen.log')) parts.push(`--- ${name} (tail)\n${text.trim().split('\n').slice(-40).join('\n')}`);
  }
  for (const [name, text] of Object.entries(r.files)) {
    if (name.endsWith('_messages.log')) parts.push(`--- ${name} (tail)\n${text.trim().split('\n').slice(-messageLines).join('\n')}`);
  }
  if (r.stderr.trim()) parts.push(`--- stderr\n${r.stderr.trim().split('\n').slice(-20).join('\n')}`);
  return parts.join('\n');
}
