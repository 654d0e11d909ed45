import { MAX_LIST_LIMIT, type CallbackState } from '../../store/index.js';
import { consoleIo, positiveInt, table, utc, type CommandIo } from './cli-table.js';
import { parseCommand, usageError, withMessageStore } from './message-store-command.js';

export const CALLBACKS_USAGE = `usage: switchboard callbacks [--data-dir DIR] [--limit N] [--before ID] [--state pending|done] [--queue NAME]
       switchboard callbacks <id> [--data-dir DIR]
       switchboard callbacks --done <id> [--data-dir DIR]

Lists callback requests, newest first, prints one as JSON, or marks one done (as POST /callbacks/<id>/done does).
  --data-dir  where the server keeps switchboard.db (default: $SWB_DATA_DIR or "data", the dataDir config key)
  --limit     how many to list, 1..${MAX_LIST_LIMIT} (default 50)
  --before    list requests older than this id (the next page starts before the last id shown)
Exit status: 0 on success, 1 when the request is missing or the store fails, 2 on bad usage.`;

const STATES: readonly string[] = ['pending', 'done'];

/** `switchboard callbacks`: the callback requests callers left, as a table, one as JSON, or one marked done. */
export async function callbacksCommand(args: string[], io: CommandIo = consoleIo): Promise<number> {
  const parsed = parseCommand('callbacks', CALLBACKS_USAGE, args, {
    'data-dir': { type: 'string' }, limit: { type: 'string' }, before: { type: 'string' }, state: { type: 'string' },
    queue: { type: 'string' }, done: { type: 'string' },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed as { values: Record<string, string | undefined>; positionals: string[] };
  const limit = values.limit === undefined ? 50 : positiveInt(values.limit);
  const problem =
    positionals.length > 1 ? 'at most one callback id'
    : values.done !== undefined && positionals.length > 0 ? '--done takes the id; give no other'
    : limit === undefined || limit > MAX_LIST_LIMIT ? `--limit must be an integer from 1 to ${MAX_LIST_LIMIT}`
    : values.state !== undefined && !STATES.includes(values.state) ? `--state must be one of ${STATES.join(', ')}`
    : undefined;
  if (problem) return usageError('callbacks', CALLBACKS_USAGE, problem, io);

  const id = values.done ?? positionals[0];
  const dir = values['data-dir'] ?? io.env.SWB_DATA_DIR ?? 'data';
  const nothing = id !== undefined ? { text: `no callback request ${id}`, isError: true } : { text: 'no callback requests', isError: false };
  return withMessageStore('callbacks', dir, io, nothing, (store) => {
    if (id !== undefined) {
      const request = values.done !== undefined ? store.markCallbackDone(id) : store.getCallback(id);
      if (!request) {
        io.err(`callbacks: no callback request ${id} in ${store.file}`);
        return 1;
      }
      io.out(values.done !== undefined ? `${id}: done at ${utc(request.doneAtMs ?? 0)} UTC` : JSON.stringify(request, null, 2));
      return 0;
    }
    const requests = store.listCallbacks({
      limit, before: values.before, queue: values.queue, state: values.state as CallbackState | undefined,
    });
    if (requests.length === 0) {
      io.out('no callback requests');
      return 0;
    }
    const rows = [['id', 'requested (UTC)', 'queue', 'call back', 'caller', 'state', 'window']];
    for (const c of requests) {
      rows.push([c.id, utc(c.requestedAtMs), c.queue, c.number, c.callerId, c.state, c.window ?? '-']);
    }
    for (const line of table(rows)) io.out(line);
    if (requests.length === limit) io.out(`more: --before ${requests[requests.length - 1].id}`);
    return 0;
  });
}
