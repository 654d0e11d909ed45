import type { Clock, TimerHandle } from '../../common/index.js';
import type { TransactionTimers } from '../transaction/index.js';

/**
 * RFC 3261 §13.3.1.4: the UAS core, not the transaction, keeps a 2xx to INVITE alive on the wire — first after T1,
 * then at doubling intervals capped at T2 — until the ACK arrives; with no ACK after 64*T1 it gives up.
 * Over TCP the RFC still asks for the retransmissions (the ACK can be lost above the connection), so they run there
 * too.
 */
export class Uas2xxRetransmitter {
  private intervalMs: number;
  private retransmitTimer: TimerHandle | undefined;
  private giveUpTimer: TimerHandle | undefined;
  private active = false;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Pick<TransactionTimers, 't1Ms' | 't2Ms'>,
    private readonly retransmit: () => void,
    private readonly onNoAck: () => void,
  ) {
    this.intervalMs = timers.t1Ms;
  }

  /** Call right after the first transmission of the 2xx. */
  start(): void {
    this.active = true;
    this.retransmitTimer = this.clock.setTimer(this.intervalMs, () => this.fire());
    this.giveUpTimer = this.clock.setTimer(64 * this.timers.t1Ms, () => {
      if (!this.active) return;
      this.stop();
      this.onNoAck();
    });
  }

  /** The ACK came (or the dialog ended): stop retransmitting. */
  stop(): void {
    this.active = false;
    this.retransmitTimer?.cancel();
    this.giveUpTimer?.cancel();
    this.retransmitTimer = undefined;
    this.giveUpTimer = undefined;
  }

  get running(): boolean {
    return this.active;
  }

  private fire(): void {
    if (!this.active) return;
    this.intervalMs = Math.min(2 * this.intervalMs, this.timers.t2Ms);
    this.retransmitTimer = this.clock.setTimer(this.intervalMs, () => this.fire());
    this.retransmit();
  }
}
