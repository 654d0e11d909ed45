import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SwitchboardError } from '../../common/index.js';
import type { TransportName } from './transport-types.js';

export interface BoundSockets {
  udp?: UdpSocket;
  tcp?: Server;
  port: number;
}

/** An ephemeral UDP port may already be taken on TCP; a few retries find a port free on both. */
const EPHEMERAL_ATTEMPTS = 8;

/**
 * Binds UDP and/or TCP on host:port. With port 0 both get the same ephemeral port (UDP picks, TCP follows), so
 * that one sent-by serves both transports.
 */
export async function bindSockets(
  host: string,
  port: number,
  transports: readonly TransportName[],
  onConnection: (socket: Socket) => void,
): Promise<BoundSockets> {
  let lastError: unknown;
  const attempts = port === 0 ? EPHEMERAL_ATTEMPTS : 1;
  for (let i = 0; i < attempts; i++) {
    const bound: BoundSockets = { port };
    try {
      if (transports.includes('udp')) {
        bound.udp = await bindUdp(host, bound.port);
        bound.port = bound.udp.address().port;
      }
      if (transports.includes('tcp')) {
        bound.tcp = await listenTcp(host, bound.port, onConnection);
        const address = bound.tcp.address();
        if (address && typeof address === 'object') bound.port = address.port;
      }
      return bound;
    } catch (err) {
      lastError = err;
      await closeSockets(bound);
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
    }
  }
  throw new SwitchboardError('SWB_ERR_SIP_TRANSPORT', `cannot listen on ${host}:${port}`, { cause: lastError });
}

export async function closeSockets(bound: Partial<BoundSockets>): Promise<void> {
  const waits: Promise<void>[] = [];
  if (bound.udp) {
    const udp = bound.udp;
    waits.push(new Promise((resolve) => {
      try {
        udp.close(() => resolve());
      } catch {
        resolve();
      }
    }));
  }
  if (bound.tcp) {
    const tcp = bound.tcp;
    waits.push(new Promise((resolve) => tcp.close(() => resolve())));
  }
  await Promise.all(waits);
}

function bindUdp(host: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    const onError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address: host, port }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function listenTcp(host: string, port: number, onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onConnection);
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/** A host to advertise for a wildcard bind without publicAddress: the first external IPv4 address, else loopback. */
export function guessAdvertisedHost(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  }
  return '127.0.0.1';
}

/** Every address of this machine, for recognising our own sent-by (RFC 3261 §18.1.2). */
export function localInterfaceAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address.toLowerCase());
  return out;
}
