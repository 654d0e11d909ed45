import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isSwitchboardError } from '../common/index.js';
import { LATEST_SCHEMA_VERSION, SqliteCallRecordStore, type NewCallRecord } from './index.js';

function record(overrides: Partial<NewCallRecord> = {}): NewCallRecord {
  return {
    callId: 'a84b4c76e66710@pc33.example.com',
    from: '+15551230001',
    to: '100',
    flow: 'main',
    flowRevision: 'r7',
    offeredAtMs: 1_700_000_000_000,
    answeredAtMs: 1_700_000_000_400,
    endedAtMs: 1_700_000_065_400,
    disposition: 'caller-hangup',
    endReason: 'remote-bye',
    path: [
      { flow: 'main', node: 'welcome', type: 'say', atMs: 1_700_000_000_500 },
      { flow: 'main', node: 'pin', type: 'gather', atMs: 1_700_000_003_000 },
    ],
    inputs: [{ flow: 'main', node: 'pin', keys: '****', reason: 'terminator', terminator: '#', sensitive: true, atMs: 1_700_000_009_000 }],
    variables: { pin: '****', tries: 2, vip: true, nested: { a: [1, 'x'] } },
    errors: [],
    callerHangupAt: { flow: 'main', node: 'pin', atMs: 1_700_000_065_000 },
    outcomes: [],
    transcript: [],
    ...overrides,
  };
}

describe('SqliteCallRecordStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-store-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a record with its JSON fields and creates the data dir', () => {
    const store = new SqliteCallRecordStore({ dir: join(dir, 'data') });
    try {
      assert.equal(store.file, join(dir, 'data', 'switchboard.db'));
      const input = record();
      const id = store.save(input);
      assert.equal(typeof id, 'number');
      assert.deepEqual(store.get(id), { id, ...input });
      assert.equal(store.count(), 1);
      assert.equal(store.get(id + 1), undefined);
    } finally {
      store.close();
    }
  });

  it('keeps the outcomes of the run, in order, with their own fields', () => {
    const store = new SqliteCallRecordStore({ dir });
    try {
      const outcomes = [
        { type: 'transfer', flow: 'main', node: 'sales', target: 'sip:200@pbx', method: 'bridge', result: 'no-answer', atMs: 1_700_000_010_000 },
        { type: 'voicemail', flow: 'main', node: 'vm', id: 'vm-1a2b', mailbox: 'sales', durationMs: 12_340, atMs: 1_700_000_040_000 },
        { type: 'survey', flow: 'main', node: 'csat', question: 'q1', answer: null, atMs: 1_700_000_050_000 },
      ];
      const id = store.save(record({ disposition: 'voicemail', outcomes }));
      assert.deepEqual(store.get(id)?.outcomes, outcomes);
    } finally {
      store.close();
    }
  });

  it('keeps what the caller said, turn by turn', () => {
    const store = new SqliteCallRecordStore({ dir });
    try {
      const transcript = [
        { flow: 'departments', node: 'ask', atMs: 1_700_000_003_000, status: 'no-match', text: 'pizza', confidence: 0.21 },
        { flow: 'departments', node: 'ask', atMs: 1_700_000_009_000, status: 'match', text: 'billing please', confidence: 0.83, intent: 'department' },
      ];
      const id = store.save(record({ transcript }));
      assert.deepEqual(store.get(id)?.transcript, transcript);
      assert.deepEqual(store.get(store.save(record({})))?.transcript, [], 'a call without speech has an empty transcript');
    } finally {
      store.close();
    }
  });

  it('leaves optional fields out rather than null, and defaults errors, outcomes and transcript to []', () => {
    const store = new SqliteCallRecordStore({ dir });
    try {
      const { answeredAtMs: _a, endReason: _e, callerHangupAt: _c, errors: _r, outcomes: _o, transcript: _t, ...bare } = record({ disposition: 'abandoned' });
      const id = store.save(bare);
      const got = store.get(id);
      assert.deepEqual(got, { id, ...bare, errors: [], outcomes: [], transcript: [] });
      assert.ok(got && !('answeredAtMs' in got) && !('callerHangupAt' in got) && !('endReason' in got));
    } finally {
      store.close();
    }
  });

  it('gives a repeated Call-ID its own row', () => {
    const store = new SqliteCallRecordStore({ dir });
    try {
      const a = store.save(record());
      const b = store.save(record());
      assert.notEqual(a, b);
      assert.equal(store.count(), 2);
    } finally {
      store.close();
    }
  });

  it('lists newest first with summaries and pages by the row-id cursor', () => {
    const store = new SqliteCallRecordStore({ dir });
    try {
      const ids = [0, 1, 2, 3, 4].map((i) => store.save(record({ callId: `c${i}`, endedAtMs: 1_700_000_100_000 + i })));
      const page1 = store.list({ limit: 2 });
      assert.deepEqual(page1.map((s) => s.callId), ['c4', 'c3']);
      assert.deepEqual(page1[0], {
        id: ids[4],
        callId: 'c4',
        from: '+15551230001',
        to: '100',
        flow: 'main',
        disposition: 'caller-hangup',
        offeredAtMs: 1_700_000_000_000,
        answeredAtMs: 1_700_000_000_400,
        endedAtMs: 1_700_000_100_004,
        route: ['welcome', 'pin'],
      });
      const page2 = store.list({ limit: 2, before: page1[1].id });
      assert.deepEqual(page2.map((s) => s.callId), ['c2', 'c1']);
      const page3 = store.list({ limit: 2, before: page2[1].id });
      assert.deepEqual(page3.map((s) => s.callId), ['c0']);
      assert.equal(store.list().length, 5);
    } finally {
      store.close();
    }
  });

  it('filters by caller and by flow', () => {
    const store = new SqliteCallRecordStore({ dir });
    try {
      store.save(record({ callId: 'x1', from: '201', flow: 'sales' }));
      store.save(record({ callId: 'x2', from: '202', flow: 'sales' }));
      store.save(record({ callId: 'x3', from: '201', flow: 'support' }));
      assert.deepEqual(store.list({ from: '201' }).map((s) => s.callId), ['x3', 'x1']);
      assert.deepEqual(store.list({ flow: 'sales' }).map((s) => s.callId), ['x2', 'x1']);
      assert.deepEqual(store.list({ from: '201', flow: 'sales' }).map((s) => s.callId), ['x1']);
      assert.deepEqual(store.list({ from: '999' }), []);
    } finally {
      store.close();
    }
  });

  it('rejects a bad list limit with SWB_ERR_STORE', () => {
    const store = new SqliteCallRecordStore({ dir });
    try {
      for (const limit of [0, -1, 1.5, 1001]) {
        assert.throws(() => store.list({ limit }), (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && /limit/.test(e.message));
      }
    } finally {
      store.close();
    }
  });

  it('keeps a row saved by a process that is killed with SIGKILL right after save() returns', () => {
    const storeUrl = new URL('./index.js', import.meta.url).href;
    const script = `
      import { writeSync } from 'node:fs';
      const { SqliteCallRecordStore } = await import(${JSON.stringify(storeUrl)});
      const store = new SqliteCallRecordStore({ dir: ${JSON.stringify(dir)} });
      const id = store.save(${JSON.stringify(record({ callId: 'killed' }))});
      writeSync(1, String(id));
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    const id = Number(child.stdout);
    assert.ok(Number.isInteger(id) && id > 0, `child printed ${JSON.stringify(child.stdout)}`);
    // The child never closed the database, so the row lives only in the WAL: reopening must replay it.
    assert.ok(existsSync(join(dir, 'switchboard.db-wal')));
    const store = new SqliteCallRecordStore({ dir });
    try {
      assert.deepEqual(store.get(id), { id, ...record({ callId: 'killed' }) });
    } finally {
      store.close();
    }
  });

  it('uses WAL with synchronous=FULL', () => {
    new SqliteCallRecordStore({ dir }).close();
    const db = new Database(join(dir, 'switchboard.db'));
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      db.close();
    }
    const store = new SqliteCallRecordStore({ dir });
    try {
      // synchronous is per connection; read it through the store's own connection.
      const conn = (store as unknown as { db: Database.Database }).db;
      assert.equal(conn.pragma('synchronous', { simple: true }), 2);
    } finally {
      store.close();
    }
  });

  it('migrates once: reopening keeps rows and the schema version', () => {
    const first = new SqliteCallRecordStore({ dir });
    const id = first.save(record());
    first.close();
    const second = new SqliteCallRecordStore({ dir });
    try {
      assert.equal(second.count(), 1);
      assert.equal(second.get(id)?.callId, record().callId);
    } finally {
      second.close();
    }
    const db = new Database(join(dir, 'switchboard.db'), { readonly: true });
    try {
      assert.deepEqual(db.prepare('SELECT version FROM schema_version').all(), [{ version: LATEST_SCHEMA_VERSION }]);
    } finally {
      db.close();
    }
  });

  it('migrates a version 1 database: its records keep their fields and get no outcomes or transcript', () => {
    const v1 = new Database(join(dir, 'switchboard.db'));
    v1.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);
      CREATE TABLE call_records (id INTEGER PRIMARY KEY AUTOINCREMENT, call_id TEXT NOT NULL, from_user TEXT NOT NULL,
        to_user TEXT NOT NULL, flow TEXT NOT NULL, flow_revision TEXT NOT NULL, offered_at INTEGER NOT NULL,
        answered_at INTEGER, ended_at INTEGER NOT NULL, disposition TEXT NOT NULL, end_reason TEXT, path TEXT NOT NULL,
        inputs TEXT NOT NULL, variables TEXT NOT NULL, errors TEXT NOT NULL, caller_hangup_at TEXT);
      INSERT INTO call_records (call_id, from_user, to_user, flow, flow_revision, offered_at, ended_at, disposition,
        path, inputs, variables, errors) VALUES ('old', '201', '100', 'main', 'r1', 1, 2, 'self-served', '[]', '[]', '{}', '[]');`);
    v1.close();
    const store = new SqliteCallRecordStore({ dir });
    try {
      const old = store.get(1);
      assert.equal(old?.callId, 'old');
      assert.deepEqual(old?.outcomes, []);
      assert.deepEqual(old?.transcript, []);
      assert.equal(LATEST_SCHEMA_VERSION >= 4, true);
    } finally {
      store.close();
    }
  });

  it('refuses a database from a newer schema, naming the file', () => {
    new SqliteCallRecordStore({ dir }).close();
    const db = new Database(join(dir, 'switchboard.db'));
    db.prepare('UPDATE schema_version SET version = ?').run(LATEST_SCHEMA_VERSION + 1);
    db.close();
    assert.throws(
      () => new SqliteCallRecordStore({ dir }),
      (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && e.message.includes(join(dir, 'switchboard.db')) && /newer/.test(e.message),
    );
  });

  it('fails at construction with SWB_ERR_STORE naming the path when the dir cannot be created', () => {
    // A regular file where a folder should be: fails even for root, unlike a chmod'ed folder.
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const target = join(blocker, 'data');
    assert.throws(
      () => new SqliteCallRecordStore({ dir: target }),
      (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && e.message.includes(target),
    );
  });

  it('fails at construction with SWB_ERR_STORE naming the file when it is not a database', () => {
    const file = join(dir, 'switchboard.db');
    writeFileSync(file, 'this is not an SQLite database, just text long enough to fill a header page '.repeat(20));
    assert.throws(
      () => new SqliteCallRecordStore({ dir }),
      (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && e.message.includes(file),
    );
  });
});
