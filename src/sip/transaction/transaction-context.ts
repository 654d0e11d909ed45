import type { Clock, TimerHandle } from '../../common/index.js';
import type { Logger } from '../../observability/index.js';
import type { SipTransport } from '../transport/index.js';
import type { TransactionTimers, TransactionUser } from './transaction-types.js';

/** What every transaction gets from the TransactionLayer that owns it. */
export interface TransactionContext {
  readonly transport: SipTransport;
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly user: TransactionUser;
  readonly log: Logger;
  /** Forgets a transaction that reached Terminated (removes it from the matching maps). */
  forget(kind: 'client' | 'server', id: string): void;
}

/**
 * Runs a TU callback reached from a timer or a socket callback, where a throw would end the process: the failure is
 * logged and the state machine carries on.
 */
export function notifyUser(ctx: TransactionContext, what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    ctx.log.error({ err }, `transaction user threw in ${what}`);
  }
}

export function cancelTimer(timer: TimerHandle | undefined): undefined {
  timer?.cancel();
  return undefined;
}

/** RFC 3261 §17.1.1.2 Table 4: Timer D is at least 32 s on unreliable transports. */
export function timerDMs(timers: TransactionTimers): number {
  return Math.max(32_000, 64 * timers.t1Ms);
}
