import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SwitchboardError } from '../common/index.js';
import { migrate } from './migrations.js';

export const DATABASE_FILE = 'switchboard.db';
export const MAX_LIST_LIMIT = 1000;

export function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Opens `<dir>/switchboard.db` (creating the dir) with WAL + synchronous=FULL, so the WAL is fsync'd at every
 * commit (SQLite "PRAGMA synchronous": FULL makes WAL-mode transactions durable across power loss), and brings the
 * schema to the latest version. `what` names the store in errors, e.g. "call record".
 */
export function openDatabase(dir: string, what: string): { db: Database.Database; file: string } {
  const file = join(dir, DATABASE_FILE);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new SwitchboardError('SWB_ERR_STORE', `cannot create data directory ${dir}: ${reason(e)}`, { cause: e });
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    // SQLite opens lazily: a file that is not a database fails here, on the first read, not in the constructor.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`journal mode stayed '${String(mode)}'`);
    db.pragma('synchronous = FULL');
    migrate(db);
    return { db, file };
  } catch (e) {
    db?.close();
    throw new SwitchboardError('SWB_ERR_STORE', `cannot open ${what} database ${file}: ${reason(e)}`, { cause: e });
  }
}

/** Runs a store operation, turning a driver or file-system error into SWB_ERR_STORE naming the operation and file. */
export function guarded<T>(file: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SwitchboardError) throw e;
    throw new SwitchboardError('SWB_ERR_STORE', `${what} in ${file}: ${reason(e)}`, { cause: e });
  }
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new SwitchboardError('SWB_ERR_STORE', `list limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${limit}`);
  }
}

/**
 * fsync of a directory: makes a file created or removed in it durable (POSIX fsync syncs the file's data, not the
 * directory entry naming it).
 */
export function fsyncDir(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
