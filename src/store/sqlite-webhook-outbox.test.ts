import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteMessageStore } from './index.js';

const T0 = 1_700_000_000_000;

describe('SqliteWebhookOutbox', () => {
  let dir: string;
  let store: SqliteMessageStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-outbox-'));
    store = new SqliteMessageStore({ dir });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out due rows oldest first and says when the next one is due', () => {
    const { outbox } = store;
    assert.equal(outbox.nextDueAtMs(), undefined);
    const a = outbox.enqueue('http://h/a', { event: 'voicemail.saved', id: 'vm-a' }, T0);
    const b = outbox.enqueue('http://h/b', { event: 'callback.requested', id: 'cb-b' }, T0 + 10);
    assert.deepEqual(outbox.due(T0).map((d) => d.id), [a]);
    assert.deepEqual(outbox.due(T0 + 10).map((d) => d.id), [a, b]);
    assert.deepEqual(outbox.due(T0 + 10, 1).map((d) => d.id), [a]);
    assert.equal(outbox.nextDueAtMs(), T0);
    assert.equal(outbox.nextDueAtMs(T0), T0 + 10, 'rows due by then are not "next"');
    assert.equal(outbox.nextDueAtMs(T0 + 10), undefined);
    assert.deepEqual(outbox.get(b), {
      id: b, url: 'http://h/b', event: 'callback.requested', payload: { event: 'callback.requested', id: 'cb-b' },
      attempts: 0, nextAttemptAtMs: T0 + 10, state: 'pending', createdAtMs: T0 + 10,
    });
  });

  it('records failed attempts with a retry time, gives up without one, and records delivery once', () => {
    const { outbox } = store;
    const id = outbox.enqueue('http://h/a', { event: 'voicemail.saved' }, T0);
    assert.equal(outbox.markAttemptFailed(id, { error: 'HTTP 500', retryAtMs: T0 + 1000 }), true);
    assert.deepEqual(outbox.due(T0 + 999), []);
    assert.equal(outbox.nextDueAtMs(), T0 + 1000);
    let row = outbox.get(id);
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lastError, 'HTTP 500');
    assert.equal(row?.state, 'pending');
    assert.equal(outbox.markDelivered(id, T0 + 1200), true);
    row = outbox.get(id);
    assert.equal(row?.state, 'delivered');
    assert.equal(row?.attempts, 2);
    assert.equal(row?.deliveredAtMs, T0 + 1200);
    assert.equal(row?.lastError, undefined);
    assert.equal(outbox.markDelivered(id, T0 + 1300), false, 'a delivered row is not pending any more');
    assert.equal(outbox.nextDueAtMs(), undefined);

    const doomed = outbox.enqueue('http://h/b', { event: 'voicemail.saved' }, T0);
    outbox.markAttemptFailed(doomed, { error: 'connect ECONNREFUSED' });
    assert.equal(outbox.get(doomed)?.state, 'failed');
    assert.equal(outbox.markAttemptFailed(doomed, { error: 'again', retryAtMs: T0 }), false);
    assert.deepEqual(outbox.list({ state: 'failed' }).map((d) => d.id), [doomed]);
    assert.deepEqual(outbox.list().map((d) => d.id), [doomed, id]);
  });
});
