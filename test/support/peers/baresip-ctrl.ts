import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Client of baresip's ctrl_tcp module: JSON objects framed as netstrings ("<len>:<json>,", len in decimal bytes).
 *   request   {"command":"dial","params":"sip:demo@127.0.0.1:5060","token":"t1"}
 *   response  {"response":true,"ok":true,"data":"...","token":"t1"}
 *   event     {"event":true,"class":"call","type":"CALL_ESTABLISHED","param":"...",...}
 * Events may arrive before the response to the command that caused them (CALL_CLOSED before "hangup" answers).
 */

export interface BaresipEvent {
  event: true;
  type: string;
  class?: string;
  param?: string;
  [key: string]: unknown;
}

export interface BaresipResponse {
  response: true;
  ok: boolean;
  data?: string;
  token?: string;
  [key: string]: unknown;
}

export function encodeNetstring(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`, 'ascii'), body, Buffer.from(',', 'ascii')]);
}

/** Incremental netstring → JSON decoder; throws on a malformed frame. */
export class NetstringDecoder {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): unknown[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: unknown[] = [];
    while (true) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) {
        if (this.buf.length > 10 || /[^0-9]/.test(this.buf.toString('latin1'))) throw new Error('netstring: bad length prefix');
        break;
      }
      const lenText = this.buf.toString('latin1', 0, colon);
      if (!/^[0-9]{1,9}$/.test(lenText)) throw new Error(`netstring: bad length prefix ${JSON.stringify(lenText)}`);
      const len = Number(lenText);
      if (this.buf.length < colon + 1 + len + 1) break;
      if (this.buf[colon + 1 + len] !== 0x2c) throw new Error('netstring: missing trailing comma');
      out.push(JSON.parse(this.buf.toString('utf8', colon + 1, colon + 1 + len)));
      this.buf = this.buf.subarray(colon + 1 + len + 1);
    }
    return out;
  }
}

export class BaresipCtrl {
  /** Every event received, in order. */
  readonly events: BaresipEvent[] = [];
  /** Events not yet consumed by waitEvent. */
  private backlog: BaresipEvent[] = [];
  private readonly responses = new Map<string, BaresipResponse>();
  private readonly decoder = new NetstringDecoder();
  private readonly listeners = new Set<() => void>();
  private nextToken = 1;
  private closed = false;
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const m of this.decoder.push(chunk)) this.accept(m);
      } catch (e) {
        this.failure = e as Error;
        socket.destroy();
      }
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', (e) => {
      this.failure ??= e;
    });
  }

  /** Connects, retrying until baresip's ctrl_tcp listens or `timeoutMs` passes. */
  static async connect(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<BaresipCtrl> {
    const until = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < until) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect({ port, host });
          s.once('connect', () => {
            s.removeListener('error', reject);
            resolve(s);
          });
          s.once('error', reject);
        });
        return new BaresipCtrl(socket);
      } catch (e) {
        last = e;
        await sleep(200);
      }
    }
    throw new Error(`cannot connect to baresip ctrl_tcp at ${host}:${port}: ${(last as Error)?.message ?? 'timeout'}`);
  }

  private accept(m: unknown): void {
    if (typeof m !== 'object' || m === null) return;
    const msg = m as Record<string, unknown>;
    if (msg.event === true && typeof msg.type === 'string') {
      const ev = msg as BaresipEvent;
      this.events.push(ev);
      this.backlog.push(ev);
    } else if (msg.response === true && typeof msg.token === 'string') {
      this.responses.set(msg.token, msg as BaresipResponse);
    }
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const v = probe();
        if (v !== undefined) {
          done();
          resolve(v);
        } else if (this.closed || this.failure) {
          done();
          reject(new Error(`ctrl_tcp connection ${this.failure ? `failed (${this.failure.message})` : 'closed'} while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timeout after ${timeoutMs} ms waiting for ${what}; events so far: ${this.events.map((e) => e.type).join(' ')}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Sends a long command (without the slash) and resolves with its response; rejects if ok is false. */
  async command(command: string, params?: string, timeoutMs = 5000): Promise<BaresipResponse> {
    const token = `t${this.nextToken++}`;
    const msg: Record<string, string> = { command, token };
    if (params !== undefined && params !== '') msg.params = params;
    this.socket.write(encodeNetstring(msg));
    const r = await this.waitFor(() => this.responses.get(token), timeoutMs, `the response to "${command}"`);
    this.responses.delete(token);
    if (r.ok === false) throw new Error(`baresip command "${command} ${params ?? ''}" failed: ${r.data ?? ''}`);
    return r;
  }

  /** The first not-yet-consumed event of `type` (one that already arrived counts); consumes it and all before it. */
  async waitEvent(type: string, timeoutMs: number): Promise<BaresipEvent> {
    return this.waitFor(() => {
      const i = this.backlog.findIndex((e) => e.type === type);
      if (i < 0) return undefined;
      const ev = this.backlog[i];
      this.backlog = this.backlog.slice(i + 1);
      return ev;
    }, timeoutMs, `event ${type}`);
  }

  dial(uri: string): Promise<BaresipResponse> {
    return this.command('dial', uri);
  }

  /** RFC 4733 digits during the call (baresip 1.0.0 cannot send SIP INFO). */
  sndcode(digits: string): Promise<BaresipResponse> {
    return this.command('sndcode', digits);
  }

  hangup(): Promise<BaresipResponse> {
    return this.command('hangup');
  }

  /** Asks baresip to exit; it may close the socket before answering, which is not an error. */
  async quit(): Promise<void> {
    if (this.closed) return;
    this.socket.write(encodeNetstring({ command: 'quit', token: `t${this.nextToken++}` }));
    await this.waitFor(() => (this.closed ? true : undefined), 2000, 'baresip to close the connection').catch(() => undefined);
    this.close();
  }

  close(): void {
    this.socket.destroy();
  }
}
