import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isSwitchboardError } from '../../common/index.js';
import { DATABASE_FILE, SqliteMessageStore } from '../../store/index.js';
import type { CommandIo } from './cli-table.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** parseArgs, or the exit status: 2 after printing the usage on a mistake, 0 after printing it for --help. */
export function parseCommand(name: string, usage: string, args: string[], options: Options, io: CommandIo): ParsedCommand | number {
  try {
    const parsed = parseArgs({ args, allowPositionals: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
    if (parsed.values.help) {
      io.out(usage);
      return 0;
    }
    return parsed as ParsedCommand;
  } catch (e) {
    return usageError(name, usage, e instanceof Error ? e.message : String(e), io);
  }
}

export function usageError(name: string, usage: string, message: string, io: CommandIo): number {
  io.err(`${name}: ${message}`);
  io.err(usage);
  return 2;
}

/**
 * Opens the message store of a data dir for a reading command: when there is no database yet, reports `nothing`
 * instead of creating one as a side effect. Store errors print and exit 1.
 */
export function withMessageStore(
  name: string,
  dataDir: string,
  io: CommandIo,
  nothing: { text: string; isError: boolean },
  run: (store: SqliteMessageStore) => number,
): number {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) {
    if (nothing.isError) io.err(`${name}: ${nothing.text} (no database at ${file})`);
    else io.out(`${nothing.text} (no database at ${file})`);
    return nothing.isError ? 1 : 0;
  }
  let store: SqliteMessageStore | undefined;
  try {
    store = new SqliteMessageStore({ dir: dataDir });
    return run(store);
  } catch (e) {
    if (!isSwitchboardError(e, 'SWB_ERR_STORE')) throw e;
    io.err(`${name}: ${e.message}`);
    return 1;
  } finally {
    store?.close();
  }
}
