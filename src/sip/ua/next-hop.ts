import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { SwitchboardError } from '../../common/index.js';
import { parseNameAddr, parseUri, splitHeaderList, type SipRequest } from '../message/index.js';
import type { SendDestination, TransportName } from '../transport/index.js';

/** Resolves a host name to an IPv4 address (an A lookup; RFC 3263 SRV/NAPTR is not needed for our peers). */
export type HostResolver = (host: string) => Promise<string>;

export const lookupIPv4: HostResolver = async (host) => (await lookup(host, { family: 4 })).address;

/** RFC 3261 §8.1.2: the first Route's URI when there is a route set, the Request-URI otherwise. */
export function nextHopUri(request: SipRequest): string {
  const route = request.headers.get('Route');
  if (route === undefined) return request.uri;
  return parseNameAddr(splitHeaderList(route)[0]).uri;
}

/**
 * Where to send a request for `uriText` (RFC 3263 §4 reduced to literal addresses and A records): maddr or host,
 * the port (default 5060), the transport from `;transport=` or `preferred` or UDP. IP literals resolve at once,
 * so a caller can send synchronously; host names return a promise.
 */
export function resolveDestination(
  uriText: string,
  resolveHost: HostResolver,
  preferred?: TransportName,
): SendDestination | Promise<SendDestination> {
  const uri = parseUri(uriText);
  if (uri.scheme !== 'sip') {
    throw new SwitchboardError('SWB_ERR_SIP_TRANSPORT', `cannot route to a ${uri.scheme}: URI (no TLS or tel gateway)`);
  }
  const param = uri.params.get('transport')?.toLowerCase();
  let transport: TransportName;
  if (param === 'tcp' || param === 'udp') transport = param;
  else if (param === undefined) transport = preferred ?? 'udp';
  else throw new SwitchboardError('SWB_ERR_SIP_TRANSPORT', `unsupported transport "${param}" in ${uriText}`);
  const rawHost = uri.params.get('maddr') ?? uri.host;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const port = uri.port ?? 5060;
  if (isIP(host) !== 0) return { transport, host, port };
  return resolveHost(host).then((address) => ({ transport, host: address, port }));
}

/** Runs `fn` with the destination now when it is known, or when the lookup finishes; lookup errors go to onError. */
export function withDestination(
  dest: SendDestination | Promise<SendDestination>,
  fn: (dest: SendDestination) => void,
  onError: (err: unknown) => void,
): void {
  if (dest instanceof Promise) {
    dest.then(fn).catch(onError);
    return;
  }
  try {
    fn(dest);
  } catch (err) {
    onError(err);
  }
}
