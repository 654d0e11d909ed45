import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

let root: Logger = pino({ level: process.env.SWB_LOG_LEVEL ?? 'info', base: undefined });

/** Replaces the root logger (the composition root calls this once the config is known). */
export function configureLogging(level: LevelWithSilent, destination?: NodeJS.WritableStream): void {
  root = destination ? pino({ level, base: undefined }, destination) : pino({ level, base: undefined });
}

/** A child logger per module: `logger('sip.transport')`. */
export function logger(module: string): Logger {
  return root.child({ module });
}
