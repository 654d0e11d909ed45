import { splitHeaderList, type SipRequest } from '../message/index.js';

/** Methods this UA core implements (the Allow header, RFC 3261 §20.5). */
export const ALLOWED_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'UPDATE', 'REFER', 'NOTIFY'] as const;

/** Methods we recognise but do not implement: 405 with Allow rather than 501 (RFC 3261 §8.2.1). */
const KNOWN_UNSUPPORTED = new Set(['REGISTER', 'SUBSCRIBE', 'PUBLISH', 'MESSAGE', 'PRACK']);

/** Body types we accept (the Accept header, RFC 3261 §20.1). */
export const ACCEPTED_CONTENT_TYPES = ['application/sdp', 'application/dtmf-relay', 'message/sipfrag'] as const;

export interface CheckFailure {
  status: number;
  reason?: string;
  headers: [string, string][];
}

/**
 * The checks of RFC 3261 §8.2 that come before any method-specific processing, in the order the RFC gives them
 * (method, then URI, then extensions). Returns the rejection to send, or undefined when the request may proceed.
 * Dialog matching (481 for a To tag we do not know) and merged-request detection need UA state and live elsewhere.
 */
export function checkInboundRequest(request: SipRequest, supported: readonly string[]): CheckFailure | undefined {
  const allow: [string, string] = ['Allow', ALLOWED_METHODS.join(', ')];
  const method = request.method;
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    // §8.2.1: a method we recognise but do not support gets 405 with Allow; an unknown one gets 501.
    if (KNOWN_UNSUPPORTED.has(method)) return { status: 405, headers: [allow] };
    return { status: 501, headers: [allow] };
  }
  // §8.2.2.1: a Request-URI scheme we do not understand gets 416.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(request.uri)?.[1].toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return { status: 416, headers: [] };
  // A request that has used up its hops is not answered normally: the Max-Forwards check of RFC 3261 §16.3
  // step 3, applied at the UA.
  const maxForwards = request.headers.get('Max-Forwards');
  if (maxForwards !== undefined && Number.parseInt(maxForwards.trim(), 10) === 0 && method !== 'ACK') {
    return { status: 483, headers: [] };
  }
  // §8.2.2.3: Require with option-tags we do not support gets 420 listing them in Unsupported. ACK and CANCEL are
  // exempt: the UAS must process them regardless.
  if (method !== 'ACK' && method !== 'CANCEL') {
    const required = request.headers.getAll('Require').flatMap((v) => splitHeaderList(v)).map((t) => t.trim());
    const unsupported = required.filter((t) => t !== '' && !supported.includes(t.toLowerCase()));
    if (unsupported.length > 0) return { status: 420, headers: [['Unsupported', unsupported.join(', ')]] };
  }
  return undefined;
}

/** The media type of a Content-Type value, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  return contentType.split(';')[0].trim().toLowerCase();
}

/** Headers describing our capabilities, for OPTIONS answers and dialog-creating responses (RFC 3261 §11.2). */
export function capabilityHeaders(supported: readonly string[]): [string, string][] {
  const headers: [string, string][] = [
    ['Allow', ALLOWED_METHODS.join(', ')],
    ['Accept', ACCEPTED_CONTENT_TYPES.join(', ')],
  ];
  if (supported.length > 0) headers.push(['Supported', supported.join(', ')]);
  return headers;
}
