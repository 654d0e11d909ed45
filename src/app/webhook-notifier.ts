import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock, TimerHandle } from '../common/index.js';
import type { SqliteWebhookOutbox, WebhookDelivery } from '../store/index.js';

/** What the notifier needs of the outbox; SqliteWebhookOutbox fits. */
export type WebhookOutboxPort = Pick<SqliteWebhookOutbox, 'due' | 'nextDueAtMs' | 'markDelivered' | 'markAttemptFailed'>;

export interface WebhookNotifierLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Waits after the 1st, 2nd, … failed attempt; the last value repeats. */
export const DEFAULT_WEBHOOK_BACKOFF_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

export interface WebhookNotifierOptions {
  outbox: WebhookOutboxPort;
  clock: Clock;
  log?: WebhookNotifierLogger;
  /** One attempt, from connect to the end of the response; default 10 s. */
  timeoutMs?: number;
  backoffMs?: readonly number[];
  /** Attempts before a notification is given up (state failed); default 10, about 4 h with the default backoff. */
  maxAttempts?: number;
  /** Deliveries in flight at once; default 4. */
  concurrency?: number;
  /** Longest sleep between outbox reads, so rows queued by another process or a wall-clock jump are not stranded. */
  maxIdleMs?: number;
}

const silent: WebhookNotifierLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** A failure that retrying cannot fix (a URL this notifier cannot POST to). */
class PermanentFailure extends Error {}

interface InFlight {
  done: Promise<void>;
  abort(): void;
}

/**
 * Delivers the webhook outbox: POSTs each pending notification's JSON with `X-Switchboard-Event` (the event name)
 * and `X-Switchboard-Delivery` (the outbox id, the same on every retry, for the receiver to drop duplicates). A 2xx
 * answer delivers it; anything else is retried with backoff until maxAttempts, then marked failed with the last
 * error. Delivery is at least once: the schedule lives in the outbox rows (wall-clock times), so a restart resumes
 * it, and a delivery cut short by a crash or stop() is sent again.
 */
export class WebhookNotifier {
  private readonly outbox: WebhookOutboxPort;
  private readonly clock: Clock;
  private readonly log: WebhookNotifierLogger;
  private readonly timeoutMs: number;
  private readonly backoffMs: readonly number[];
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private readonly maxIdleMs: number;
  private readonly inFlight = new Map<number, InFlight>();
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(options: WebhookNotifierOptions) {
    this.outbox = options.outbox;
    this.clock = options.clock;
    this.log = options.log ?? silent;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.backoffMs = options.backoffMs ?? DEFAULT_WEBHOOK_BACKOFF_MS;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.concurrency = options.concurrency ?? 4;
    this.maxIdleMs = options.maxIdleMs ?? 60_000;
    if (this.backoffMs.length === 0) throw new RangeError('backoffMs needs at least one delay');
  }

  /** Starts delivering, beginning with whatever the outbox holds (rows left pending by an earlier run included). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.poll();
  }

  /** Looks at the outbox now: call after queueing a notification. */
  wake(): void {
    if (this.running) this.poll();
  }

  /** Resolves when no delivery is in flight (tests; orderly shutdown). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()].map((f) => f.done));
  }

  /** Stops the schedule and abandons deliveries in flight; they stay pending, unrecorded, for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    for (const f of this.inFlight.values()) f.abort();
    await this.whenIdle();
  }

  private poll(): void {
    if (!this.running) return;
    this.timer?.cancel();
    this.timer = undefined;
    const now = this.clock.wallMs();
    let wakeAt = now + this.maxIdleMs;
    try {
      const free = this.concurrency - this.inFlight.size;
      if (free > 0) {
        // Rows in flight are still pending and due: ask for enough to see past them.
        const due = this.outbox.due(now, free + this.inFlight.size).filter((d) => !this.inFlight.has(d.id));
        for (const d of due.slice(0, free)) this.deliver(d);
      }
      // A full pipeline re-polls as each delivery settles; otherwise nothing due now is left unstarted.
      if (this.inFlight.size >= this.concurrency) return;
      const next = this.outbox.nextDueAtMs(now);
      if (next !== undefined) wakeAt = Math.min(wakeAt, next);
    } catch (err) {
      this.log.error({ err }, 'cannot read the webhook outbox; trying again later');
      wakeAt = now + this.backoffMs[0];
    }
    this.timer = this.clock.setTimer(wakeAt - now, () => this.poll());
  }

  private deliver(d: WebhookDelivery): void {
    let abort = (): void => {};
    const sent = this.post(d, (fn) => { abort = fn; });
    const done = sent
      .then((status) => (status >= 200 && status < 300 ? undefined : new Error(`HTTP ${status}`)), (e: unknown) => (e instanceof Error ? e : new Error(String(e))))
      .then((error) => this.settle(d, error))
      .finally(() => {
        this.inFlight.delete(d.id);
        this.poll();
      });
    this.inFlight.set(d.id, { done, abort: () => abort() });
  }

  private settle(d: WebhookDelivery, error: Error | undefined): void {
    if (!this.running) return;
    const attempts = d.attempts + 1;
    const at = { id: d.id, event: d.event, url: d.url, attempts };
    try {
      if (!error) {
        this.outbox.markDelivered(d.id, this.clock.wallMs());
        this.log.info(at, 'webhook delivered');
      } else if (error instanceof PermanentFailure || attempts >= this.maxAttempts) {
        this.outbox.markAttemptFailed(d.id, { error: error.message });
        this.log.error({ ...at, error: error.message }, 'webhook given up');
      } else {
        const retryInMs = this.backoffMs[Math.min(attempts - 1, this.backoffMs.length - 1)];
        this.outbox.markAttemptFailed(d.id, { error: error.message, retryAtMs: this.clock.wallMs() + retryInMs });
        this.log.warn({ ...at, error: error.message, retryInMs }, 'webhook attempt failed');
      }
    } catch (err) {
      this.log.error({ ...at, err }, 'cannot record a webhook attempt; it stays pending');
    }
  }

  /** One POST; resolves with the status once the response has been read, rejects on error or timeout. */
  private post(d: WebhookDelivery, onAbort: (abort: () => void) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(d.url);
      } catch {
        reject(new PermanentFailure(`invalid webhook URL '${d.url}'`));
        return;
      }
      const send = url.protocol === 'http:' ? httpRequest : url.protocol === 'https:' ? httpsRequest : undefined;
      if (!send) {
        reject(new PermanentFailure(`webhook URL scheme '${url.protocol}' is not http: or https:`));
        return;
      }
      const body = Buffer.from(JSON.stringify(d.payload));
      const options: RequestOptions = {
        method: 'POST',
        // No pooled connection outlives the attempt, so stop() leaves no socket behind.
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'user-agent': 'Switchboard',
          'x-switchboard-event': d.event,
          'x-switchboard-delivery': String(d.id),
        },
      };
      let settled = false;
      let failure: Error | undefined;
      const finish = (status: number | undefined, err?: Error): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        if (status !== undefined) resolve(status);
        else reject(failure ?? err ?? new Error('connection closed before the response ended'));
      };
      let responded = false;
      const req: ClientRequest = send(url, options, (res: IncomingMessage) => {
        responded = true;
        res.on('error', (e) => finish(undefined, e));
        res.on('end', () => finish(res.statusCode ?? 0));
        res.on('close', () => {
          if (!res.complete) finish(undefined);
        });
        res.resume();
      });
      const timer = this.clock.setTimer(this.timeoutMs, () => {
        failure = new Error(`no response within ${this.timeoutMs} ms`);
        req.destroy(failure);
      });
      onAbort(() => {
        failure = new Error('notifier stopped');
        req.destroy(failure);
      });
      req.on('error', (e) => finish(undefined, e));
      req.on('close', () => {
        if (!responded) finish(undefined);
      });
      req.end(body);
    });
  }
}
