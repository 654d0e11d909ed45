import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnBounded, type BoundedProcess, type ExitInfo } from './bounded-process.js';

/**
 * Starts the built server (`node dist/src/cli/main.js start`) on given ports, bound to 127.0.0.1, and resolves
 * once GET /healthz answers 200. Its JSON log lines (pino) are kept in memory and in `<workDir>/server.log`.
 */

export interface StartServerOptions {
  sipPort: number;
  httpPort: number;
  rtpMin: number;
  rtpMax: number;
  /** Extra environment (SWB_* overrides win over the config file). */
  env?: Record<string, string>;
  /** Written as JSON (valid YAML) and passed with --config. */
  config?: Record<string, unknown>;
  /** Holds config, data dir and log; default a fresh temp dir. */
  workDir?: string;
  /** Default: env SWB_SERVER_MAIN, else dist/src/cli/main.js of the tree this file was compiled into. */
  mainPath?: string;
  logLevel?: string;
  readyTimeoutMs?: number;
  /** Hard deadline of the server process. */
  timeoutMs?: number;
}

export interface ServerLogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface ServerHandle {
  readonly pid: number;
  readonly sipPort: number;
  readonly httpPort: number;
  readonly workDir: string;
  readonly logFile: string;
  readonly process: BoundedProcess;
  /** Every stdout line, parsed when it is JSON, else `{ msg: line }`. */
  logs(): ServerLogLine[];
  waitForLog(predicate: (line: ServerLogLine) => boolean, timeoutMs: number): Promise<ServerLogLine>;
  healthz(): Promise<number>;
  stop(): Promise<ExitInfo>;
}

export function defaultServerMain(): string {
  return process.env.SWB_SERVER_MAIN ?? fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));
}

/** The repository's flows/ (the server under test runs in a work dir, where a relative `flows` means nothing). */
export function repoFlowsDir(): string {
  return fileURLToPath(new URL('../../../../flows', import.meta.url));
}

function parseLines(text: string): ServerLogLine[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => {
    try {
      const v: unknown = JSON.parse(l);
      return typeof v === 'object' && v !== null ? (v as ServerLogLine) : { msg: l };
    } catch {
      return { msg: l };
    }
  });
}

async function httpStatus(port: number, path: string, timeoutMs: number): Promise<number> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

export async function startServer(options: StartServerOptions): Promise<ServerHandle> {
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'swb-server-'));
  mkdirSync(workDir, { recursive: true });
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(workDir, 'server.log');
  const args = [options.mainPath ?? defaultServerMain(), 'start'];
  if (options.config) {
    const configFile = join(workDir, 'config.yaml');
    writeFileSync(configFile, JSON.stringify(options.config, null, 2));
    args.push('--config', configFile);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWB_SIP_HOST: '127.0.0.1',
    SWB_HTTP_HOST: '127.0.0.1',
    SWB_SIP_PORT: String(options.sipPort),
    SWB_HTTP_PORT: String(options.httpPort),
    SWB_RTP_PORT_MIN: String(options.rtpMin),
    SWB_RTP_PORT_MAX: String(options.rtpMax),
    SWB_DATA_DIR: dataDir,
    SWB_FLOWS_DIR: repoFlowsDir(),
    SWB_LOG_LEVEL: options.logLevel ?? 'debug',
    ...options.env,
  };
  const proc = spawnBounded(process.execPath, args, { cwd: workDir, env, timeoutMs: options.timeoutMs ?? 10 * 60_000, logFile });

  const handle: ServerHandle = {
    pid: proc.pid,
    sipPort: options.sipPort,
    httpPort: options.httpPort,
    workDir,
    logFile,
    process: proc,
    logs: () => parseLines(proc.stdout()),
    waitForLog: async (predicate, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const hit = handle.logs().find(predicate);
        if (hit) return hit;
        if (!proc.running) break;
        await sleep(50);
      }
      throw new Error(`server log has no matching line after ${timeoutMs} ms\n${proc.tail()}`);
    },
    healthz: () => httpStatus(options.httpPort, '/healthz', 2000),
    stop: () => proc.stop('SIGTERM', 5000),
  };

  const readyBy = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < readyBy) {
    if (!proc.running) {
      throw new Error(`server exited before it was ready: ${JSON.stringify(await proc.exited)}\n${proc.tail(60)}`);
    }
    if ((await httpStatus(options.httpPort, '/healthz', 1000)) === 200) return handle;
    await sleep(100);
  }
  await handle.stop();
  throw new Error(`server not ready (GET /healthz != 200) within ${options.readyTimeoutMs ?? 60_000} ms\n${proc.tail(60)}`);
}

