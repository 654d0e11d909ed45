import type { RemoteInfo, Socket as UdpSocket } from 'node:dgram';
import { connect, type Server, type Socket } from 'node:net';
import { SwitchboardError, isSwitchboardError } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import {
  SipParseError,
  createBadRequestFromPartial,
  createResponseFromPartial,
  getTopVia,
  parseSipMessage,
  serializeSipMessage,
  type SipMessage,
  type SipResponse,
} from '../message/index.js';
import {
  bindSockets,
  closeSockets,
  guessAdvertisedHost,
  isWildcard,
  localInterfaceAddresses,
} from './bind-sockets.js';
import { normalizeHost, responseDestination, stampInboundVia } from './inbound-via.js';
import { TcpConnection, type TcpConnectionEvents } from './tcp-connection.js';
import type {
  InboundSource,
  SendDestination,
  SendErrorHandler,
  SipTransport,
  SipTransportOptions,
  SipTransportStats,
  TransportName,
} from './transport-types.js';

/** Hears about every failed send, whoever asked for it (for logs and metrics). */
export type SipTransportSendErrorListener = (err: SwitchboardError, msg: SipMessage, dest: SendDestination) => void;

const DEFAULT_TCP_IDLE_TIMEOUT_MS = 300_000;
/** RFC 5626 §3.5.1: the pong for a CRLFCRLF ping is a single CRLF. */
const PONG = Buffer.from('\r\n');

/**
 * The SIP transport layer (RFC 3261 §18) over UDP and TCP: the only code touching dgram/net for SIP.
 * Inbound: parse, run the §18.1.2 / §18.2.1 checks, stamp received/rport on requests, hand up through onMessage.
 * Outbound: requests to a TransportAddress (TCP connections reused per peer or opened on demand), responses by
 * §18.2.2. Nothing inbound can throw out of a socket handler: every failure is one log line and a counter.
 */
export class SipTransportLayer implements SipTransport {
  onMessage: (msg: SipMessage, source: InboundSource) => void = () => undefined;
  onSendError: SipTransportSendErrorListener = () => undefined;

  private readonly log = logger('sip.transport');
  private readonly idleTimeoutMs: number;
  private udp?: UdpSocket;
  private tcpServer?: Server;
  private readonly connectionsById = new Map<number, TcpConnection>();
  private readonly connectionsByPeer = new Map<string, TcpConnection>();
  private readonly tcpEvents: TcpConnectionEvents;
  private nextConnectionId = 1;
  private boundPort: number;
  private advertisedHost: string;
  private readonly ourHosts = new Set<string>();
  private listening = false;
  private readonly counters: Omit<SipTransportStats, 'tcpConnections'> = {
    received: 0,
    sent: 0,
    parseErrors: 0,
    badRequestsAnswered: 0,
    oversizeDropped: 0,
    sanityDropped: 0,
    framingErrors: 0,
    sendErrors: 0,
    keepalivesAnswered: 0,
  };

  constructor(private readonly options: SipTransportOptions) {
    this.idleTimeoutMs = options.tcpIdleTimeoutMs ?? DEFAULT_TCP_IDLE_TIMEOUT_MS;
    this.boundPort = options.port;
    this.advertisedHost = options.publicAddress ?? options.host;
    this.tcpEvents = {
      onMessage: (conn, buf) => this.receive(buf, this.tcpSource(conn)),
      onFramingError: (conn, err) => {
        if (isSwitchboardError(err, 'SWB_ERR_SIP_TOO_LARGE')) this.counters.oversizeDropped++;
        else this.counters.framingErrors++;
        this.log.warn({ peer: `${conn.remoteHost}:${conn.remotePort}`, err: err.message }, 'TCP framing error; closing');
      },
      onPing: (conn) => {
        this.counters.keepalivesAnswered++;
        conn.write(PONG);
      },
      onClose: (conn) => this.forgetConnection(conn),
    };
  }

  async listen(): Promise<void> {
    if (this.listening) return;
    const { host, port, transports } = this.options;
    const bound = await bindSockets(host, port, transports, (socket) => this.accept(socket));
    this.udp = bound.udp;
    this.tcpServer = bound.tcp;
    this.boundPort = bound.port;
    this.udp?.on('message', (buf, rinfo) => this.receiveDatagram(buf, rinfo));
    this.udp?.on('error', (err) => this.log.error({ err }, 'UDP socket error'));
    this.advertisedHost = this.options.publicAddress ?? (isWildcard(host) ? guessAdvertisedHost() : host);
    for (const h of [host, this.advertisedHost, 'localhost', ...localInterfaceAddresses()]) {
      this.ourHosts.add(normalizeHost(h));
    }
    this.listening = true;
    this.log.info({ host, port: this.boundPort, transports, advertised: this.advertisedHost }, 'SIP listening');
  }

  async close(): Promise<void> {
    this.listening = false;
    for (const conn of this.connectionsById.values()) conn.close();
    const sockets = { udp: this.udp, tcp: this.tcpServer };
    this.udp = undefined;
    this.tcpServer = undefined;
    await closeSockets(sockets);
  }

  /**
   * The advertised address (publicAddress, or the bound one); UDP and TCP share the port. Bound to a wildcard with
   * no public address, a loopback peer gets a loopback address: it can always reach that one, while the guessed
   * external address may not exist where the peer runs (e.g. inside a loopback-only network namespace).
   */
  localAddress(_transport: TransportName, peerHost?: string): { host: string; port: number } {
    if (peerHost !== undefined && this.options.publicAddress === undefined && isWildcard(this.options.host)) {
      const loopback = loopbackFor(peerHost);
      if (loopback) return { host: loopback, port: this.boundPort };
    }
    return { host: this.advertisedHost, port: this.boundPort };
  }

  send(msg: SipMessage, dest: SendDestination, onError?: SendErrorHandler): void {
    if (!this.listening) throw new SwitchboardError('SWB_ERR_SIP_TRANSPORT', 'the SIP transport is not listening');
    if (!this.options.transports.includes(dest.transport)) {
      throw new SwitchboardError('SWB_ERR_SIP_TRANSPORT', `transport ${dest.transport} is not enabled`);
    }
    const buf = serializeSipMessage(msg);
    const report = (err: unknown): void => {
      this.counters.sendErrors++;
      const error = isSwitchboardError(err)
        ? err
        : new SwitchboardError('SWB_ERR_SIP_TRANSPORT', `send to ${dest.transport}:${dest.host}:${dest.port} failed`, {
            cause: err,
          });
      this.onSendError(error, msg, dest);
      onError?.(error);
    };
    this.counters.sent++;
    if (dest.transport === 'udp') this.sendDatagram(buf, dest.host, dest.port, report);
    else this.connectionFor(dest).write(buf, report);
  }

  /**
   * RFC 3261 §18.2.2: over TCP, the connection the request came on while it is open; otherwise (and for UDP) the
   * top Via's maddr / received + rport (RFC 3581 §4) / sent-by.
   */
  sendResponse(res: SipResponse, source: InboundSource, onError?: SendErrorHandler): void {
    const via = getTopVia(res);
    if (!via) throw new SwitchboardError('SWB_ERR_SIP_TRANSPORT', 'a response without Via cannot be routed');
    const { host, port } = responseDestination(via, source.transport === 'tcp');
    this.send(res, { transport: source.transport, host, port, connectionId: source.connectionId }, onError);
  }

  stats(): SipTransportStats {
    return { ...this.counters, tcpConnections: this.connectionsById.size };
  }

  private receiveDatagram(buf: Buffer, rinfo: RemoteInfo): void {
    if (buf.length > this.options.maxMessageBytes) {
      this.counters.oversizeDropped++;
      this.log.warn({ peer: `${rinfo.address}:${rinfo.port}`, bytes: buf.length }, 'oversize UDP datagram dropped');
      return;
    }
    if (isKeepalive(buf)) return;
    const local = this.localAddress('udp');
    this.receive(buf, {
      transport: 'udp',
      host: normalizeHost(rinfo.address),
      port: rinfo.port,
      localHost: local.host,
      localPort: local.port,
    });
  }

  /** Socket handlers end here: nothing may escape into the event loop. */
  private receive(buf: Buffer, source: InboundSource): void {
    try {
      this.receiveUnguarded(buf, source);
    } catch (err) {
      this.counters.parseErrors++;
      this.log.error({ err, peer: `${source.transport}:${source.host}:${source.port}` }, 'inbound SIP message failed');
    }
  }

  private receiveUnguarded(buf: Buffer, source: InboundSource): void {
    let msg: SipMessage;
    try {
      msg = parseSipMessage(buf, { maxBytes: this.options.maxMessageBytes });
    } catch (err) {
      this.rejectMalformed(err, source);
      return;
    }
    if (msg.kind === 'request') {
      // §18.2.1: received / rport (RFC 3581 §4) so that the response finds its way back.
      if (!getTopVia(msg)) return this.dropInsane(source, 'request without Via');
      stampInboundVia(msg, source.host, source.port);
    } else if (!this.isOurSentBy(msg)) {
      // §18.1.2: "If the value of the "sent-by" parameter in that header field value does not correspond to a value
      // that the client transport is configured to insert into requests, the response MUST be silently discarded."
      return this.dropInsane(source, 'response whose top Via is not ours');
    }
    this.counters.received++;
    try {
      this.onMessage(msg, source);
    } catch (err) {
      this.log.error({ err, peer: `${source.host}:${source.port}` }, 'SIP message handler threw');
    }
  }

  /**
   * A request we could read enough of is answered (RFC 3261 §8.2, §16.3): 505 for a SIP version other than 2.0
   * (§8.2.2 / §21.5.7), 416 for an unsupported URI scheme (§8.2.2.1), 513 when too large (§21.5.12), else 400.
   * Responses and unreadable requests are dropped.
   */
  private rejectMalformed(err: unknown, source: InboundSource): void {
    this.counters.parseErrors++;
    const peer = `${source.transport}:${source.host}:${source.port}`;
    const detail = err instanceof Error ? err.message : String(err);
    const local = this.localAddress(source.transport, source.host);
    const warnAgent = `${local.host.includes(':') ? `[${local.host}]` : local.host}:${local.port}`;
    const answer = err instanceof SipParseError ? answerFor(err, warnAgent) : undefined;
    if (!answer) {
      this.log.warn({ peer, reason: detail }, 'malformed SIP message dropped');
      return;
    }
    this.log.warn({ peer, reason: detail, status: answer.status }, 'malformed SIP request answered');
    try {
      stampInboundVia(answer, source.host, source.port);
      this.sendResponse(answer, source);
      this.counters.badRequestsAnswered++;
    } catch (sendErr) {
      this.counters.sendErrors++;
      this.log.debug({ err: sendErr, peer }, 'answer to a malformed request could not be sent');
    }
  }

  private dropInsane(source: InboundSource, why: string): void {
    this.counters.sanityDropped++;
    this.log.warn({ peer: `${source.transport}:${source.host}:${source.port}` }, `${why}; dropped`);
  }

  private isOurSentBy(res: SipResponse): boolean {
    const via = getTopVia(res);
    if (!via) return false;
    return (via.port ?? 5060) === this.boundPort && this.ourHosts.has(normalizeHost(via.host));
  }

  private sendDatagram(buf: Buffer, host: string, port: number, report: (err: unknown) => void): void {
    if (!this.udp) throw new SwitchboardError('SWB_ERR_SIP_TRANSPORT', 'UDP is not bound');
    this.udp.send(buf, port, normalizeHost(host), (err) => {
      if (err) report(err);
    });
  }

  private connectionFor(dest: SendDestination): TcpConnection {
    const byId = dest.connectionId === undefined ? undefined : this.connectionsById.get(dest.connectionId);
    if (byId && !byId.isClosed) return byId;
    const host = normalizeHost(dest.host);
    const byPeer = this.connectionsByPeer.get(peerKey(host, dest.port));
    if (byPeer && !byPeer.isClosed) return byPeer;
    return this.register(connect({ host, port: dest.port }), host, dest.port);
  }

  private accept(socket: Socket): void {
    if (!this.listening || socket.remoteAddress === undefined || socket.remotePort === undefined) {
      socket.destroy();
      return;
    }
    this.register(socket, normalizeHost(socket.remoteAddress), socket.remotePort);
  }

  private register(socket: Socket, remoteHost: string, remotePort: number): TcpConnection {
    const conn = new TcpConnection({
      id: this.nextConnectionId++,
      socket,
      remoteHost,
      remotePort,
      clock: this.options.clock,
      idleTimeoutMs: this.idleTimeoutMs,
      maxMessageBytes: this.options.maxMessageBytes,
      events: this.tcpEvents,
    });
    this.connectionsById.set(conn.id, conn);
    this.connectionsByPeer.set(peerKey(remoteHost, remotePort), conn);
    return conn;
  }

  private forgetConnection(conn: TcpConnection): void {
    this.connectionsById.delete(conn.id);
    const key = peerKey(conn.remoteHost, conn.remotePort);
    if (this.connectionsByPeer.get(key) === conn) this.connectionsByPeer.delete(key);
  }

  private tcpSource(conn: TcpConnection): InboundSource {
    const local = this.localAddress('tcp');
    return {
      transport: 'tcp',
      host: conn.remoteHost,
      port: conn.remotePort,
      connectionId: conn.id,
      localHost: local.host,
      localPort: local.port,
    };
  }
}

function answerFor(err: SipParseError, warnAgent: string): SipResponse | undefined {
  if (err.versionNotSupported) return createResponseFromPartial(err, 505);
  if (err.unsupportedUriScheme) return createResponseFromPartial(err, 416);
  if (err.code === 'SWB_ERR_SIP_TOO_LARGE') return createResponseFromPartial(err, 513);
  // The detail goes in a Warning (RFC 3261 §20.43, code 399 = miscellaneous), not the Reason-Phrase: peers
  // such as SIPp locate header names anywhere in the message text, so a phrase quoting "CSeq" confuses them.
  return createBadRequestFromPartial(err, 'Bad Request', {
    headers: [['Warning', `399 ${warnAgent} "${warningText(err.message)}"`]],
  });
}

/** warn-text is a quoted-string (RFC 3261 §25.1): no CR/LF or controls, and `"`/`\\` escaped. */
function warningText(text: string): string {
  let out = '';
  for (const ch of text.slice(0, 100)) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += ' ';
    else if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

function peerKey(host: string, port: number): string {
  return `${host}|${port}`;
}

/** RFC 5626 §4.4.1 style keepalives on UDP (CRLF, CRLFCRLF, NULs): ignored without counting as errors. */
function isKeepalive(buf: Buffer): boolean {
  if (buf.length > 8) return false;
  for (const b of buf) if (b !== 0x0d && b !== 0x0a && b !== 0x00 && b !== 0x20) return false;
  return true;
}

function loopbackFor(peerHost: string): string | undefined {
  const h = peerHost.replace(/^\[|\]$/g, '').toLowerCase();
  if (h.startsWith('127.') || h.startsWith('::ffff:127.')) return '127.0.0.1';
  if (h === '::1') return '::1';
  return undefined;
}
