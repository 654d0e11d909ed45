import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { FakeClock, isSwitchboardError, type SwitchboardError } from '../../common/index.js';
import {
  SipStreamFramer,
  createResponse,
  getTopVia,
  parseSipMessage,
  serializeSipMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../message/index.js';
import { SipTransportLayer } from './sip-transport-layer.js';
import type { InboundSource } from './transport-types.js';

/** Real sockets on 127.0.0.1, ephemeral ports; no real waiting beyond socket round trips (each test is bounded). */

const MAX_BYTES = 4096;
const IDLE_MS = 60_000;

class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: Array<(item: T) => void> = [];
  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }
  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

interface Inbound {
  msg: SipMessage;
  source: InboundSource;
}

const open: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const close of open.splice(0)) await close();
});

async function startLayer(): Promise<{ layer: SipTransportLayer; inbox: Inbox<Inbound>; clock: FakeClock }> {
  const clock = new FakeClock();
  const layer = new SipTransportLayer({
    host: '127.0.0.1',
    port: 0,
    transports: ['udp', 'tcp'],
    maxMessageBytes: MAX_BYTES,
    clock,
    tcpIdleTimeoutMs: IDLE_MS,
  });
  const inbox = new Inbox<Inbound>();
  layer.onMessage = (msg, source) => inbox.push({ msg, source });
  await layer.listen();
  open.push(() => layer.close());
  return { layer, inbox, clock };
}

async function rawUdp(): Promise<{ socket: UdpSocket; inbox: Inbox<string>; port: number }> {
  const socket = createSocket('udp4');
  const inbox = new Inbox<string>();
  socket.on('message', (buf) => inbox.push(buf.toString('latin1')));
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  open.push(() => {
    socket.close();
  });
  return { socket, inbox, port: socket.address().port };
}

async function rawTcp(port: number): Promise<{ socket: Socket; inbox: Inbox<SipMessage>; pongs: Inbox<string> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  const inbox = new Inbox<SipMessage>();
  const pongs = new Inbox<string>();
  const framer = new SipStreamFramer({
    message: (buf) => inbox.push(parseSipMessage(buf)),
    error: (err) => assert.fail(err),
  });
  socket.on('data', (chunk: Buffer) => {
    if (chunk.toString('latin1') === '\r\n') pongs.push('pong');
    else framer.push(chunk);
  });
  open.push(() => {
    socket.destroy();
  });
  return { socket, inbox, pongs };
}

function requestText(method: string, via: string, options: { cseq?: string; version?: string; body?: string } = {}): string {
  const body = options.body ?? '';
  return [
    `${method} sip:ivr@127.0.0.1 ${options.version ?? 'SIP/2.0'}`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    'From: <sip:alice@example.com>;tag=a1',
    'To: <sip:ivr@example.com>',
    `Call-ID: ${method.toLowerCase()}-${via.length}@example.com`,
    `CSeq: ${options.cseq ?? `1 ${method}`}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function sendUdp(socket: UdpSocket, port: number, data: string | Buffer): void {
  socket.send(typeof data === 'string' ? Buffer.from(data) : data, port, '127.0.0.1');
}

describe('SipTransportLayer over UDP (real sockets on 127.0.0.1)', { timeout: 10_000 }, () => {
  it('stamps received and rport on the top Via and routes the response to received:rport (§18.2.1, RFC 3581)', async () => {
    const { layer, inbox } = await startLayer();
    const raw = await rawUdp();
    const { port } = layer.localAddress('udp');
    sendUdp(raw.socket, port, requestText('OPTIONS', 'SIP/2.0/UDP 192.0.2.9:5099;branch=z9hG4bKu1;rport'));
    const { msg, source } = await inbox.next();
    const via = getTopVia(msg);
    assert.equal(via?.params.get('received'), '127.0.0.1');
    assert.equal(via?.params.get('rport'), String(raw.port));
    assert.deepEqual(
      { transport: source.transport, host: source.host, port: source.port },
      { transport: 'udp', host: '127.0.0.1', port: raw.port },
    );
    layer.sendResponse(createResponse(msg as SipRequest, 200, undefined, { toTag: 't1' }), source);
    const answer = parseSipMessage(Buffer.from(await raw.inbox.next(), 'latin1')) as SipResponse;
    assert.equal(answer.status, 200);
    assert.equal(getTopVia(answer)?.params.get('rport'), String(raw.port));
    assert.equal(layer.stats().received, 1);
    assert.equal(layer.stats().sent, 1);
  });

  it('carries a request and its response between two layers, and drops a response whose Via is not ours', async () => {
    const a = await startLayer();
    const b = await startLayer();
    const aAddr = a.layer.localAddress('udp');
    const bAddr = b.layer.localAddress('udp');
    assert.equal(aAddr.host, '127.0.0.1');
    const options = parseSipMessage(
      Buffer.from(requestText('OPTIONS', `SIP/2.0/UDP ${aAddr.host}:${aAddr.port};branch=z9hG4bKab1;rport`)),
    );
    a.layer.send(options, { transport: 'udp', ...bAddr });
    const atB = await b.inbox.next();
    assert.equal((atB.msg as SipRequest).method, 'OPTIONS');
    assert.equal(getTopVia(atB.msg)?.params.has('received'), true, 'rport forces received (RFC 3581 §4)');

    const raw = await rawUdp();
    const foreign = createResponse(atB.msg as SipRequest, 200, undefined, { toTag: 'x' });
    foreign.headers.set('Via', 'SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKab1');
    raw.socket.send(serializeSipMessage(foreign), aAddr.port, '127.0.0.1');
    b.layer.sendResponse(createResponse(atB.msg as SipRequest, 200, undefined, { toTag: 'b1' }), atB.source);
    const atA = await a.inbox.next();
    assert.equal((atA.msg as SipResponse).status, 200);
    assert.equal(a.layer.stats().received, 1);
    // The foreign response may arrive before or after the good one; wait until the layer has judged it.
    while (a.layer.stats().sanityDropped === 0) await new Promise((r) => setImmediate(r));
    assert.equal(a.layer.stats().sanityDropped, 1);
    assert.equal(a.layer.stats().received, 1);
  });

  it('drops garbage, oversize datagrams and keepalives while good datagrams keep working', async () => {
    const { layer, inbox } = await startLayer();
    const raw = await rawUdp();
    const { port } = layer.localAddress('udp');
    sendUdp(raw.socket, port, Buffer.from([0xff, 0x00, 0x13, 0x37, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85]));
    sendUdp(raw.socket, port, 'hello there\r\n\r\n');
    sendUdp(raw.socket, port, 'SIP/2.0 abc Broken\r\nVia: nonsense\r\n\r\n');
    sendUdp(raw.socket, port, '\r\n\r\n');
    sendUdp(raw.socket, port, requestText('MESSAGE', 'SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKbig', { body: 'x'.repeat(MAX_BYTES) }));
    sendUdp(raw.socket, port, requestText('OPTIONS', 'SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKgood'));
    const { msg } = await inbox.next();
    assert.equal((msg as SipRequest).method, 'OPTIONS');
    const stats = layer.stats();
    assert.equal(stats.parseErrors, 3);
    assert.equal(stats.oversizeDropped, 1);
    assert.equal(stats.badRequestsAnswered, 0);
    assert.equal(stats.received, 1);
  });

  it('answers a malformed request whose headers are readable with 400, and a wrong SIP version with 505', async () => {
    const { layer } = await startLayer();
    const raw = await rawUdp();
    const { port } = layer.localAddress('udp');
    sendUdp(raw.socket, port, requestText('INVITE', 'SIP/2.0/UDP 192.0.2.9:5099;branch=z9hG4bKbad;rport', { cseq: '1 OPTIONS' }));
    const bad = parseSipMessage(Buffer.from(await raw.inbox.next(), 'latin1')) as SipResponse;
    assert.equal(bad.status, 400);
    assert.equal(getTopVia(bad)?.params.get('branch'), 'z9hG4bKbad');
    sendUdp(raw.socket, port, requestText('OPTIONS', 'SIP/2.0/UDP 192.0.2.9:5099;branch=z9hG4bKv3;rport', { version: 'SIP/3.0' }));
    const version = parseSipMessage(Buffer.from(await raw.inbox.next(), 'latin1')) as SipResponse;
    assert.equal(version.status, 505);
    assert.equal(layer.stats().parseErrors, 2);
    assert.equal(layer.stats().badRequestsAnswered, 2);
  });

  it('refuses to send before listen()', () => {
    const layer = new SipTransportLayer({ host: '127.0.0.1', port: 0, transports: ['udp'], maxMessageBytes: MAX_BYTES, clock: new FakeClock() });
    const msg = parseSipMessage(Buffer.from(requestText('OPTIONS', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx')));
    assert.throws(() => layer.send(msg, { transport: 'udp', host: '127.0.0.1', port: 9 }), (err) => isSwitchboardError(err, 'SWB_ERR_SIP_TRANSPORT'));
  });
});

describe('SipTransportLayer over TCP (real sockets on 127.0.0.1)', { timeout: 10_000 }, () => {
  it('frames pipelined messages and partial writes, and answers on the same connection', async () => {
    const { layer, inbox } = await startLayer();
    const client = await rawTcp(layer.localAddress('tcp').port);
    const m1 = requestText('OPTIONS', 'SIP/2.0/TCP 192.0.2.9:5099;branch=z9hG4bKt1');
    const m2 = requestText('MESSAGE', 'SIP/2.0/TCP 192.0.2.9:5099;branch=z9hG4bKt2', { body: 'hello, world' });
    const m3 = requestText('INFO', 'SIP/2.0/TCP 192.0.2.9:5099;branch=z9hG4bKt3', { body: 'Signal=5\r\nDuration=160\r\n' });
    client.socket.write(m1 + m2 + m3.slice(0, 40));
    const first = await inbox.next();
    const second = await inbox.next();
    client.socket.write(m3.slice(40, 120));
    client.socket.write(m3.slice(120));
    const third = await inbox.next();
    assert.deepEqual([first, second, third].map((x) => (x.msg as SipRequest).method), ['OPTIONS', 'MESSAGE', 'INFO']);
    assert.equal(second.msg.body.toString(), 'hello, world');
    assert.equal(third.msg.body.toString(), 'Signal=5\r\nDuration=160\r\n');
    assert.equal(getTopVia(first.msg)?.params.get('received'), '127.0.0.1');
    assert.ok(first.source.connectionId !== undefined);
    assert.equal(third.source.connectionId, first.source.connectionId);
    for (const x of [first, second, third]) {
      layer.sendResponse(createResponse(x.msg as SipRequest, 200, undefined, { toTag: 'tt' }), x.source);
    }
    const answers = [await client.inbox.next(), await client.inbox.next(), await client.inbox.next()];
    assert.deepEqual(answers.map((r) => getTopVia(r)?.params.get('branch')), ['z9hG4bKt1', 'z9hG4bKt2', 'z9hG4bKt3']);
    assert.equal(layer.stats().tcpConnections, 1);
  });

  it('answers a CRLFCRLF keepalive ping with CRLF (RFC 5626 §3.5.1)', async () => {
    const { layer } = await startLayer();
    const client = await rawTcp(layer.localAddress('tcp').port);
    client.socket.write('\r\n\r\n');
    assert.equal(await client.pongs.next(), 'pong');
    assert.equal(layer.stats().keepalivesAnswered, 1);
  });

  it('connects on demand, reuses the connection for the next request, and gets responses back over it', async () => {
    const a = await startLayer();
    const b = await startLayer();
    const aAddr = a.layer.localAddress('tcp');
    const dest = { transport: 'tcp' as const, ...b.layer.localAddress('tcp') };
    const sources: InboundSource[] = [];
    for (const branch of ['z9hG4bKc1', 'z9hG4bKc2']) {
      const req = parseSipMessage(Buffer.from(requestText('OPTIONS', `SIP/2.0/TCP ${aAddr.host}:${aAddr.port};branch=${branch}`)));
      a.layer.send(req, dest);
      const atB = await b.inbox.next();
      sources.push(atB.source);
      b.layer.sendResponse(createResponse(atB.msg as SipRequest, 200, undefined, { toTag: 'r' }), atB.source);
      const atA = await a.inbox.next();
      assert.equal(getTopVia(atA.msg)?.params.get('branch'), branch);
      assert.equal(atA.source.transport, 'tcp');
    }
    assert.equal(sources[0].connectionId, sources[1].connectionId);
    assert.equal(a.layer.stats().tcpConnections, 1);
    assert.equal(b.layer.stats().tcpConnections, 1);
  });

  it('closes the connection on an oversize message, and an idle connection after tcpIdleTimeoutMs', async () => {
    const { layer, clock } = await startLayer();
    const big = await rawTcp(layer.localAddress('tcp').port);
    big.socket.write(requestText('MESSAGE', 'SIP/2.0/TCP 192.0.2.9:5099;branch=z9hG4bKbig', { body: 'y'.repeat(MAX_BYTES + 10) }));
    await once(big.socket, 'close');
    assert.equal(layer.stats().oversizeDropped, 1);

    const idle = await rawTcp(layer.localAddress('tcp').port);
    while (layer.stats().tcpConnections === 0) await new Promise((r) => setImmediate(r));
    clock.advance(IDLE_MS - 1);
    assert.equal(idle.socket.destroyed, false);
    const closed = once(idle.socket, 'close');
    clock.advance(1);
    await closed;
    while (layer.stats().tcpConnections !== 0) await new Promise((r) => setImmediate(r));
  });

  it('reports a refused connection through onError and onSendError', async () => {
    const { layer } = await startLayer();
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const deadPort = typeof address === 'object' && address ? address.port : 0;
    await new Promise((r) => server.close(r));
    const seen: SwitchboardError[] = [];
    layer.onSendError = (err) => seen.push(err);
    const req = parseSipMessage(Buffer.from(requestText('OPTIONS', 'SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKdead')));
    const failed = new Promise<SwitchboardError>((resolve) => {
      layer.send(req, { transport: 'tcp', host: '127.0.0.1', port: deadPort }, resolve);
    });
    const err = await failed;
    assert.equal(err.code, 'SWB_ERR_SIP_TRANSPORT');
    assert.equal(seen.length, 1);
    assert.equal(layer.stats().sendErrors, 1);
  });
});
