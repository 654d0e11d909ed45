import type { Clock, SwitchboardError } from '../../common/index.js';
import type { SipMessage, SipResponse } from '../message/index.js';

export type TransportName = 'udp' | 'tcp';

/** Where a message goes or comes from, at the transport level (RFC 3261 §18). */
export interface TransportAddress {
  transport: TransportName;
  host: string;
  port: number;
}

/**
 * Where an inbound message came from. `connectionId` names the TCP connection it arrived on, so that the response
 * can go back over that same connection (RFC 3261 §18.2.2); `localHost`/`localPort` is the address it arrived at.
 */
export interface InboundSource extends TransportAddress {
  connectionId?: number;
  localHost: string;
  localPort: number;
}

/** A send destination; `connectionId` (TCP) prefers that open connection over any other to the same peer. */
export interface SendDestination extends TransportAddress {
  connectionId?: number;
}

/** Reports a send failure that is only known after `send` returned (connect refused, socket error, closed). */
export type SendErrorHandler = (err: SwitchboardError) => void;

export interface SipTransportOptions {
  /** Bind address; a wildcard (0.0.0.0, ::) is advertised as `publicAddress` or a guessed interface address. */
  host: string;
  /** 0 picks an ephemeral port, the same one for UDP and TCP. */
  port: number;
  transports: TransportName[];
  /** Inbound messages (UDP datagrams, TCP framed messages) larger than this are dropped / close the connection. */
  maxMessageBytes: number;
  /** Host put in our Via sent-by and returned by localAddress() instead of the bound address. */
  publicAddress?: string;
  clock: Clock;
  /** A TCP connection with no traffic for this long is closed; default 300 000 ms (longer than INVITE Timer C). */
  tcpIdleTimeoutMs?: number;
}

export interface SipTransportStats {
  /** Messages handed up to onMessage. */
  received: number;
  /** Messages written to a socket (including 400/505 answers to malformed requests). */
  sent: number;
  /** Inbound messages that failed to parse (answered with 400/505 or dropped). */
  parseErrors: number;
  /** 400/505 responses sent for malformed requests. */
  badRequestsAnswered: number;
  /** UDP datagrams or TCP messages over maxMessageBytes. */
  oversizeDropped: number;
  /** Parsed messages dropped by the §18.1.2 / §18.2.1 sanity checks (e.g. a response whose Via is not ours). */
  sanityDropped: number;
  /** TCP framing errors (the connection is closed). */
  framingErrors: number;
  /** Sends that failed (synchronously or later). */
  sendErrors: number;
  /** CRLF keepalive pings answered with a pong (RFC 5626 §3.5.1). */
  keepalivesAnswered: number;
  /** TCP connections open now. */
  tcpConnections: number;
}

/**
 * What the transaction layer needs from a transport. SipTransportLayer implements it over sockets; FakeSipTransport
 * implements it in memory for the tests of the layers above.
 */
export interface SipTransport {
  /** Set by the layer above; called for every inbound message that passed the sanity checks. */
  onMessage: (msg: SipMessage, source: InboundSource) => void;
  /**
   * Sends a message. Throws SwitchboardError(SWB_ERR_SIP_TRANSPORT) when it can tell at once (not listening, transport
   * not enabled); later failures go to `onError`.
   */
  send(msg: SipMessage, dest: SendDestination, onError?: SendErrorHandler): void;
  /** Sends a response to where the request came from: RFC 3261 §18.2.2 and RFC 3581 §4, read from the top Via. */
  sendResponse(res: SipResponse, source: InboundSource, onError?: SendErrorHandler): void;
  /** The advertised address for this transport (publicAddress, or the bound address). */
  localAddress(transport: TransportName, peerHost?: string): { host: string; port: number };
}
