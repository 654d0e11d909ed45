import { MAX_LIST_LIMIT, type VoicemailState } from '../../store/index.js';
import { consoleIo, minutesSeconds, positiveInt, table, utc, type CommandIo } from './cli-table.js';
import { parseCommand, usageError, withMessageStore } from './message-store-command.js';

export const VOICEMAILS_USAGE = `usage: switchboard voicemails [--data-dir DIR] [--limit N] [--before ID] [--mailbox NAME] [--state STATE]
       switchboard voicemails <id> [--data-dir DIR]

Lists voicemails, newest first, or prints one as JSON (with the path of its WAV file).
  --data-dir  where the server keeps switchboard.db (default: $SWB_DATA_DIR or "data", the dataDir config key)
  --limit     how many to list, 1..${MAX_LIST_LIMIT} (default 50)
  --before    list messages older than this id (the next page starts before the last id shown)
  --state     recording, saved or recovered (kept from a recording cut short by a restart)
Exit status: 0 on success, 1 when the message is missing or the store fails, 2 on bad usage.`;

const STATES: readonly string[] = ['recording', 'saved', 'recovered'];

/** `switchboard voicemails`: the messages callers left, as a table, or one of them as JSON. */
export async function voicemailsCommand(args: string[], io: CommandIo = consoleIo): Promise<number> {
  const parsed = parseCommand('voicemails', VOICEMAILS_USAGE, args, {
    'data-dir': { type: 'string' }, limit: { type: 'string' }, before: { type: 'string' }, mailbox: { type: 'string' }, state: { type: 'string' },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed as { values: Record<string, string | undefined>; positionals: string[] };
  const limit = values.limit === undefined ? 50 : positiveInt(values.limit);
  const problem =
    positionals.length > 1 ? 'at most one voicemail id'
    : limit === undefined || limit > MAX_LIST_LIMIT ? `--limit must be an integer from 1 to ${MAX_LIST_LIMIT}`
    : values.state !== undefined && !STATES.includes(values.state) ? `--state must be one of ${STATES.join(', ')}`
    : undefined;
  if (problem) return usageError('voicemails', VOICEMAILS_USAGE, problem, io);

  const id = positionals[0];
  const dir = values['data-dir'] ?? io.env.SWB_DATA_DIR ?? 'data';
  const nothing = id !== undefined ? { text: `no voicemail ${id}`, isError: true } : { text: 'no voicemails', isError: false };
  return withMessageStore('voicemails', dir, io, nothing, (store) => {
    if (id !== undefined) {
      const message = store.getVoicemail(id);
      if (!message) {
        io.err(`voicemails: no voicemail ${id} in ${store.file}`);
        return 1;
      }
      io.out(JSON.stringify(message, null, 2));
      return 0;
    }
    const messages = store.listVoicemails({
      limit, before: values.before, mailbox: values.mailbox, state: values.state as VoicemailState | undefined,
    });
    if (messages.length === 0) {
      io.out('no voicemails');
      return 0;
    }
    const rows = [['id', 'recorded (UTC)', 'mailbox', 'from → to', 'length', 'state']];
    for (const v of messages) {
      const length = v.durationMs !== undefined ? minutesSeconds(v.durationMs) : '-';
      rows.push([v.id, utc(v.recordedAtMs ?? v.createdAtMs), v.mailbox, `${v.callerId} → ${v.calledUser}`, length, v.state]);
    }
    for (const line of table(rows)) io.out(line);
    if (messages.length === limit) io.out(`more: --before ${messages[messages.length - 1].id}`);
    return 0;
  });
}
