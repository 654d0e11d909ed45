import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir, availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareMedia } from './media.js';
import { ensurePeers } from './peer-requirements.js';

/**
 * Entry of the interop suite (`npm run test:interop`):
 *   1. checks the third-party peers (SIPp, baresip, sox, espeak-ng, tcpdump) and installs the missing ones when
 *      root, else fails with the install command;
 *   2. re-executes itself in a new network namespace whose only interface is lo, so nothing leaves the host and
 *      ports cannot collide with anything else on the machine;
 *   3. inside, renders the test media once and runs the interop test files (test/interop/*.test.ts; the pure
 *      tests of test/support run with the unit tests) with node's test runner, TAP reporter, and exits with its
 *      status. The output ends with the runner's summary.
 * Arguments: optional substrings selecting test files, e.g. `run-interop.js options cancel`.
 * Env: SWB_INTEROP_WORK (artifact dir), SWB_INTEROP_CONCURRENCY (test files at once).
 */

const IN_NETNS = 'SWB_INTEROP_IN_NETNS';
const HERE = fileURLToPath(new URL('.', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A harness failure still ends like a test run, so whoever reads the tail sees it failed, not that 0 passed. */
function failHarness(message: string): never {
  process.stderr.write(`\ninterop suite cannot run:\n${message}\n\n`);
  say('not ok 1 - interop harness');
  say('1..1');
  say('# tests 1');
  say('# pass 0');
  say('# fail 1');
  process.exit(1);
}

function probe(args: string[]): { ok: boolean; detail: string } {
  const r = spawnSync('unshare', [...args, '--', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8', timeout: 20_000 });
  return { ok: r.status === 0, detail: `unshare ${args.join(' ')}: ${r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`)}` };
}

function reexecInNetns(argv: string[]): never {
  // Root (or CAP_SYS_ADMIN) makes a plain network namespace; otherwise a user namespace mapped to root, where
  // SIPp's raw sockets and tcpdump also work, may be allowed.
  const plain = probe(['--net']);
  const user = plain.ok ? undefined : probe(['--user', '--map-root-user', '--net']);
  if (!plain.ok && !user?.ok) {
    failHarness(
      'cannot create a loopback-only network namespace (needed to isolate the peers and for raw sockets):\n'
      + `  ${plain.detail}\n  ${user?.detail}\n`
      + 'run as root (or with CAP_SYS_ADMIN), or enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1).',
    );
  }
  const nsArgs = plain.ok ? ['--net'] : ['--user', '--map-root-user', '--net'];
  const r = spawnSync('unshare', [...nsArgs, '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'run-interop',
    process.execPath, SELF, ...argv], { stdio: 'inherit', env: { ...process.env, [IN_NETNS]: '1' } });
  if (r.error) failHarness(`unshare failed: ${r.error.message}`);
  process.exit(r.status ?? 1);
}

function findTests(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

async function runInside(argv: string[]): Promise<never> {
  // Registered before any peer is spawned, so these run first: the test runner is stopped with us, by PID.
  const testRunner: { pid?: number } = {};
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      if (testRunner.pid !== undefined) {
        try {
          process.kill(testRunner.pid, sig);
        } catch {
          // already gone
        }
      }
    });
  }
  const interfaces = Object.keys(networkInterfaces());
  if (interfaces.some((n) => n !== 'lo')) failHarness(`not isolated: interfaces ${interfaces.join(', ')} besides lo`);

  const work = process.env.SWB_INTEROP_WORK ?? mkdtempSync(join(tmpdir(), 'swb-interop-'));
  mkdirSync(work, { recursive: true });
  say(`# interop artifacts: ${work}`);
  const mediaDir = join(work, 'media');
  const media = await prepareMedia(mediaDir).catch((e: unknown) => failHarness(`test media: ${(e as Error).message}`));
  // Not fatal: the harness's own tests need no server; each test that needs a prompt fails with this reason.
  if (media.promptError) say(`# demo prompts not rendered (tests needing them will fail): ${media.promptError.split('\n')[0]}`);

  const all = findTests(HERE);
  const files = argv.length === 0 ? all : all.filter((f) => argv.some((a) => basename(f).includes(a)));
  if (files.length === 0) failHarness(`no test files match ${argv.join(' ')} (compiled tests in ${HERE}?)`);
  const concurrency = Number(process.env.SWB_INTEROP_CONCURRENCY ?? (availableParallelism() >= 4 ? 2 : 1));
  say(`# running ${files.length} test files, ${concurrency} at a time`);
  const child = spawn(process.execPath, ['--test', '--test-reporter=tap', `--test-concurrency=${concurrency}`, ...files], {
    stdio: 'inherit',
    env: { ...process.env, SWB_INTEROP_WORK: work, SWB_INTEROP_MEDIA: mediaDir },
  });
  testRunner.pid = child.pid;
  const code = await new Promise<number>((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  process.exit(code);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (process.env[IN_NETNS] === '1') {
    await runInside(argv);
    return;
  }
  const peers = ensurePeers(say);
  if (!peers.ok) failHarness(peers.message ?? 'peers missing');
  reexecInNetns(argv);
}

main().catch((e: unknown) => failHarness((e as Error).stack ?? String(e)));
