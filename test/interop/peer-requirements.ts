import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The third-party programs the interop suite drives, the Debian package of each, and how to get them: installed
 * with apt-get when we are root, otherwise a failure that prints the exact command. Never a silent skip.
 */

export interface PeerRequirement {
  what: string;
  /** Debian packages that provide it. */
  packages: string[];
  present: () => boolean;
}

const SEARCH_PATH = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];

export function findExecutable(name: string): string | undefined {
  for (const dir of SEARCH_PATH) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

const binary = (name: string): (() => boolean) => () => findExecutable(name) !== undefined;
const BARESIP_MODULES = ['g711', 'aufile', 'alsa', 'sndfile', 'ctrl_tcp', 'account', 'menu'];

export const PEER_REQUIREMENTS: readonly PeerRequirement[] = [
  { what: 'sipp (SIPp 3.6 with pcap play)', packages: ['sip-tester'], present: binary('sipp') },
  { what: 'baresip', packages: ['baresip', 'baresip-core'], present: binary('baresip') },
  {
    what: `baresip modules ${BARESIP_MODULES.join(', ')}`,
    packages: ['baresip-core'],
    present: () => BARESIP_MODULES.every((m) => existsSync(`/usr/lib/baresip/modules/${m}.so`)),
  },
  { what: 'sox', packages: ['sox', 'libsox-fmt-all'], present: binary('sox') },
  { what: 'espeak-ng', packages: ['espeak-ng'], present: binary('espeak-ng') },
  { what: 'tcpdump', packages: ['tcpdump'], present: binary('tcpdump') },
  { what: 'unshare', packages: ['util-linux'], present: binary('unshare') },
  { what: 'ip', packages: ['iproute2'], present: binary('ip') },
];

export function missingPeers(reqs: readonly PeerRequirement[] = PEER_REQUIREMENTS): PeerRequirement[] {
  return reqs.filter((r) => !r.present());
}

export function packagesOf(reqs: readonly PeerRequirement[]): string[] {
  return [...new Set(reqs.flatMap((r) => r.packages))];
}

export function installCommand(packages: readonly string[]): string {
  return `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

function aptListsEmpty(): boolean {
  try {
    return !readdirSync('/var/lib/apt/lists').some((n) => n.includes('_Packages'));
  } catch {
    return true;
  }
}

function apt(args: string[], log: (line: string) => void): boolean {
  log(`# running: apt-get ${args.join(' ')}`);
  const r = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 15 * 60_000,
  });
  return r.status === 0;
}

export interface EnsureResult {
  ok: boolean;
  /** What is still missing, and why, when not ok. */
  message?: string;
}

/** Installs what is missing when root (apt-get update only when the lists are empty or the install fails). */
export function ensurePeers(log: (line: string) => void): EnsureResult {
  const missing = missingPeers();
  if (missing.length === 0) return { ok: true };
  const packages = packagesOf(missing);
  const names = missing.map((m) => m.what).join('; ');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    return {
      ok: false,
      message: `interop peers missing: ${names}\ninstall them (as root) with:\n  apt-get update && ${installCommand(packages)}`,
    };
  }
  if (!findExecutable('apt-get')) {
    return { ok: false, message: `interop peers missing: ${names}; no apt-get on this machine to install ${packages.join(' ')}` };
  }
  log(`# interop peers missing: ${names}; installing ${packages.join(' ')}`);
  if (aptListsEmpty()) apt(['update'], log);
  const installArgs = ['install', '-y', '--no-install-recommends', ...packages];
  if (!apt(installArgs, log)) {
    apt(['update'], log);
    apt(installArgs, log);
  }
  const still = missingPeers();
  if (still.length > 0) {
    return {
      ok: false,
      message: `interop peers still missing after apt-get: ${still.map((m) => m.what).join('; ')}\n  ${installCommand(packagesOf(still))}`,
    };
  }
  return { ok: true };
}
