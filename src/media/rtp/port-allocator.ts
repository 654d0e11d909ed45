/**
 * Hands out RTP/RTCP port pairs from a configured range: RTP on an even port and RTCP on the next odd one
 * (RFC 3550 §11), both sockets bound before the pair is returned. Ports another process holds (EADDRINUSE) are
 * skipped; the search starts after the last pair handed out so a just-released port is not reused at once
 * (late packets of the previous call would land in the next one).
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { SwitchboardError } from '../../common/index.js';

export interface RtpPortPair {
  rtpPort: number;
  rtcpPort: number;
  rtp: Socket;
  rtcp: Socket;
}

export interface RtpPortAllocatorOptions {
  bindHost: string;
  portMin: number;
  portMax: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram resolves the destination of every send through `lookup`; Node's default defers even IP literals to the
 * next tick. Answering literals synchronously keeps the per-packet send path free of that extra tick.
 */
function literalLookup(hostname: string, family: unknown, callback: LookupCallback): void {
  const version = isIP(hostname);
  if (version !== 0) {
    callback(null, hostname, version);
    return;
  }
  dnsLookup(hostname, { family: typeof family === 'number' ? family : 0 }, (err, address, fam) => callback(err, address, fam));
}

function bindSocket(type: 'udp4' | 'udp6', host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type, lookup: literalLookup as never });
    const onError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}

export class RtpPortAllocator {
  private readonly firstPort: number;
  private readonly pairCount: number;
  private readonly type: 'udp4' | 'udp6';
  private readonly reserved = new Set<number>();
  private cursor = 0;

  constructor(private readonly options: RtpPortAllocatorOptions) {
    const { portMin, portMax } = options;
    if (!Number.isInteger(portMin) || !Number.isInteger(portMax) || portMin < 1024 || portMax > 65535) {
      throw new RangeError(`RTP port range ${portMin}-${portMax} must be integers within 1024-65535`);
    }
    this.firstPort = portMin + (portMin % 2);
    this.pairCount = Math.max(0, Math.floor((portMax - this.firstPort + 1) / 2));
    if (this.pairCount === 0) throw new RangeError(`RTP port range ${portMin}-${portMax} holds no even/odd pair`);
    this.type = isIP(options.bindHost) === 6 ? 'udp6' : 'udp4';
  }

  /** Pairs the range can hold. */
  get capacity(): number {
    return this.pairCount;
  }

  get inUse(): number {
    return this.reserved.size;
  }

  /** Binds the next free pair; rejects with SWB_ERR_RTP_NO_PORTS when every pair is taken or in use elsewhere. */
  async allocate(): Promise<RtpPortPair> {
    for (let tried = 0; tried < this.pairCount; tried++) {
      const rtpPort = this.firstPort + 2 * this.cursor;
      this.cursor = (this.cursor + 1) % this.pairCount;
      if (this.reserved.has(rtpPort)) continue;
      this.reserved.add(rtpPort);
      const pair = await this.tryBind(rtpPort);
      if (pair) return pair;
      this.reserved.delete(rtpPort);
    }
    throw new SwitchboardError('SWB_ERR_RTP_NO_PORTS', `no free RTP port pair in ${this.options.portMin}-${this.options.portMax} (${this.reserved.size} in use)`);
  }

  /** Closes both sockets and returns the pair to the range. */
  async release(pair: RtpPortPair): Promise<void> {
    await Promise.all([closeSocket(pair.rtp), closeSocket(pair.rtcp)]);
    this.reserved.delete(pair.rtpPort);
  }

  private async tryBind(rtpPort: number): Promise<RtpPortPair | undefined> {
    let rtp: Socket;
    try {
      rtp = await bindSocket(this.type, this.options.bindHost, rtpPort);
    } catch (err) {
      if (isPortBusy(err)) return undefined;
      throw err;
    }
    try {
      const rtcp = await bindSocket(this.type, this.options.bindHost, rtpPort + 1);
      return { rtpPort, rtcpPort: rtpPort + 1, rtp, rtcp };
    } catch (err) {
      await closeSocket(rtp);
      if (isPortBusy(err)) return undefined;
      throw err;
    }
  }
}

function isPortBusy(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES';
}
