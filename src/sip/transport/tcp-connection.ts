import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../common/index.js';
import { SipStreamFramer } from '../message/index.js';

/** What a TcpConnection reports to the transport layer that owns it. */
export interface TcpConnectionEvents {
  onMessage(conn: TcpConnection, buf: Buffer): void;
  /** The stream can no longer be framed (bad Content-Length, oversize message): the connection is being closed. */
  onFramingError(conn: TcpConnection, err: Error): void;
  /** A CRLFCRLF keepalive ping arrived (RFC 5626 §3.5.1). */
  onPing(conn: TcpConnection): void;
  onClose(conn: TcpConnection): void;
}

export interface TcpConnectionOptions {
  id: number;
  socket: Socket;
  remoteHost: string;
  remotePort: number;
  clock: Clock;
  idleTimeoutMs: number;
  maxMessageBytes: number;
  events: TcpConnectionEvents;
}

interface PendingWrite {
  done: boolean;
  onError?: (err: Error) => void;
}

/**
 * One TCP connection carrying SIP: a SipStreamFramer turns the byte stream into messages (RFC 3261 §18.3), writes
 * made while connecting are buffered by the socket, and an idle timer closes it after `idleTimeoutMs` without
 * traffic. The idle timer is re-armed lazily (one timer per idle period, not one per message).
 */
export class TcpConnection {
  readonly id: number;
  readonly remoteHost: string;
  readonly remotePort: number;
  private readonly socket: Socket;
  private readonly framer: SipStreamFramer;
  private readonly pending = new Set<PendingWrite>();
  private idleTimer?: TimerHandle;
  private lastActivityMs: number;
  private closed = false;
  private closing = false;

  constructor(private readonly options: TcpConnectionOptions) {
    this.id = options.id;
    this.remoteHost = options.remoteHost;
    this.remotePort = options.remotePort;
    this.socket = options.socket;
    this.lastActivityMs = options.clock.nowMs();
    const { events } = options;
    this.framer = new SipStreamFramer(
      {
        message: (buf) => events.onMessage(this, buf),
        ping: () => events.onPing(this),
        error: (err) => {
          events.onFramingError(this, err);
          this.close();
        },
      },
      { maxBytes: options.maxMessageBytes },
    );
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => {
      this.lastActivityMs = options.clock.nowMs();
      if (!this.isClosed) this.framer.push(chunk);
    });
    // Errors are reported through the pending writes and the close event; the listener keeps them from throwing.
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.onSocketClosed());
    this.armIdleTimer(options.idleTimeoutMs);
  }

  /** True once close() was called or the socket closed: the connection takes no more writes. */
  get isClosed(): boolean {
    return this.closed || this.closing;
  }

  write(buf: Buffer, onError?: (err: Error) => void): void {
    if (this.isClosed) {
      onError?.(new Error(`TCP connection ${this.id} is closed`));
      return;
    }
    this.lastActivityMs = this.options.clock.nowMs();
    const pending: PendingWrite = { done: false, onError };
    this.pending.add(pending);
    this.socket.write(buf, (err) => {
      if (pending.done) return;
      pending.done = true;
      this.pending.delete(pending);
      if (err) pending.onError?.(err);
    });
  }

  close(): void {
    if (this.isClosed) return;
    this.closing = true;
    this.socket.destroy();
  }

  private onSocketClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    for (const pending of this.pending) {
      if (pending.done) continue;
      pending.done = true;
      pending.onError?.(new Error(`TCP connection ${this.id} closed before the message was written`));
    }
    this.pending.clear();
    this.options.events.onClose(this);
  }

  private armIdleTimer(delayMs: number): void {
    this.idleTimer = this.options.clock.setTimer(delayMs, () => {
      const idleMs = this.options.clock.nowMs() - this.lastActivityMs;
      if (idleMs >= this.options.idleTimeoutMs) this.close();
      else this.armIdleTimer(this.options.idleTimeoutMs - idleMs);
    });
  }
}
