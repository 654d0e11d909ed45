import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

const root: Logger = pino({ level: process.env.SWB_LOG_LEVEL ?? 'info', base: undefined });

/**
 * One child logger per module name. Modules create theirs at import, before the configuration is read, and a
 * pino child keeps the level it was born with; keeping them here lets configureLogging reach every one.
 */
const modules = new Map<string, Logger>();

/** Sets the level of the root and of every module logger (the composition root calls this once the config is known). */
export function configureLogging(level: LevelWithSilent): void {
  root.level = level;
  for (const child of modules.values()) child.level = level;
}

/** The logger of a module: `logger('sip.transport')`. The same object for the same name. */
export function logger(module: string): Logger {
  let child = modules.get(module);
  if (!child) {
    child = root.child({ module });
    modules.set(module, child);
  }
  return child;
}
