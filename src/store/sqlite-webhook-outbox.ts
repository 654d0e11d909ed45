import type Database from 'better-sqlite3';
import type { WebhookAttemptFailure, WebhookDelivery, WebhookState } from './message-record.js';
import { checkLimit, guarded } from './sqlite-database.js';

interface OutboxRow {
  id: number;
  url: string;
  event: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  state: WebhookState;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

function toDelivery(r: OutboxRow): WebhookDelivery {
  return {
    id: r.id,
    url: r.url,
    event: r.event,
    payload: JSON.parse(r.payload),
    attempts: r.attempts,
    nextAttemptAtMs: r.next_attempt_at,
    state: r.state,
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    createdAtMs: r.created_at,
    ...(r.delivered_at !== null ? { deliveredAtMs: r.delivered_at } : {}),
  };
}

/**
 * The webhook outbox (the transactional-outbox pattern): a notification is a row committed in the same transaction
 * as the message it announces, so a message is never saved without its notification nor announced without being
 * saved. A notifier delivers due rows and records each attempt here; a restart finds the pending rows again.
 * Shares its connection with SqliteMessageStore, which enqueues inside its own transactions.
 */
export class SqliteWebhookOutbox {
  private readonly insertStmt: Database.Statement;
  private readonly dueStmt: Database.Statement;
  private readonly nextStmt: Database.Statement;
  private readonly deliveredStmt: Database.Statement;
  private readonly failedStmt: Database.Statement;
  private readonly getStmt: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly file: string) {
    this.insertStmt = db.prepare(`INSERT INTO webhook_outbox (url, event, payload, attempts, next_attempt_at, state, created_at)
      VALUES (@url, @event, @payload, 0, @now, 'pending', @now)`);
    this.dueStmt = db.prepare(`SELECT * FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= @now
      ORDER BY next_attempt_at, id LIMIT @limit`);
    this.nextStmt = db.prepare(`SELECT MIN(next_attempt_at) AS at FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at > @after`);
    this.deliveredStmt = db.prepare(`UPDATE webhook_outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = @at,
      last_error = NULL WHERE id = @id AND state = 'pending'`);
    this.failedStmt = db.prepare(`UPDATE webhook_outbox SET attempts = attempts + 1, last_error = @error,
      state = CASE WHEN @retry_at IS NULL THEN 'failed' ELSE 'pending' END,
      next_attempt_at = COALESCE(@retry_at, next_attempt_at) WHERE id = @id AND state = 'pending'`);
    this.getStmt = db.prepare('SELECT * FROM webhook_outbox WHERE id = ?');
  }

  /**
   * Queues a notification, due at once; returns its id. Meant to run inside the caller's transaction, which
   * commits it together with the message it announces.
   */
  enqueue(url: string, payload: { event: string; [field: string]: unknown }, nowMs: number): number {
    const row = { url, event: payload.event, payload: JSON.stringify(payload), now: nowMs };
    return guarded(this.file, `cannot queue webhook ${payload.event}`, () => Number(this.insertStmt.run(row).lastInsertRowid));
  }

  /** Pending notifications due at `nowMs` (wall clock), oldest due first. */
  due(nowMs: number, limit = 100): WebhookDelivery[] {
    checkLimit(limit);
    const rows = guarded(this.file, 'cannot read the webhook outbox', () => this.dueStmt.all({ now: nowMs, limit }) as OutboxRow[]);
    return rows.map(toDelivery);
  }

  /** When the earliest pending notification due after `afterMs` is due (wall-clock ms); undefined when none is. */
  nextDueAtMs(afterMs = Number.NEGATIVE_INFINITY): number | undefined {
    const row = guarded(this.file, 'cannot read the webhook outbox', () => this.nextStmt.get({ after: afterMs }) as { at: number | null });
    return row.at ?? undefined;
  }

  /** Records a successful attempt; returns false when the row was not pending. */
  markDelivered(id: number, atMs: number): boolean {
    return guarded(this.file, `cannot update webhook ${id}`, () =>
      this.db.transaction(() => this.deliveredStmt.run({ id, at: atMs }).changes === 1).immediate(),
    );
  }

  /** Records a failed attempt: pending again at `retryAtMs`, or failed for good without one. */
  markAttemptFailed(id: number, failure: WebhookAttemptFailure): boolean {
    const params = { id, error: failure.error, retry_at: failure.retryAtMs ?? null };
    return guarded(this.file, `cannot update webhook ${id}`, () =>
      this.db.transaction(() => this.failedStmt.run(params).changes === 1).immediate(),
    );
  }

  get(id: number): WebhookDelivery | undefined {
    const row = guarded(this.file, `cannot read webhook ${id}`, () => this.getStmt.get(id) as OutboxRow | undefined);
    return row && toDelivery(row);
  }

  /** Newest first, optionally only one state. */
  list(query: { state?: WebhookState; limit?: number } = {}): WebhookDelivery[] {
    const limit = query.limit ?? 50;
    checkLimit(limit);
    const where = query.state !== undefined ? 'WHERE state = @state' : '';
    const params = query.state !== undefined ? { limit, state: query.state } : { limit };
    const rows = guarded(this.file, 'cannot list webhooks', () =>
      this.db.prepare(`SELECT * FROM webhook_outbox ${where} ORDER BY id DESC LIMIT @limit`).all(params) as OutboxRow[],
    );
    return rows.map(toDelivery);
  }
}
