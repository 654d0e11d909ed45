import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isSwitchboardError } from '../../common/index.js';
import { DATABASE_FILE, MAX_LIST_LIMIT, SqliteCallRecordStore, type CallRecordSummary } from '../../store/index.js';
import { consoleIo, minutesSeconds, positiveInt, table, utc, type CommandIo } from './cli-table.js';

export const RECORDS_USAGE = `usage: switchboard records [--data-dir DIR] [--limit N] [--before ID] [--from NUMBER] [--flow NAME]
       switchboard records <id> [--data-dir DIR]

Lists call records, newest first, or prints one record as JSON.
  --data-dir  where the server keeps switchboard.db (default: $SWB_DATA_DIR or "data", the dataDir config key)
  --limit     how many to list, 1..${MAX_LIST_LIMIT} (default 50)
  --before    list records older than this id (the next page starts before the last id shown)
Exit status: 0 on success, 1 when the record is missing or the store fails, 2 on bad usage.`;

const ROUTE_WIDTH = 48;

/** Talk time from answer to end; a call never answered shows "-". */
function duration(s: CallRecordSummary): string {
  return s.answeredAtMs === undefined ? '-' : minutesSeconds(s.endedAtMs - s.answeredAtMs);
}

function route(s: CallRecordSummary): string {
  const text = s.route.join(' > ');
  return text.length > ROUTE_WIDTH ? `${text.slice(0, ROUTE_WIDTH - 1)}…` : text;
}

/** `switchboard records`: the call records the server kept, as a table, or one of them as JSON. */
export async function recordsCommand(args: string[], io: CommandIo = consoleIo): Promise<number> {
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
