/**
 * Cuts SIP messages out of a byte stream (TCP, TLS). On a stream the header section ends at the first empty line
 * and Content-Length is mandatory: it alone tells where the body ends (RFC 3261 §18.3). CR and LF octets between
 * messages are skipped (§7.5); a double CRLF there is an RFC 5626 §3.5.1 keepalive ping, which the transport
 * answers with a single CRLF (the pong).
 *
 *   IDLE --non-CR/LF octet--> HEADERS --empty line, Content-Length read--> BODY --Content-Length octets--> IDLE
 *     ^  \--CRLFCRLF: ping                                                                  (emits message)
 *
 * Any fault (no or bad Content-Length, more than maxBytes for one message) is reported once; the framer then
 * ignores further input and holds no data, and the transport closes the connection.
 */
import { SipParseError } from './sip-parse-error.js';
import { headerKey } from './headers.js';
import { findBodyStart, parseContentLength, readHeaderSection } from './header-section.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './parse-sip-message.js';

export interface SipStreamFramerHandler {
  /** One complete message: start line, header section and exactly Content-Length octets of body. */
  message(data: Buffer): void;
  /** A CRLFCRLF keepalive between messages (RFC 5626 §3.5.1); the transport should send CRLF back. */
  ping?(): void;
  /** A framing fault; no more callbacks follow. */
  error(err: SipParseError): void;
}

export interface SipStreamFramerOptions {
  /** Largest message accepted, header section and body together. */
  maxBytes?: number;
}

const INITIAL_CAPACITY = 4096;

type FramerState = 'idle' | 'headers' | 'body' | 'failed';

export class SipStreamFramer {
  private readonly maxBytes: number;
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private state: FramerState = 'idle';
  private scanFrom = 0;
  private messageEnd = 0;
  private lineEnds = 0;

  constructor(private readonly handler: SipStreamFramerHandler, options: SipStreamFramerOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!Number.isInteger(this.maxBytes) || this.maxBytes <= 0) throw new RangeError('maxBytes must be a positive integer');
  }

  /** Octets held for a message not yet complete; never more than maxBytes. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  push(chunk: Buffer): void {
    // Slices of at most maxBytes keep the buffer under twice maxBytes even when one read is huge.
    for (let off = 0; off < chunk.length && this.state !== 'failed'; off += this.maxBytes) {
      this.append(chunk.subarray(off, off + this.maxBytes));
      this.process();
    }
  }

  private process(): void {
    for (;;) {
      if (this.state === 'idle' && !this.skipBetweenMessages()) break;
      if (this.state === 'headers' && !this.readHeaders()) break;
      if (this.state === 'body' && !this.emitBody()) break;
      if (this.state === 'failed') return;
    }
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      this.scanFrom = 0;
    }
  }

  private append(chunk: Buffer): void {
    const needed = this.end - this.start + chunk.length;
    if (this.end + chunk.length > this.buf.length) {
      if (needed <= this.buf.length) {
        this.shift();
      } else {
        const grown = Buffer.alloc(Math.max(INITIAL_CAPACITY, needed, this.buf.length * 2));
        this.buf.copy(grown, 0, this.start, this.end);
        this.buf = grown;
        this.rebase();
      }
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  private shift(): void {
    this.buf.copyWithin(0, this.start, this.end);
    this.rebase();
  }

  private rebase(): void {
    this.end -= this.start;
    this.scanFrom = Math.max(0, this.scanFrom - this.start);
    this.messageEnd -= this.start;
    this.start = 0;
  }

  /** Consumes CR/LF octets; true when a message starts. Only LF octets are counted, so bare LF pings count too. */
  private skipBetweenMessages(): boolean {
    while (this.start < this.end) {
      const c = this.buf[this.start];
      if (c !== 0x0d && c !== 0x0a) {
        this.lineEnds = 0;
        this.state = 'headers';
        this.scanFrom = this.start;
        return true;
      }
      this.start++;
      if (c === 0x0a && ++this.lineEnds === 2) {
        this.lineEnds = 0;
        this.handler.ping?.();
      }
    }
    return false;
  }

  private readHeaders(): boolean {
    const bodyStart = findBodyStart(this.buf, Math.max(this.start, this.scanFrom - 2), this.end);
    if (bodyStart < 0) {
      this.scanFrom = this.end;
      if (this.end - this.start > this.maxBytes) this.fail(this.tooLarge());
      return false;
    }
    const section = readHeaderSection(this.buf.toString('utf8', this.start, bodyStart));
    const lengths = section.fields.filter(([name]) => headerKey(name) === 'content-length').map(([, v]) => v);
    if (lengths.length === 0) return this.fail(new SipParseError('no Content-Length on a stream (RFC 3261 §18.3)'));
    if (lengths.some((v) => v !== lengths[0])) return this.fail(new SipParseError('conflicting Content-Length'));
    const length = parseContentLength(lengths[0]);
    if (length === undefined) return this.fail(new SipParseError(`bad Content-Length "${lengths[0]}"`));
    if (bodyStart - this.start + length > this.maxBytes) return this.fail(this.tooLarge());
    this.messageEnd = bodyStart + length;
    this.state = 'body';
    return true;
  }

  private emitBody(): boolean {
    if (this.end < this.messageEnd) return false;
    const message = Buffer.from(this.buf.subarray(this.start, this.messageEnd));
    this.start = this.messageEnd;
    this.state = 'idle';
    this.handler.message(message);
    return true;
  }

  private tooLarge(): SipParseError {
    return new SipParseError(`message exceeds ${this.maxBytes} bytes`, { tooLarge: true });
  }

  private fail(err: SipParseError): false {
    this.state = 'failed';
    this.buf = Buffer.alloc(0);
    this.start = 0;
    this.end = 0;
    this.handler.error(err);
    return false;
  }
}
