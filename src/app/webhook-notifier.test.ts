import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FakeClock } from '../common/index.js';
import { SqliteMessageStore } from '../store/index.js';
import { DEFAULT_WEBHOOK_BACKOFF_MS, WebhookNotifier } from './webhook-notifier.js';

const T0 = 1_700_000_000_000;

interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A webhook receiver on 127.0.0.1 answering request n (0-based) with `answer(n, res)`. */
class Receiver {
  readonly received: Received[] = [];
  private server: Server | undefined;
  private waiters: (() => void)[] = [];
  url = '';

  constructor(private readonly answer: (n: number, res: ServerResponse) => void) {}

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        for (const w of this.waiters.splice(0)) w();
        this.answer(this.received.length - 1, res);
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  }

  /** Resolves once `count` requests have arrived. */
  async arrived(count: number): Promise<void> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('WebhookNotifier', () => {
  let dir: string;
  let clock: FakeClock;
  let store: SqliteMessageStore;
  let receiver: Receiver | undefined;
  let notifier: WebhookNotifier | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-webhook-'));
    clock = new FakeClock(T0);
    store = new SqliteMessageStore({ dir, clock });
  });
  afterEach(async () => {
    await notifier?.stop();
    await receiver?.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
    notifier = undefined;
    receiver = undefined;
  });

  async function receive(answer: (n: number, res: ServerResponse) => void): Promise<Receiver> {
    receiver = new Receiver(answer);
    await receiver.listen();
    return receiver;
  }

  function requestCallback(url: string): string {
    return store.saveCallback({
      callId: 'call-1', flow: 'main', queue: 'billing', callerId: '201', number: '5551234', requestedAtMs: T0, webhook: url,
    }).id;
  }

  function start(options: { timeoutMs?: number; maxAttempts?: number } = {}): WebhookNotifier {
    notifier = new WebhookNotifier({ outbox: store.outbox, clock, ...options });
    notifier.start();
    return notifier;
  }

  it('POSTs the notification as JSON with its event header and marks it delivered', async () => {
    const hook = await receive((_n, res) => res.writeHead(204).end());
    const id = requestCallback(hook.url);
    await start().whenIdle();
    assert.equal(hook.received.length, 1);
    const [{ headers, body }] = hook.received;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-switchboard-event'], 'callback.requested');
    assert.equal(headers['x-switchboard-delivery'], '1');
    assert.deepEqual(body, {
      event: 'callback.requested', id, callId: 'call-1', flow: 'main', queue: 'billing', callerId: '201', number: '5551234',
      requestedAt: new Date(T0).toISOString(),
    });
    const row = store.outbox.get(1);
    assert.equal(row?.state, 'delivered');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.deliveredAtMs, T0);
  });

  it('retries after a 500 on the backoff schedule, then delivers', async () => {
    const hook = await receive((n, res) => res.writeHead(n === 0 ? 500 : 200).end('ok'));
    requestCallback(hook.url);
    const n = start();
    await n.whenIdle();
    let row = store.outbox.get(1);
    assert.equal(row?.state, 'pending');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lastError, 'HTTP 500');
    assert.equal(row?.nextAttemptAtMs, T0 + DEFAULT_WEBHOOK_BACKOFF_MS[0]);
    clock.advance(DEFAULT_WEBHOOK_BACKOFF_MS[0] - 1);
    await n.whenIdle();
    assert.equal(hook.received.length, 1, 'not before the retry is due');
    clock.advance(1);
    await hook.arrived(2);
    await n.whenIdle();
    row = store.outbox.get(1);
    assert.equal(row?.state, 'delivered');
    assert.equal(row?.attempts, 2);
    assert.equal(hook.received[1].headers['x-switchboard-delivery'], '1', 'a retry carries the same delivery id');
  });

  it('ends an attempt that gets no response after timeoutMs and schedules a retry', async () => {
    const hook = await receive(() => {});
    requestCallback(hook.url);
    const n = start({ timeoutMs: 5000 });
    await hook.arrived(1);
    clock.advance(4999);
    assert.equal(store.outbox.get(1)?.attempts, 0);
    clock.advance(1);
    await n.whenIdle();
    const row = store.outbox.get(1);
    assert.equal(row?.state, 'pending');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lastError, 'no response within 5000 ms');
    assert.equal(row?.nextAttemptAtMs, T0 + 5000 + DEFAULT_WEBHOOK_BACKOFF_MS[0]);
  });

  it('gives up after maxAttempts with the last error, waiting longer each time', async () => {
    const hook = await receive((_n, res) => res.writeHead(503).end());
    requestCallback(hook.url);
    const n = start({ maxAttempts: 10 });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      await hook.arrived(attempt);
      await n.whenIdle();
      const row = store.outbox.get(1);
      assert.equal(row?.attempts, attempt);
      if (row?.state === 'failed') break;
      waits.push((row?.nextAttemptAtMs ?? 0) - clock.wallMs());
      clock.advance(waits[waits.length - 1]);
    }
    assert.deepEqual(waits, [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 3_600_000, 3_600_000]);
    const row = store.outbox.get(1);
    assert.equal(row?.state, 'failed');
    assert.equal(row?.lastError, 'HTTP 503');
    clock.advance(24 * 3_600_000);
    await n.whenIdle();
    assert.equal(hook.received.length, 10);
  });

  it('fails a URL it cannot POST to without retrying', async () => {
    store.outbox.enqueue('ftp://files.example/hook', { event: 'voicemail.saved' }, T0);
    await start().whenIdle();
    const row = store.outbox.get(1);
    assert.equal(row?.state, 'failed');
    assert.equal(row?.attempts, 1);
    assert.match(row?.lastError ?? '', /scheme 'ftp:'/);
  });

  it('delivers a notification left pending by a run that stopped before it went out', async () => {
    const hook = await receive((_n, res) => res.writeHead(200).end());
    requestCallback(hook.url);
    store.close();
    store = new SqliteMessageStore({ dir, clock });
    assert.equal(store.outbox.get(1)?.state, 'pending');
    await start().whenIdle();
    assert.equal(hook.received.length, 1);
    assert.equal(store.outbox.get(1)?.state, 'delivered');
  });

  it('stop() abandons a delivery in flight unrecorded, so the next start sends it again', async () => {
    const hook = await receive((n, res) => {
      if (n > 0) res.writeHead(200).end();
    });
    requestCallback(hook.url);
    const first = start();
    await hook.arrived(1);
    await first.stop();
    const row = store.outbox.get(1);
    assert.equal(row?.state, 'pending');
    assert.equal(row?.attempts, 0);
    assert.equal(row?.lastError, undefined);
    assert.equal(clock.pendingTimers(), 0, 'no timer outlives stop()');
    await start().whenIdle();
    assert.equal(hook.received.length, 2);
    assert.equal(store.outbox.get(1)?.state, 'delivered');
  });

  it('picks up a notification queued while idle when woken', async () => {
    const hook = await receive((_n, res) => res.writeHead(200).end());
    const n = start();
    await n.whenIdle();
    requestCallback(hook.url);
    n.wake();
    await n.whenIdle();
    assert.equal(store.outbox.get(1)?.state, 'delivered');
  });
});
