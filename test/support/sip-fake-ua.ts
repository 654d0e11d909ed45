/**
 * One SipUserAgent on an in-memory FakeSipTransport and a FakeClock: tests inject raw requests or responses as the
 * peer and read exactly what the UA sent, with no sockets and no real time.
 */
import { FakeClock } from '../../src/common/index.js';
import { configureLogging } from '../../src/observability/index.js';
import {
  createResponse, FakeSipTransport, parseSipMessage, serializeSipMessage, SipUserAgent, type SipMessage, type SipRequest,
  type SipResponse, type TransportAddress,
} from '../../src/sip/index.js';

configureLogging('silent');

export const PEER: TransportAddress = { transport: 'udp', host: '192.0.2.9', port: 5060 };

export interface RawRequestOptions {
  uri?: string;
  callId?: string;
  fromTag?: string;
  toTag?: string;
  cseq?: number;
  branch?: string;
  body?: string;
  contentType?: string;
  headers?: string[];
  noContact?: boolean;
}

let branchCounter = 0;

/** A request as the peer (sip:peer@192.0.2.9) would send it to the UA at 192.0.2.1. */
export function rawRequest(method: string, o: RawRequestOptions = {}): SipRequest {
  const body = o.body ?? '';
  const lines = [
    `${method} ${o.uri ?? 'sip:ivr@192.0.2.1'} SIP/2.0`,
    `Via: SIP/2.0/UDP 192.0.2.9:5060;branch=${o.branch ?? `z9hG4bKpeer${++branchCounter}`}`,
    'Max-Forwards: 70',
    `From: <sip:peer@192.0.2.9>;tag=${o.fromTag ?? 'peertag'}`,
    `To: <sip:ivr@192.0.2.1>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId ?? 'call-1@192.0.2.9'}`,
    `CSeq: ${o.cseq ?? 1} ${method}`,
    ...(o.noContact ? [] : ['Contact: <sip:peer@192.0.2.9:5060>']),
    ...(body ? [`Content-Type: ${o.contentType ?? 'application/sdp'}`] : []),
    ...(o.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return parseSipMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`)) as SipRequest;
}

/** The peer's response to a request the UA sent, round-tripped through the parser. */
export function rawResponse(request: SipRequest, status: number, toTag?: string, headers: [string, string][] = [], body?: string): SipResponse {
  const res = createResponse(request, status, undefined, {
    toTag, headers: [['Contact', '<sip:peer@192.0.2.9:5060>'], ...headers],
    body: body === undefined ? undefined : Buffer.from(body),
    contentType: body === undefined ? undefined : 'application/sdp',
  });
  return parseSipMessage(serializeSipMessage(res)) as SipResponse;
}

export class FakeUa {
  readonly clock = new FakeClock();
  readonly transport = new FakeSipTransport({ host: '192.0.2.1', port: 5060 });
  readonly ua: SipUserAgent;

  constructor(supported: string[] = []) {
    this.ua = new SipUserAgent({
      transport: this.transport, clock: this.clock, userAgent: 'fake-ua', supported, contactUser: 'ivr',
    });
  }

  async start(): Promise<this> {
    await this.ua.start();
    return this;
  }

  /** Hands `msg` to the UA as if from the peer and returns what the UA sent in reaction. */
  deliver(msg: SipMessage): SipMessage[] {
    this.transport.inject(msg, PEER);
    return this.taken();
  }

  /** What the UA sent since the last look. */
  taken(): SipMessage[] {
    return this.transport.takeSent().map((s) => s.msg);
  }
}

export function responsesOf(msgs: SipMessage[]): SipResponse[] {
  return msgs.filter((m): m is SipResponse => m.kind === 'response');
}

export function requestsOf(msgs: SipMessage[], method?: string): SipRequest[] {
  return msgs.filter((m): m is SipRequest => m.kind === 'request' && (method === undefined || m.method === method));
}
