import { parseRtp, selectDatagrams, type UdpDatagram } from '../support/pcap/index.js';
import { startServer, type ServerHandle } from '../support/peers/index.js';
import { testWorkDir } from './media.js';
import type { PortBlock } from './ports.js';

/** The server under test, started once per test file on that file's port block (demo app on user "demo"). */
export function startDemoServer(name: string, ports: PortBlock, env: Record<string, string> = {}): Promise<ServerHandle> {
  return startServer({
    env,
    sipPort: ports.sip,
    httpPort: ports.http,
    rtpMin: ports.rtpMin,
    rtpMax: ports.rtpMax,
    workDir: testWorkDir(`${name}-server`),
  });
}

/** Capture times (epoch seconds) of the RTP packets sent to `mediaPort`, i.e. from the server to the peer. */
export function rtpTimesTo(datagrams: readonly UdpDatagram[], mediaPort: number): number[] {
  return selectDatagrams(datagrams, { dstPort: mediaPort }).filter((d) => parseRtp(d.payload) !== undefined).map((d) => d.timeSec);
}

/** Earliest RTP packet either way on `mediaPort`: the common time zero of both directions. */
export function mediaOrigin(datagrams: readonly UdpDatagram[], mediaPort: number): number {
  const times = datagrams.filter((d) => (d.srcPort === mediaPort || d.dstPort === mediaPort) && parseRtp(d.payload)).map((d) => d.timeSec);
  if (times.length === 0) throw new Error(`no RTP to or from port ${mediaPort} in the capture`);
  return Math.min(...times);
}

export function logTail(server: ServerHandle, lines = 40): string {
  return `--- server log (${server.logFile}, tail)\n${server.process.stdout().trim().split('\n').slice(-lines).join('\n')}`;
}
