import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runSipp, sippTraceArgs, type SippResult } from '../support/peers/index.js';

/** Runs one of our scenarios (test/interop/scenarios/*.xml) as a single SIPp call against the server. */

/** Compiled to <dist>/test/interop/, the XML stays in the source tree two levels above <dist>. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../../test/interop/scenarios/', import.meta.url));

export interface ScenarioRun {
  scenario: string;
  serverSipPort: number;
  localPort: number;
  mediaPort: number;
  /** Where relative pcaps are looked up (after the XML's own dir) and trace files are written. */
  cwd: string;
  service?: string;
  /** SIPp transport: u1 = UDP, t1 = TCP, one socket per call. */
  transport?: 'u1' | 't1';
  /** Length of the scenario's `<pause/>` (SIPp -d). */
  pauseMs?: number;
  timeoutSec?: number;
  extraArgs?: string[];
}

export function scenarioFile(name: string): string {
  const path = `${SCENARIO_DIR}${name}`;
  if (!existsSync(path)) throw new Error(`scenario not found: ${path}`);
  return path;
}

export function runScenario(r: ScenarioRun): Promise<SippResult> {
  const timeoutSec = r.timeoutSec ?? 60;
  const prefix = r.scenario.replace(/\.xml$/, '') + (r.transport === 't1' ? '-tcp' : '');
  const args = [
    `127.0.0.1:${r.serverSipPort}`,
    '-sf', scenarioFile(r.scenario),
    '-i', '127.0.0.1', '-p', String(r.localPort),
    '-mi', '127.0.0.1', '-mp', String(r.mediaPort),
    '-s', r.service ?? 'demo',
    '-t', r.transport ?? 'u1',
    '-m', '1', '-l', '1',
    '-nostdin',
    '-timeout', `${timeoutSec}s`, '-timeout_error',
    '-recv_timeout', '30000',
    // the remote-control UDP port defaults to 8888 on every address: give each run its own
    '-cp', String(r.localPort + 1000),
    ...sippTraceArgs(prefix),
    ...(r.pauseMs !== undefined ? ['-d', String(Math.round(r.pauseMs))] : []),
    ...(r.extraArgs ?? []),
  ];
  return runSipp(args, { cwd: r.cwd, timeoutMs: (timeoutSec + 20) * 1000 });
}
