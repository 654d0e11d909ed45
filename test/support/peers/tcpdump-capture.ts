import { readFileSync } from 'node:fs';
import { readPcapUdp, type UdpDatagram } from '../pcap/index.js';
import { spawnBounded, type BoundedProcess } from './bounded-process.js';

/**
 * A tcpdump capture on an interface (default lo) into a classic pcap file. `start` resolves only when tcpdump
 * says it is listening, so nothing sent afterwards is missed. `--immediate-mode` hands each packet over at once
 * and `-U` writes it at once: without them the last second of traffic sits in the kernel's ring-buffer block and
 * is lost when tcpdump is stopped (seen: a BYE missing from the capture).
 */

export interface CaptureHandle {
  readonly file: string;
  readonly process: BoundedProcess;
  /** Stops tcpdump (SIGTERM by PID) and returns the UDP datagrams it captured. */
  stop(): Promise<UdpDatagram[]>;
}

export async function startCapture(file: string, filter: string, options: { iface?: string; timeoutMs?: number } = {}): Promise<CaptureHandle> {
  const proc = spawnBounded('tcpdump', ['-i', options.iface ?? 'lo', '-nn', '--immediate-mode', '-U', '-s', '0', '-w', file, filter], {
    timeoutMs: options.timeoutMs ?? 5 * 60_000,
  });
  await proc.waitForOutput(/listening on/, 10_000);
  return {
    file,
    process: proc,
    stop: async () => {
      // Give packets already on the wire a moment to be written before tcpdump goes.
      await new Promise((r) => setTimeout(r, 500));
      await proc.stop('SIGTERM', 3000);
      return readPcapUdp(readFileSync(file));
    },
  };
}
