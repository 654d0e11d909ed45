import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  sql: string;
}

/** Append only: a released migration never changes, the next change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE call_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        call_id TEXT NOT NULL,
        from_user TEXT NOT NULL,
        to_user TEXT NOT NULL,
        flow TEXT NOT NULL,
        flow_revision TEXT NOT NULL,
        offered_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER NOT NULL,
        disposition TEXT NOT NULL,
        end_reason TEXT,
        path TEXT NOT NULL,
        inputs TEXT NOT NULL,
        variables TEXT NOT NULL,
        errors TEXT NOT NULL,
        caller_hangup_at TEXT
      );
      CREATE INDEX call_records_ended_at ON call_records (ended_at);
      CREATE INDEX call_records_call_id ON call_records (call_id);
    `,
  },
  {
    version: 2,
    // seq orders and pages the rows; id is the random name used in URLs and file names, so a data dir rebuilt
    // around an old voicemail folder never reuses a file name. voicemails.path is relative to the data dir.
    sql: `
      CREATE TABLE voicemails (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        call_id TEXT NOT NULL,
        flow TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        caller TEXT NOT NULL,
        called TEXT NOT NULL,
        path TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('recording', 'saved', 'recovered')),
        duration_ms INTEGER,
        recorded_at INTEGER,
        created_at INTEGER NOT NULL,
        webhook TEXT
      );
      CREATE INDEX voicemails_state ON voicemails (state);
      CREATE INDEX voicemails_mailbox ON voicemails (mailbox, seq);
      CREATE TABLE callbacks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        call_id TEXT NOT NULL,
        flow TEXT NOT NULL,
        queue TEXT NOT NULL,
        caller TEXT NOT NULL,
        number TEXT NOT NULL,
        time_window TEXT,
        requested_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
        done_at INTEGER,
        webhook TEXT
      );
      CREATE INDEX callbacks_state ON callbacks (state, seq);
      CREATE TABLE survey_answers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        call_id TEXT NOT NULL,
        flow TEXT NOT NULL,
        survey TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        answered_at INTEGER NOT NULL
      );
      CREATE INDEX survey_answers_flow ON survey_answers (flow, survey);
      CREATE TABLE webhook_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL,
        event TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        last_error TEXT,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER
      );
      CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_at);
    `,
  },
  {
    version: 3,
    sql: `ALTER TABLE call_records ADD COLUMN outcomes TEXT NOT NULL DEFAULT '[]';`,
  },
  {
    version: 4,
    sql: `ALTER TABLE call_records ADD COLUMN transcript TEXT NOT NULL DEFAULT '[]';`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Brings the schema to the latest version in one transaction, so a crash mid-migration leaves the old schema.
 * Returns the version found before migrating. Throws a plain Error for a database newer than this code.
 */
export function migrate(db: Database.Database): number {
  return db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > LATEST_SCHEMA_VERSION) {
      throw new Error(`schema version ${current} is newer than this server knows (${LATEST_SCHEMA_VERSION})`);
    }
    for (const m of MIGRATIONS) {
      if (m.version > current) db.exec(m.sql);
    }
    if (row === undefined) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(LATEST_SCHEMA_VERSION);
    else if (current !== LATEST_SCHEMA_VERSION) db.prepare('UPDATE schema_version SET version = ?').run(LATEST_SCHEMA_VERSION);
    return current;
  }).immediate();
}
