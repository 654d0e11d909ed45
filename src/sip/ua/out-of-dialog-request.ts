import { randomToken } from '../../common/index.js';
import { formatNameAddr, parseUri, SipHeaders, type SipRequest } from '../message/index.js';
import type { TransportName } from '../transport/index.js';
import type { UaContext } from './ua-context.js';

export interface OutOfDialogRequestOptions {
  target: string;
  transport: TransportName;
  from?: string;
  fromDisplay?: string;
  cseq?: number;
}

/** An IPv6 literal goes in brackets in a URI or Via sent-by (RFC 3261 §25.1). */
export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The transport for a target: its `;transport=` parameter, else the caller's preference, else UDP (RFC 3263 §4.1). */
export function targetTransport(target: string, preferred?: TransportName): TransportName {
  const param = parseUri(target).params.get('transport')?.toLowerCase();
  return param === 'tcp' || param === 'udp' ? param : (preferred ?? 'udp');
}

/**
 * A request outside any dialog (RFC 3261 §8.1.1): Request-URI and To are the target, From carries a new tag, a new
 * Call-ID, CSeq 1, Max-Forwards 70 and our Contact. Via is added by the transaction layer.
 */
export function buildOutOfDialogRequest(ctx: UaContext, method: string, o: OutOfDialogRequestOptions): SipRequest {
  const local = ctx.transport.localAddress(o.transport);
  const host = formatHost(local.host);
  const fromUri = o.from ?? `sip:${ctx.contactUser}@${host}:${local.port}`;
  const headers = new SipHeaders();
  headers.append('Max-Forwards', '70');
  headers.append('From', formatNameAddr({
    displayName: o.fromDisplay, uri: fromUri, params: new Map([['tag', randomToken(8)]]),
  }));
  headers.append('To', `<${o.target}>`);
  headers.append('Call-ID', `${randomToken(12)}@${host}`);
  headers.append('CSeq', `${o.cseq ?? 1} ${method}`);
  headers.append('Contact', `<${ctx.localContact(o.transport)}>`);
  headers.append('User-Agent', ctx.userAgent);
  return { kind: 'request', method, uri: o.target, headers, body: Buffer.alloc(0) };
}
