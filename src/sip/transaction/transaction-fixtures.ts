import { FakeClock } from '../../common/index.js';
import { SipHeaders, createResponse, type SipRequest, type SipResponse } from '../message/index.js';
import { FakeSipTransport, type InboundSource, type TransportAddress } from '../transport/index.js';
import { TransactionLayer } from './transaction-layer.js';
import type {
  ClientTransactionHandlers,
  ServerTransaction,
  TransactionTimers,
  TransactionUser,
} from './transaction-types.js';

/** Shared by the transaction tests: message builders, a recording TU and recording client handlers. */

export const PEER_UDP: TransportAddress = { transport: 'udp', host: '192.0.2.2', port: 5060 };
export const PEER_TCP: TransportAddress = { transport: 'tcp', host: '192.0.2.2', port: 5060 };

export interface RequestOptions {
  branch?: string;
  transport?: 'UDP' | 'TCP';
  cseq?: number;
  callId?: string;
  toTag?: string;
  /** Leave the Via out (the transaction layer adds one). */
  noVia?: boolean;
}

export function makeRequest(method: string, options: RequestOptions = {}): SipRequest {
  const headers = new SipHeaders();
  if (!options.noVia) {
    headers.append('Via', `SIP/2.0/${options.transport ?? 'UDP'} 192.0.2.2:5060;branch=${options.branch ?? 'z9hG4bKaaa'}`);
  }
  headers.append('Max-Forwards', '70');
  headers.append('From', '<sip:alice@example.com>;tag=from1');
  headers.append('To', `<sip:ivr@example.com>${options.toTag ? `;tag=${options.toTag}` : ''}`);
  headers.append('Call-ID', options.callId ?? 'call-1@example.com');
  headers.append('CSeq', `${options.cseq ?? 1} ${method}`);
  headers.append('Contact', '<sip:alice@192.0.2.2:5060>');
  return { kind: 'request', method, uri: 'sip:ivr@example.com', headers, body: Buffer.alloc(0) };
}

export function makeResponse(request: SipRequest, status: number, toTag = 'to1'): SipResponse {
  return createResponse(request, status, undefined, status === 100 ? {} : { toTag });
}

export interface ServerEvent {
  tx: ServerTransaction;
  request: SipRequest;
  source: InboundSource;
}

export class RecordingUser implements TransactionUser {
  readonly requests: ServerEvent[] = [];
  readonly acks: SipRequest[] = [];
  readonly stray2xx: SipResponse[] = [];
  /** Runs inside onRequest, e.g. to answer at once. */
  whenRequest?: (tx: ServerTransaction, request: SipRequest) => void;

  onRequest(tx: ServerTransaction, request: SipRequest, source: InboundSource): void {
    this.requests.push({ tx, request, source });
    this.whenRequest?.(tx, request);
  }
  onAck(ack: SipRequest): void {
    this.acks.push(ack);
  }
  onStray2xx(response: SipResponse): void {
    this.stray2xx.push(response);
  }
}

export interface RecordingHandlers extends ClientTransactionHandlers {
  readonly events: string[];
  readonly finals: SipResponse[];
  readonly retransmitted2xx: SipResponse[];
}

export function recordingHandlers(options: { with2xxHandler?: boolean } = {}): RecordingHandlers {
  const events: string[] = [];
  const finals: SipResponse[] = [];
  const retransmitted2xx: SipResponse[] = [];
  const handlers: RecordingHandlers = {
    events,
    finals,
    retransmitted2xx,
    onProvisional: (res) => events.push(`provisional ${res.status}`),
    onFinal: (res) => {
      events.push(`final ${res.status}`);
      finals.push(res);
    },
    onTimeout: () => events.push('timeout'),
    onTransportError: (err) => events.push(`transport error: ${err.message}`),
  };
  if (options.with2xxHandler) {
    handlers.onRetransmitted2xx = (res) => {
      events.push(`retransmitted ${res.status}`);
      retransmitted2xx.push(res);
    };
  }
  return handlers;
}

export interface Harness {
  clock: FakeClock;
  transport: FakeSipTransport;
  user: RecordingUser;
  layer: TransactionLayer;
}

export function harness(timers?: Partial<TransactionTimers>): Harness {
  const clock = new FakeClock();
  const transport = new FakeSipTransport({ host: '192.0.2.1', port: 5060 });
  const user = new RecordingUser();
  const layer = new TransactionLayer(transport, clock, user, timers);
  return { clock, transport, user, layer };
}

/** The times (ms on the fake clock) at which something was sent, sampled by advancing `stepMs` at a time. */
export function sendTimes(h: Harness, untilMs: number, stepMs = 50): number[] {
  const times: number[] = [];
  let seen = h.transport.sent.length;
  const start = h.clock.nowMs();
  while (h.clock.nowMs() - start < untilMs) {
    h.clock.advance(stepMs);
    for (; seen < h.transport.sent.length; seen++) times.push(h.clock.nowMs());
  }
  return times;
}
