import { networkInterfaces } from 'node:os';

/**
 * The address to advertise in SDP. A wildcard bind tells us nothing about which of our addresses the caller
 * reached, and Node's UDP sockets don't expose the datagram's destination (no IP_PKTINFO); so: the configured
 * public address if any, the bind address if specific, loopback for loopback callers, else the first external IPv4.
 */
export function chooseMediaAddress(bindHost: string, publicAddress: string | undefined, sourceHost: string): string {
  if (publicAddress) return publicAddress;
  if (bindHost !== '0.0.0.0' && bindHost !== '::') return bindHost;
  if (sourceHost.startsWith('127.') || sourceHost === '::1' || sourceHost === '::ffff:127.0.0.1') {
    return sourceHost.includes(':') && !sourceHost.startsWith('::ffff:') ? '::1' : '127.0.0.1';
  }
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
