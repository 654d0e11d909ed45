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
