import type Database from 'better-sqlite3';
import type { CallRecord, CallRecordQuery, CallRecordStep, CallRecordSummary, NewCallRecord } from './call-record.js';
import { checkLimit, guarded, openDatabase } from './sqlite-database.js';

export interface SqliteCallRecordStoreOptions {
  /** The data directory; created when missing. The database is `<dir>/switchboard.db`. */
  dir: string;
}

interface CallRecordRow {
  id: number;
  call_id: string;
  from_user: string;
  to_user: string;
  flow: string;
  flow_revision: string;
  offered_at: number;
  answered_at: number | null;
  ended_at: number;
  disposition: string;
  end_reason: string | null;
  path: string;
  inputs: string;
  variables: string;
  errors: string;
  caller_hangup_at: string | null;
  outcomes: string;
  transcript: string;
}

type SummaryRow = Pick<
  CallRecordRow,
  'id' | 'call_id' | 'from_user' | 'to_user' | 'flow' | 'disposition' | 'offered_at' | 'answered_at' | 'ended_at' | 'path'
>;

/**
 * Call records in SQLite. Writes are synchronous and committed with WAL + synchronous=FULL (see openDatabase): when
 * save() returns, the record survives a crash or kill -9 of the process.
 */
export class SqliteCallRecordStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement;
  private readonly countStmt: Database.Statement;

  constructor(options: SqliteCallRecordStoreOptions) {
    const { db, file } = openDatabase(options.dir, 'call record');
    this.file = file;
    this.db = db;
    try {
      this.insertStmt = db.prepare(`
        INSERT INTO call_records (call_id, from_user, to_user, flow, flow_revision, offered_at, answered_at, ended_at,
          disposition, end_reason, path, inputs, variables, errors, caller_hangup_at, outcomes, transcript)
        VALUES (@call_id, @from_user, @to_user, @flow, @flow_revision, @offered_at, @answered_at, @ended_at,
          @disposition, @end_reason, @path, @inputs, @variables, @errors, @caller_hangup_at, @outcomes, @transcript)`);
      this.getStmt = db.prepare('SELECT * FROM call_records WHERE id = ?');
      this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM call_records');
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Inserts and commits one record; returns its row id. The row is durable when this returns. */
  save(record: NewCallRecord): number {
    const row = {
      call_id: record.callId,
      from_user: record.from,
      to_user: record.to,
      flow: record.flow,
      flow_revision: record.flowRevision,
      offered_at: record.offeredAtMs,
      answered_at: record.answeredAtMs ?? null,
      ended_at: record.endedAtMs,
      disposition: record.disposition,
      end_reason: record.endReason ?? null,
      path: JSON.stringify(record.path),
      inputs: JSON.stringify(record.inputs),
      variables: JSON.stringify(record.variables),
      errors: JSON.stringify(record.errors ?? []),
      caller_hangup_at: record.callerHangupAt ? JSON.stringify(record.callerHangupAt) : null,
      outcomes: JSON.stringify(record.outcomes ?? []),
      transcript: JSON.stringify(record.transcript ?? []),
    };
    return this.guard(`cannot save call record for ${record.callId}`, () =>
      this.db.transaction(() => Number(this.insertStmt.run(row).lastInsertRowid)).immediate(),
    );
  }

  /** Newest first (by row id, i.e. in the order calls were recorded). */
  list(query: CallRecordQuery = {}): CallRecordSummary[] {
    const limit = query.limit ?? 50;
    checkLimit(limit);
    const where: string[] = [];
    const params: Record<string, string | number> = { limit };
    if (query.before !== undefined) {
      where.push('id < @before');
      params.before = query.before;
    }
    if (query.from !== undefined) {
      where.push('from_user = @from');
      params.from = query.from;
    }
    if (query.flow !== undefined) {
      where.push('flow = @flow');
      params.flow = query.flow;
    }
    const sql = `SELECT id, call_id, from_user, to_user, flow, disposition, offered_at, answered_at, ended_at, path
      FROM call_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
    const rows = this.guard('cannot list call records', () => this.db.prepare(sql).all(params) as SummaryRow[]);
    return rows.map((r) => ({
      id: r.id,
      callId: r.call_id,
      from: r.from_user,
      to: r.to_user,
      flow: r.flow,
      disposition: r.disposition,
      offeredAtMs: r.offered_at,
      ...(r.answered_at !== null ? { answeredAtMs: r.answered_at } : {}),
      endedAtMs: r.ended_at,
      route: (JSON.parse(r.path) as CallRecordStep[]).map((s) => s.node),
    }));
  }

  get(id: number): CallRecord | undefined {
    const r = this.guard(`cannot read call record ${id}`, () => this.getStmt.get(id) as CallRecordRow | undefined);
    if (!r) return undefined;
    return {
      id: r.id,
      callId: r.call_id,
      from: r.from_user,
      to: r.to_user,
      flow: r.flow,
      flowRevision: r.flow_revision,
      offeredAtMs: r.offered_at,
      ...(r.answered_at !== null ? { answeredAtMs: r.answered_at } : {}),
      endedAtMs: r.ended_at,
      disposition: r.disposition,
      ...(r.end_reason !== null ? { endReason: r.end_reason } : {}),
      path: JSON.parse(r.path),
      inputs: JSON.parse(r.inputs),
      variables: JSON.parse(r.variables),
      errors: JSON.parse(r.errors),
      ...(r.caller_hangup_at !== null ? { callerHangupAt: JSON.parse(r.caller_hangup_at) } : {}),
      outcomes: JSON.parse(r.outcomes),
      transcript: JSON.parse(r.transcript),
    };
  }

  count(): number {
    return this.guard('cannot count call records', () => (this.countStmt.get() as { n: number }).n);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private guard<T>(what: string, fn: () => T): T {
    return guarded(this.file, what, fn);
  }
}
