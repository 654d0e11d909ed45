import { getCSeq, getCallId, getFromTag, getTopVia, type SipMessage, type SipRequest, type Via } from '../message/index.js';

/** RFC 3261 §8.1.1.7: branches of RFC 3261 clients begin with this magic cookie. */
const MAGIC_COOKIE = 'z9hG4bK';

export function isRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.startsWith(MAGIC_COOKIE);
}

function sentBy(via: Via): string {
  const defaultPort = via.transport === 'TLS' || via.transport === 'WSS' ? 5061 : 5060;
  return `${via.host.toLowerCase()}:${via.port ?? defaultPort}`;
}

/**
 * RFC 3261 §17.1.3: a response matches a client transaction when the branch of its top Via equals the request's and
 * the CSeq method equals the request's method (a CANCEL shares the INVITE's branch but is its own transaction).
 * Returns undefined for a message without the headers needed.
 */
export function clientTransactionKey(msg: SipMessage): string | undefined {
  const via = getTopVia(msg);
  const cseq = getCSeq(msg);
  const branch = via?.params.get('branch');
  if (!branch || !cseq) return undefined;
  return `${branch}|${cseq.method}`;
}

/**
 * RFC 3261 §17.2.3: a request matches a server transaction by the top Via's branch and sent-by and by method, an ACK
 * matching the INVITE it acknowledges. Requests from RFC 2543 clients (no magic cookie) fall back to a key of
 * Request-URI, From tag, Call-ID, CSeq number and top Via sent-by; the To tag is left out so that an ACK for a
 * non-2xx (which carries the response's To tag) still finds its INVITE.
 */
export function serverTransactionKey(req: SipRequest, methodOverride?: string): string | undefined {
  const via = getTopVia(req);
  const cseq = getCSeq(req);
  if (!via || !cseq) return undefined;
  const method = methodOverride ?? (req.method === 'ACK' ? 'INVITE' : req.method);
  const branch = via.params.get('branch');
  if (isRfc3261Branch(branch)) return `${branch}|${sentBy(via)}|${method}`;
  return `2543|${req.uri}|${getFromTag(req) ?? ''}|${getCallId(req) ?? ''}|${cseq.seq}|${sentBy(via)}|${method}`;
}
