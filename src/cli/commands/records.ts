import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isSwitchboardError } from '../../common/index.js';
import { DATABASE_FILE, MAX_LIST_LIMIT, SqliteCallRecordStore, type CallRecordSummary } from '../../store/index.js';

export const RECORDS_USAGE = `usage: switchboard records [--data-dir DIR] [--limit N] [--before ID] [--from NUMBER] [--flow NAME]
       switchboard records <id> [--data-dir DIR]

Lists call records, newest first, or prints one record as JSON.
  --data-dir  where the server keeps switchboard.db (default: $SWB_DATA_DIR or "data", the dataDir config key)
  --limit     how many to list, 1..${MAX_LIST_LIMIT} (default 50)
  --before    list records older than this id (the next page starts before the last id shown)
Exit status: 0 on success, 1 when the record is missing or the store fails, 2 on bad usage.`;

export interface RecordsCommandIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

const consoleIo: RecordsCommandIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
};

const ROUTE_WIDTH = 48;

function positiveInt(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9][0-9]*$/.test(text) ? Number(text) : undefined;
}

function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Talk time from answer to end; a call never answered shows "-". */
function duration(s: CallRecordSummary): string {
  if (s.answeredAtMs === undefined) return '-';
  const total = Math.max(0, Math.round((s.endedAtMs - s.answeredAtMs) / 1000));
  const m = Math.floor(total / 60);
  const sec = total % 60;
  return m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

function route(s: CallRecordSummary): string {
  const text = s.route.join(' > ');
  return text.length > ROUTE_WIDTH ? `${text.slice(0, ROUTE_WIDTH - 1)}…` : text;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

/** `switchboard records`: the call records the server kept, as a table, or one of them as JSON. */
export async function recordsCommand(args: string[], io: RecordsCommandIo = consoleIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        limit: { type: 'string' },
        before: { type: 'string' },
        from: { type: 'string' },
        flow: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`records: ${e instanceof Error ? e.message : String(e)}`);
    io.err(RECORDS_USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(RECORDS_USAGE);
    return 0;
  }
  const limit = values.limit === undefined ? 50 : positiveInt(values.limit);
  const before = values.before === undefined ? undefined : positiveInt(values.before);
  const id = positionals.length === 1 ? positiveInt(positionals[0]) : undefined;
  const usageError =
    positionals.length > 1 ? 'at most one record id'
    : positionals.length === 1 && id === undefined ? `record id must be a positive integer, got '${positionals[0]}'`
    : limit === undefined || limit > MAX_LIST_LIMIT ? `--limit must be an integer from 1 to ${MAX_LIST_LIMIT}`
    : values.before !== undefined && before === undefined ? '--before must be a record id'
    : undefined;
  if (usageError) {
    io.err(`records: ${usageError}`);
    io.err(RECORDS_USAGE);
    return 2;
  }

  const dir = values['data-dir'] ?? io.env.SWB_DATA_DIR ?? 'data';
  // Reading must not create an empty data dir and database as a side effect.
  if (!existsSync(join(dir, DATABASE_FILE))) {
    if (id !== undefined) {
      io.err(`records: no call record ${id} (no database at ${join(dir, DATABASE_FILE)})`);
      return 1;
    }
    io.out(`no call records (no database at ${join(dir, DATABASE_FILE)})`);
    return 0;
  }
  let store: SqliteCallRecordStore | undefined;
  try {
    store = new SqliteCallRecordStore({ dir });
    if (id !== undefined) {
      const record = store.get(id);
      if (!record) {
        io.err(`records: no call record ${id} in ${store.file}`);
        return 1;
      }
      io.out(JSON.stringify(record, null, 2));
      return 0;
    }
    const summaries = store.list({ limit, before, from: values.from, flow: values.flow });
    if (summaries.length === 0) {
      io.out('no call records');
      return 0;
    }
    const rows = [['id', 'ended (UTC)', 'from → to', 'flow', 'disposition', 'duration', 'route']];
    for (const s of summaries) {
      rows.push([String(s.id), utc(s.endedAtMs), `${s.from} → ${s.to}`, s.flow, s.disposition, duration(s), route(s)]);
    }
    for (const line of table(rows)) io.out(line);
    if (summaries.length === limit) io.out(`more: --before ${summaries[summaries.length - 1].id}`);
    return 0;
  } catch (e) {
    if (!isSwitchboardError(e, 'SWB_ERR_STORE')) throw e;
    io.err(`records: ${e.message}`);
    return 1;
  } finally {
    store?.close();
  }
}
