/**
 * Building a response to a request (RFC 3261 §8.2.6.2): Via fields in order, From, To, Call-ID and CSeq are
 * copied; the To gets the UAS's tag unless it already has one.
 */
import { SipHeaders } from './headers.js';
import { SIP_REASON_PHRASES, type SipRequest, type SipResponse } from './types.js';
import type { SipParseError } from './sip-parse-error.js';
import { parseNameAddr } from './parse-name-addr.js';

export interface CreateResponseOptions {
  toTag?: string;
  /** Further header fields, appended after the copied ones. */
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
  contentType?: string;
}

export function defaultReasonPhrase(status: number): string {
  return SIP_REASON_PHRASES[status] ?? SIP_REASON_PHRASES[Math.floor(status / 100) * 100] ?? '';
}

function hasTag(to: string): boolean {
  try {
    return parseNameAddr(to).params.has('tag');
  } catch {
    return /;\s*tag\s*=/i.test(to);
  }
}

function copyCore(from: SipHeaders, toTag: string | undefined): SipHeaders {
  const headers = new SipHeaders();
  for (const via of from.getAll('Via')) headers.append('Via', via);
  const copy = (name: string): void => {
    const value = from.get(name);
    if (value === undefined) return;
    headers.append(name, name === 'To' && toTag !== undefined && !hasTag(value) ? `${value};tag=${toTag}` : value);
  };
  for (const name of ['From', 'To', 'Call-ID', 'CSeq']) copy(name);
  return headers;
}

function build(
  source: SipHeaders, status: number, reason: string | undefined, options: CreateResponseOptions,
): SipResponse {
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`bad status ${status}`);
  const headers = copyCore(source, status === 100 ? undefined : options.toTag);
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  const body = options.body ?? Buffer.alloc(0);
  if (options.contentType !== undefined) headers.set('Content-Type', options.contentType);
  return { kind: 'response', status, reason: reason ?? defaultReasonPhrase(status), headers, body };
}

/** A response to `request`; a 100 Trying never gets a To tag (§8.2.6.2). */
export function createResponse(
  request: SipRequest, status: number, reason?: string, options: CreateResponseOptions = {},
): SipResponse {
  return build(request.headers, status, reason, options);
}

/**
 * A response to a request that failed to parse, when enough was read to address it: it was a request (a
 * response is never answered), not an ACK (never answered, RFC 3261 §17), and Via, From, To, Call-ID and CSeq
 * were present.
 */
export function createResponseFromPartial(
  err: SipParseError, status: number, reason?: string, options: CreateResponseOptions = {},
): SipResponse | undefined {
  const partial = err.partial;
  if (partial?.kind !== 'request' || partial.method === 'ACK') return undefined;
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) if (!partial.headers.has(name)) return undefined;
  return build(partial.headers, status, reason, options);
}

/**
 * The error response for a request that failed to parse (see createResponseFromPartial): 400, or 505 when the
 * SIP-Version was not 2.0 (§8.2.2 via §21.5.7), or 513 when it was too large (§21.5.12).
 */
export function createBadRequestFromPartial(
  err: SipParseError, reason: string, options: CreateResponseOptions = {},
): SipResponse | undefined {
  let status = 400;
  if (err.versionNotSupported) status = 505;
  else if (err.code === 'SWB_ERR_SIP_TOO_LARGE') status = 513;
  return createResponseFromPartial(err, status, reason, options);
}
