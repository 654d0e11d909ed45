import { SwitchboardError } from '../../common/index.js';
import {
  getTopVia,
  parseSipMessage,
  serializeSipMessage,
  type SipMessage,
  type SipResponse,
} from '../message/index.js';
import { responseDestination, stampInboundVia } from './inbound-via.js';
import type {
  InboundSource,
  SendDestination,
  SendErrorHandler,
  SipTransport,
  TransportAddress,
  TransportName,
} from './transport-types.js';

export interface FakeSentMessage {
  msg: SipMessage;
  dest: SendDestination;
}

/**
 * An in-memory SipTransport for the tests of the layers above (transaction, dialog, UA): every send is recorded in
 * `sent`; with `FakeSipTransport.link(a, b)` two fakes form a wire whose messages wait in a queue until `flush()`,
 * so tests read like a ladder diagram. Messages cross the wire serialized and re-parsed, as on a real network, and
 * requests get received/rport stamped as SipTransportLayer does.
 */
export class FakeSipTransport implements SipTransport {
  onMessage: (msg: SipMessage, source: InboundSource) => void = () => undefined;
  readonly sent: FakeSentMessage[] = [];
  /** When set, send() throws it (a synchronous transport failure). */
  throwOnSend?: SwitchboardError;
  /** When set, send() reports it through onError (a failure known only after sending). */
  failOnSend?: SwitchboardError;
  /** Returns false for a message to lose it on the wire (it is still recorded in `sent`). */
  deliverFilter: (msg: SipMessage) => boolean = () => true;
  private peer?: FakeSipTransport;
  private wire: Array<{ to: FakeSipTransport; bytes: Buffer; source: InboundSource }> = [];

  constructor(readonly local: { host: string; port: number } = { host: '192.0.2.1', port: 5060 }) {}

  /** Connects two fakes back to back; they share one queue, drained by flush() on either. */
  static link(a: FakeSipTransport, b: FakeSipTransport): void {
    a.peer = b;
    b.peer = a;
    b.wire = a.wire;
  }

  send(msg: SipMessage, dest: SendDestination, onError?: SendErrorHandler): void {
    if (this.throwOnSend) throw this.throwOnSend;
    this.sent.push({ msg, dest });
    if (this.failOnSend) {
      onError?.(this.failOnSend);
      return;
    }
    if (this.peer && this.deliverFilter(msg)) this.enqueue(msg, dest.transport);
  }

  sendResponse(res: SipResponse, source: InboundSource, onError?: SendErrorHandler): void {
    const via = getTopVia(res);
    if (!via) throw new SwitchboardError('SWB_ERR_SIP_TRANSPORT', 'a response without Via cannot be routed');
    const { host, port } = responseDestination(via, source.transport === 'tcp');
    this.send(res, { transport: source.transport, host, port, connectionId: source.connectionId }, onError);
  }

  localAddress(_transport: TransportName): { host: string; port: number } {
    return this.local;
  }

  /** Hands a message to the layer above as if it had arrived from `from`. */
  inject(msg: SipMessage, from: TransportAddress & { connectionId?: number }): void {
    const source: InboundSource = { ...from, localHost: this.local.host, localPort: this.local.port };
    if (msg.kind === 'request') stampInboundVia(msg, from.host, from.port);
    this.onMessage(msg, source);
  }

  /** Delivers queued messages (including those sent while delivering) until the wire is quiet; returns how many. */
  flush(): number {
    let delivered = 0;
    const queue = this.wire;
    for (let next = queue.shift(); next; next = queue.shift()) {
      delivered++;
      const msg = parseSipMessage(next.bytes, { maxBytes: Number.MAX_SAFE_INTEGER });
      if (msg.kind === 'request') stampInboundVia(msg, next.source.host, next.source.port);
      next.to.onMessage(msg, next.source);
    }
    return delivered;
  }

  /** Returns and forgets what was sent so far. */
  takeSent(): FakeSentMessage[] {
    return this.sent.splice(0, this.sent.length);
  }

  private enqueue(msg: SipMessage, transport: TransportName): void {
    const to = this.peer as FakeSipTransport;
    this.wire.push({
      to,
      bytes: serializeSipMessage(msg),
      source: {
        transport,
        host: this.local.host,
        port: this.local.port,
        connectionId: transport === 'tcp' ? 1 : undefined,
        localHost: to.local.host,
        localPort: to.local.port,
      },
    });
  }
}
