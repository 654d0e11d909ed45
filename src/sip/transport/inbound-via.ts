import { formatVia, headerKey, parseVia, type SipMessage, type Via } from '../message/index.js';

const IPV4_MAPPED_PREFIX = '::ffff:';

/** Lower-cased host without IPv6 brackets or the IPv4-mapped prefix Node puts on dual-stack sources. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.startsWith(IPV4_MAPPED_PREFIX) && h.includes('.')) h = h.slice(IPV4_MAPPED_PREFIX.length);
  return h;
}

export function sameHost(a: string, b: string): boolean {
  return normalizeHost(a) === normalizeHost(b);
}

/**
 * Stamps the top Via of an inbound request (or of the 400 built from a request that failed to parse), editing the
 * first Via field in place so the rest of the message keeps its layout. Returns whether anything changed.
 * - RFC 3261 §18.2.1: "If the host portion of the "sent-by" parameter contains a domain name, or if it contains an
 *   IP address that differs from the packet source address, the server MUST add a "received" parameter".
 * - RFC 3581 §4: with an `rport` without value, the server "MUST set the value of the parameter to the source port of
 *   the request" and MUST add `received` even when it equals the sent-by host.
 */
export function stampInboundVia(req: SipMessage, sourceHost: string, sourcePort: number): boolean {
  const field = req.headers.entries().find((f) => headerKey(f.name) === 'via');
  if (!field) return false;
  const vias = parseVia(field.value);
  const top = vias[0];
  if (!top) return false;
  let changed = false;
  if (top.params.get('rport') === '') {
    top.params.set('rport', String(sourcePort));
    changed = true;
  }
  if (changed || !sameHost(top.host, sourceHost)) {
    top.params.set('received', normalizeHost(sourceHost));
    changed = true;
  }
  if (changed) field.value = vias.map(formatVia).join(', ');
  return changed;
}

/**
 * Where a response goes when it cannot use the connection its request came on, from the response's top Via
 * (RFC 3261 §18.2.2, RFC 3581 §4): `maddr` for unreliable transports, else `received` with the `rport` value (or the
 * sent-by port, default 5060), else the sent-by itself.
 */
export function responseDestination(via: Via, reliable: boolean): { host: string; port: number } {
  const rport = via.params.get('rport');
  const rportNumber = rport ? Number(rport) : NaN;
  const sentByPort = via.port ?? 5060;
  const port = Number.isInteger(rportNumber) && rportNumber > 0 && rportNumber < 65536 ? rportNumber : sentByPort;
  const maddr = via.params.get('maddr');
  if (!reliable && maddr) return { host: normalizeHost(maddr), port: sentByPort };
  const received = via.params.get('received');
  if (received) return { host: normalizeHost(received), port };
  return { host: normalizeHost(via.host), port };
}
