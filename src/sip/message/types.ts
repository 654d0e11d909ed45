import type { SipHeaders } from './headers.js';

/**
 * The SIP message model (RFC 3261 §7). Bodies are opaque bytes to sip/; Content-Length is recomputed on
 * serialization from `body`.
 */
export interface SipRequest {
  readonly kind: 'request';
  method: string;
  /** Request-URI as text (parse with parseUri when its parts are needed). */
  uri: string;
  headers: SipHeaders;
  body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

/** A parsed SIP or SIPS URI (RFC 3261 §19.1). Values are as written, with %-escapes decoded in user/password. */
export interface SipUri {
  scheme: 'sip' | 'sips' | 'tel';
  user?: string;
  password?: string;
  host: string;
  port?: number;
  /** uri-parameters (`;transport=tcp;lr`); a parameter without value maps to ''. Names lower-cased. */
  params: Map<string, string>;
  /** headers (`?subject=x`) */
  headers: Map<string, string>;
}

/** One Via value (RFC 3261 §20.42), e.g. `SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport`. */
export interface Via {
  protocol: string; // "SIP/2.0"
  transport: string; // upper-case: UDP, TCP, TLS, WS, WSS, SCTP
  host: string;
  port?: number;
  /** Parameters in order; `rport` with no value maps to ''. Names lower-cased. */
  params: Map<string, string>;
}

/** name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route (RFC 3261 §20). */
export interface NameAddr {
  displayName?: string;
  /** The URI text (inside <> when it was bracketed). */
  uri: string;
  /** Header parameters (`;tag=abc`, `;expires=60`); names lower-cased. */
  params: Map<string, string>;
  /** Contact: `*` */
  wildcard?: boolean;
}

export interface CSeq {
  seq: number;
  method: string;
}

export const SIP_REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying', 180: 'Ringing', 181: 'Call Is Being Forwarded', 182: 'Queued', 183: 'Session Progress',
  200: 'OK', 202: 'Accepted',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Moved Temporarily',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 413: 'Request Entity Too Large',
  415: 'Unsupported Media Type', 416: 'Unsupported URI Scheme', 420: 'Bad Extension', 421: 'Extension Required',
  422: 'Session Interval Too Small', 480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected', 483: 'Too Many Hops', 484: 'Address Incomplete', 486: 'Busy Here', 487: 'Request Terminated',
  488: 'Not Acceptable Here', 491: 'Request Pending', 500: 'Server Internal Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Server Time-out', 505: 'Version Not Supported',
  513: 'Message Too Large', 600: 'Busy Everywhere', 603: 'Decline', 604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};
