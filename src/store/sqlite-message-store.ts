import { existsSync, fsyncSync, closeSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { SwitchboardError, SystemClock, randomToken, type Clock } from '../common/index.js';
import type {
  CallbackQuery, CallbackRecord, CallbackState, NewCallbackRecord, NewSurveyAnswerRecord, NewVoicemailRecord,
  SurveyAnswerQuery, SurveyAnswerRecord, VoicemailQuery, VoicemailRecord, VoicemailState,
} from './message-record.js';
import { checkLimit, fsyncDir, guarded, openDatabase } from './sqlite-database.js';
import { SqliteWebhookOutbox } from './sqlite-webhook-outbox.js';
import { repairVoicemailWav } from './wav-repair.js';
import { callbackRequestedEvent, voicemailSavedEvent } from './webhook-events.js';

export const VOICEMAIL_FOLDER = 'voicemail';

export interface SqliteMessageStoreOptions {
  /** The data directory (as for SqliteCallRecordStore): `switchboard.db` and `voicemail/<mailbox>/<id>.wav`. */
  dir: string;
  /** Wall-clock source for created/requested/done times; default the system clock. */
  clock?: Clock;
}

export interface VoicemailRecoveryReport {
  /** Messages kept from a recording cut short by a crash (state 'recovered', webhook queued). */
  recovered: string[];
  /** Messages removed because their file was missing or held no audio. */
  removed: string[];
}

interface VoicemailRow {
  id: string;
  call_id: string;
  flow: string;
  mailbox: string;
  caller: string;
  called: string;
  path: string;
  state: VoicemailState;
  duration_ms: number | null;
  recorded_at: number | null;
  created_at: number;
  webhook: string | null;
}

interface CallbackRow {
  id: string;
  call_id: string;
  flow: string;
  queue: string;
  caller: string;
  number: string;
  time_window: string | null;
  requested_at: number;
  state: CallbackState;
  done_at: number | null;
  webhook: string | null;
}

interface SurveyAnswerRow {
  id: number;
  call_id: string;
  flow: string;
  survey: string;
  question: string;
  answer: string;
  answered_at: number;
}

/** A mailbox name as a single safe folder name: no separators, no leading dots, bounded length. */
export function mailboxFolder(mailbox: string): string {
  return mailbox.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 64) || '_';
}

/** `base`: the absolute data dir; rows keep paths relative to it so that the data dir can move. */
function toVoicemail(r: VoicemailRow, base: string): VoicemailRecord {
  return {
    id: r.id,
    callId: r.call_id,
    flow: r.flow,
    mailbox: r.mailbox,
    callerId: r.caller,
    calledUser: r.called,
    ...(r.webhook !== null ? { webhook: r.webhook } : {}),
    path: resolve(base, r.path),
    state: r.state,
    ...(r.duration_ms !== null ? { durationMs: r.duration_ms } : {}),
    ...(r.recorded_at !== null ? { recordedAtMs: r.recorded_at } : {}),
    createdAtMs: r.created_at,
  };
}

function toCallback(r: CallbackRow): CallbackRecord {
  return {
    id: r.id,
    callId: r.call_id,
    flow: r.flow,
    queue: r.queue,
    callerId: r.caller,
    number: r.number,
    ...(r.time_window !== null ? { window: r.time_window } : {}),
    requestedAtMs: r.requested_at,
    ...(r.webhook !== null ? { webhook: r.webhook } : {}),
    state: r.state,
    ...(r.done_at !== null ? { doneAtMs: r.done_at } : {}),
  };
}

function toSurveyAnswer(r: SurveyAnswerRow): SurveyAnswerRecord {
  return {
    id: r.id,
    callId: r.call_id,
    flow: r.flow,
    survey: r.survey,
    question: r.question,
    answer: JSON.parse(r.answer),
    answeredAtMs: r.answered_at,
  };
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * What callers leave, in SQLite beside the call records: voicemails (rows here, audio under
 * `<dir>/voicemail/<mailbox>/<id>.wav`), callback requests and survey answers, plus the webhook outbox. Every write
 * is one transaction committed with WAL + synchronous=FULL before the method returns (docs/architecture.md, "Data
 * that must not be lost"); a voicemail or callback with a webhook commits its outbox row in the same transaction.
 */
export class SqliteMessageStore {
  readonly file: string;
  readonly voicemailDir: string;
  readonly outbox: SqliteWebhookOutbox;
  private readonly dataDir: string;
  private readonly db: Database.Database;
  private readonly clock: Clock;

  constructor(options: SqliteMessageStoreOptions) {
    const { db, file } = openDatabase(options.dir, 'message');
    this.db = db;
    this.file = file;
    this.dataDir = resolve(options.dir);
    this.voicemailDir = join(this.dataDir, VOICEMAIL_FOLDER);
    this.clock = options.clock ?? new SystemClock();
    this.outbox = new SqliteWebhookOutbox(db, file);
  }

  /**
   * Commits a voicemail row in state 'recording' and creates its mailbox folder; the recorder then writes the file
   * at the returned path. The row comes first so that a crash mid-recording leaves something to recover.
   */
  startVoicemail(message: NewVoicemailRecord): VoicemailRecord {
    const id = `vm-${randomToken(6)}`;
    const relativeFolder = join(VOICEMAIL_FOLDER, mailboxFolder(message.mailbox));
    const folder = join(this.dataDir, relativeFolder);
    const row: VoicemailRow = {
      id, call_id: message.callId, flow: message.flow, mailbox: message.mailbox, caller: message.callerId,
      called: message.calledUser, path: join(relativeFolder, `${id}.wav`), state: 'recording', duration_ms: null,
      recorded_at: null, created_at: this.clock.wallMs(), webhook: message.webhook ?? null,
    };
    return this.guard(`cannot start voicemail for ${message.callId}`, () => {
      const created = mkdirSync(folder, { recursive: true });
      // A new folder's own entry must be durable too, or a power cut could lose the folder with the file in it.
      if (created !== undefined) for (let d = folder; d !== dirname(created); d = dirname(d)) fsyncDir(dirname(d));
      this.db.prepare(`INSERT INTO voicemails (id, call_id, flow, mailbox, caller, called, path, state, duration_ms,
        recorded_at, created_at, webhook) VALUES (@id, @call_id, @flow, @mailbox, @caller, @called, @path, @state,
        @duration_ms, @recorded_at, @created_at, @webhook)`).run(row);
      return toVoicemail(row, this.dataDir);
    });
  }

  /**
   * Marks a recorded message saved and queues its webhook, in one transaction. The file is fsync'd (with its folder
   * entry) first: a row saying 'saved' never points at audio that a crash could still take away.
   */
  saveVoicemail(id: string, recorded: { durationMs: number; recordedAtMs: number }): VoicemailRecord {
    return this.guard(`cannot save voicemail ${id}`, () => {
      const current = this.getVoicemail(id);
      if (!current) throw new SwitchboardError('SWB_ERR_STORE', `no voicemail ${id} in ${this.file}`);
      if (current.state !== 'recording') throw new SwitchboardError('SWB_ERR_STORE', `voicemail ${id} is already ${current.state}`);
      fsyncFile(current.path);
      fsyncDir(dirname(current.path));
      const saved: VoicemailRecord = {
        ...current, state: 'saved', durationMs: Math.round(recorded.durationMs), recordedAtMs: recorded.recordedAtMs,
      };
      this.db.transaction(() => {
        this.db.prepare(`UPDATE voicemails SET state = 'saved', duration_ms = ?, recorded_at = ? WHERE id = ?`)
          .run(saved.durationMs, saved.recordedAtMs, id);
        if (saved.webhook !== undefined) this.outbox.enqueue(saved.webhook, { ...voicemailSavedEvent(saved) }, this.clock.wallMs());
      }).immediate();
      return saved;
    });
  }

  /**
   * Removes a recording that ended with nothing said: the file first, then the row, so a crash in between leaves a
   * 'recording' row without audio, which recovery removes. Discarding an unknown id does nothing; a saved message
   * cannot be discarded.
   */
  discardVoicemail(id: string): void {
    this.guard(`cannot discard voicemail ${id}`, () => {
      const current = this.getVoicemail(id);
      if (!current) return;
      if (current.state !== 'recording') throw new SwitchboardError('SWB_ERR_STORE', `voicemail ${id} is ${current.state}, not discarded`);
      unlinkIfPresent(current.path);
      this.db.transaction(() => this.db.prepare('DELETE FROM voicemails WHERE id = ?').run(id)).immediate();
    });
  }

  /**
   * Recovery on start (docs/architecture.md): a row still 'recording' belongs to a call the last process did not
   * finish. With audio in its file, the WAV header is rebuilt from the file size and the message is kept as
   * 'recovered' with its webhook queued; without audio, the row and file go. Call it before taking calls, and only
   * from the server: a recording in progress elsewhere would look the same.
   */
  recoverVoicemails(): VoicemailRecoveryReport {
    return this.guard('cannot recover voicemails', () => {
      const report: VoicemailRecoveryReport = { recovered: [], removed: [] };
      const folders = new Set<string>();
      const rows = this.db.prepare(`SELECT * FROM voicemails WHERE state = 'recording' ORDER BY seq`).all() as VoicemailRow[];
      for (const row of rows) {
        const message = toVoicemail(row, this.dataDir);
        folders.add(dirname(message.path));
        const wav = repairVoicemailWav(message.path);
        if (!wav) {
          unlinkIfPresent(message.path);
          this.db.transaction(() => this.db.prepare('DELETE FROM voicemails WHERE id = ?').run(message.id)).immediate();
          report.removed.push(message.id);
          continue;
        }
        const kept: VoicemailRecord = { ...message, state: 'recovered', durationMs: wav.durationMs, recordedAtMs: message.createdAtMs };
        this.db.transaction(() => {
          this.db.prepare(`UPDATE voicemails SET state = 'recovered', duration_ms = ?, recorded_at = ? WHERE id = ?`)
            .run(kept.durationMs, kept.recordedAtMs, kept.id);
          if (kept.webhook !== undefined) this.outbox.enqueue(kept.webhook, { ...voicemailSavedEvent(kept) }, this.clock.wallMs());
        }).immediate();
        report.recovered.push(message.id);
      }
      for (const folder of folders) if (existsSync(folder)) fsyncDir(folder);
      return report;
    });
  }

  getVoicemail(id: string): VoicemailRecord | undefined {
    const row = this.guard(`cannot read voicemail ${id}`, () =>
      this.db.prepare('SELECT * FROM voicemails WHERE id = ?').get(id) as VoicemailRow | undefined);
    return row && toVoicemail(row, this.dataDir);
  }

  /** Newest first. */
  listVoicemails(query: VoicemailQuery = {}): VoicemailRecord[] {
    const rows = this.page<VoicemailRow>('voicemails', query, { mailbox: query.mailbox, state: query.state });
    return rows.map((r) => toVoicemail(r, this.dataDir));
  }

  /** Commits a callback request (and its webhook); returns its id. */
  saveCallback(request: NewCallbackRecord): CallbackRecord {
    const saved: CallbackRecord = { ...request, id: `cb-${randomToken(6)}`, state: 'pending' };
    const row: CallbackRow = {
      id: saved.id, call_id: request.callId, flow: request.flow, queue: request.queue, caller: request.callerId,
      number: request.number, time_window: request.window ?? null, requested_at: request.requestedAtMs,
      state: 'pending', done_at: null, webhook: request.webhook ?? null,
    };
    return this.guard(`cannot save callback request for ${request.callId}`, () => {
      this.db.transaction(() => {
        this.db.prepare(`INSERT INTO callbacks (id, call_id, flow, queue, caller, number, time_window, requested_at, state,
          done_at, webhook) VALUES (@id, @call_id, @flow, @queue, @caller, @number, @time_window, @requested_at, @state,
          @done_at, @webhook)`).run(row);
        if (saved.webhook !== undefined) this.outbox.enqueue(saved.webhook, { ...callbackRequestedEvent(saved) }, this.clock.wallMs());
      }).immediate();
      return saved;
    });
  }

  getCallback(id: string): CallbackRecord | undefined {
    const row = this.guard(`cannot read callback ${id}`, () =>
      this.db.prepare('SELECT * FROM callbacks WHERE id = ?').get(id) as CallbackRow | undefined);
    return row && toCallback(row);
  }

  /** Newest first. */
  listCallbacks(query: CallbackQuery = {}): CallbackRecord[] {
    return this.page<CallbackRow>('callbacks', query, { state: query.state, queue: query.queue }).map(toCallback);
  }

  /** Marks a request done (idempotent: a done request keeps its first done time); undefined for an unknown id. */
  markCallbackDone(id: string): CallbackRecord | undefined {
    return this.guard(`cannot update callback ${id}`, () => {
      this.db.transaction(() => {
        this.db.prepare(`UPDATE callbacks SET state = 'done', done_at = ? WHERE id = ? AND state = 'pending'`).run(this.clock.wallMs(), id);
      }).immediate();
      return this.getCallback(id);
    });
  }

  /** Commits one answer; returns its row id. */
  saveSurveyAnswer(answer: NewSurveyAnswerRecord): number {
    const a = answer.answer;
    if (a !== null && typeof a !== 'boolean' && !(typeof a === 'number' && Number.isFinite(a))) {
      throw new SwitchboardError('SWB_ERR_STORE', `survey answer must be a number, true/false or null, got ${JSON.stringify(a)}`);
    }
    const row = {
      call_id: answer.callId, flow: answer.flow, survey: answer.survey, question: answer.question,
      answer: JSON.stringify(a), answered_at: answer.answeredAtMs,
    };
    return this.guard(`cannot save survey answer for ${answer.callId}`, () => this.db.transaction(() => Number(
      this.db.prepare(`INSERT INTO survey_answers (call_id, flow, survey, question, answer, answered_at)
        VALUES (@call_id, @flow, @survey, @question, @answer, @answered_at)`).run(row).lastInsertRowid,
    )).immediate());
  }

  /** Newest first. */
  listSurveyAnswers(query: SurveyAnswerQuery = {}): SurveyAnswerRecord[] {
    return this.page<SurveyAnswerRow>('survey_answers', query, { flow: query.flow, survey: query.survey }).map(toSurveyAnswer);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * One page, newest first, of a table ordered by an integer key: `seq` behind the random ids of voicemails and
   * callbacks (whose `before` cursor is an id), `id` for survey answers. Only equality filters.
   */
  private page<Row>(
    table: 'voicemails' | 'callbacks' | 'survey_answers',
    query: { limit?: number; before?: string | number },
    filters: Record<string, string | undefined>,
  ): Row[] {
    const limit = query.limit ?? 50;
    checkLimit(limit);
    const key = table === 'survey_answers' ? 'id' : 'seq';
    const where: string[] = [];
    const params: Record<string, string | number> = { limit };
    if (query.before !== undefined) {
      where.push(`${key} < @before`);
      params.before = table === 'survey_answers' ? Number(query.before) : this.seqOf(table, String(query.before));
    }
    for (const [column, value] of Object.entries(filters)) {
      if (value === undefined) continue;
      where.push(`${column} = @${column}`);
      params[column] = value;
    }
    const sql = `SELECT * FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${key} DESC LIMIT @limit`;
    return this.guard(`cannot list ${table}`, () => this.db.prepare(sql).all(params) as Row[]);
  }

  private seqOf(table: 'voicemails' | 'callbacks', id: string): number {
    const row = this.guard(`cannot read ${table}`, () =>
      this.db.prepare(`SELECT seq FROM ${table} WHERE id = ?`).get(id) as { seq: number } | undefined);
    if (!row) throw new SwitchboardError('SWB_ERR_STORE', `cannot page before '${id}': no such ${table === 'voicemails' ? 'voicemail' : 'callback'}`);
    return row.seq;
  }

  private guard<T>(what: string, fn: () => T): T {
    return guarded(this.file, what, fn);
  }
}
