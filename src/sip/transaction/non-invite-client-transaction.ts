import type { TimerHandle } from '../../common/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { SendDestination } from '../transport/index.js';
import { cancelTimer, notifyUser, type TransactionContext } from './transaction-context.js';
import {
  TransactionState,
  type ClientTransaction,
  type ClientTransactionHandlers,
} from './transaction-types.js';

/**
 * Non-INVITE client transaction: RFC 3261 §17.1.2 (Figure 6).
 *
 * ```
 *                                |Request from TU
 *                                |send request
 *            Timer E             V
 *            send request  +-----------+
 *                +---------|           |-------------------+
 *                |         |  Trying   |  Timer F          |
 *                +-------->|           |  or Transport Err.|
 *                          +-----------+  inform TU        |
 *             200-699         |  |                         |
 *             resp. to TU     |  |1xx                      |
 *             +---------------+  |resp. to TU              |
 *             |                  |                         |
 *             |   Timer E        V       Timer F           |
 *             |   send req +-----------+ or Transport Err. |
 *             |  +---------|           | inform TU         |
 *             |  |         |Proceeding |------------------>|
 *             |  +-------->|           |-----+             |
 *             |            +-----------+     |1xx          |
 *             |              |      ^        |resp to TU   |
 *             | 200-699      |      +--------+             |
 *             | resp. to TU  |                             |
 *             |              V                             |
 *             |            +-----------+                   |
 *             |            |           |                   |
 *             |            | Completed |                   |
 *             |            |           |                   |
 *             |            +-----------+                   |
 *             |              ^   |                         |
 *             |              |   | Timer K                 |
 *             +--------------+   | -                       |
 *                                |                         |
 *                                V                         |
 *          NOTE:           +-----------+                   |
 *                          |           |                   |
 *      transitions         | Terminated|<------------------+
 *      labeled with        |           |
 *      the event           +-----------+
 *      over the action
 *      to take
 * ```
 * On a reliable transport Timer E is not used and Timer K is zero (§17.1.2.2).
 */
export class NonInviteClientTransaction implements ClientTransaction {
  onTerminated?: () => void;
  private currentState = TransactionState.Trying;
  private timerE?: TimerHandle;
  private timerEIntervalMs: number;
  private timerF?: TimerHandle;
  private timerK?: TimerHandle;
  private readonly reliable: boolean;

  constructor(
    private readonly ctx: TransactionContext,
    readonly id: string,
    readonly request: SipRequest,
    readonly dest: SendDestination,
    private readonly handlers: ClientTransactionHandlers,
  ) {
    this.reliable = dest.transport === 'tcp';
    this.timerEIntervalMs = ctx.timers.t1Ms;
  }

  get state(): TransactionState {
    return this.currentState;
  }

  /** Sends the request. A synchronous transport failure is thrown to the caller of TransactionLayer.sendRequest. */
  start(): void {
    this.ctx.transport.send(this.request, this.dest, (err) => this.onTransportError(err));
    // "The "Trying" state is entered when the TU initiates a new client transaction with a request. When entering
    // this state, the client transaction SHOULD set timer F to fire in 64*T1 seconds. ... If an unreliable transport
    // is in use, the client transaction MUST set timer E to fire in T1 seconds." (§17.1.2.2)
    this.timerF = this.ctx.clock.setTimer(64 * this.ctx.timers.t1Ms, () => this.timerFFired());
    if (!this.reliable) this.timerE = this.ctx.clock.setTimer(this.timerEIntervalMs, () => this.timerEFired());
  }

  /** A response matched this transaction (§17.1.3). */
  receiveResponse(res: SipResponse): void {
    switch (this.currentState) {
      case TransactionState.Trying:
      case TransactionState.Proceeding:
        if (res.status < 200) {
          // "If a provisional response is received while in the "Trying" state, the response MUST be passed to the
          // TU, and then the client transaction SHOULD move to the "Proceeding" state." (§17.1.2.2)
          this.currentState = TransactionState.Proceeding;
          this.handlers.onProvisional?.(res);
          return;
        }
        // "If a final response (status codes 200-699) is received while in the "Trying" state, the response MUST be
        // passed to the TU, and the client transaction MUST transition to the "Completed" state." — the same holds
        // in "Proceeding". (§17.1.2.2)
        this.transition(TransactionState.Completed);
        try {
          this.handlers.onFinal(res);
        } finally {
          // Timer K is zero on reliable transports (§17.1.2.2).
          if (this.reliable) this.transition(TransactionState.Terminated);
        }
        return;
      case TransactionState.Completed:
        // "The "Completed" state exists to buffer any additional response retransmissions that may be received"
        // (§17.1.2.2)
        return;
      case TransactionState.Terminated:
        return;
      default:
        this.ctx.log.warn({ state: this.currentState }, 'non-INVITE client transaction in an unexpected state');
    }
  }

  /** Stops all timers without telling the TU (the layer is shutting down). */
  dispose(): void {
    this.stopTimers();
    this.currentState = TransactionState.Terminated;
  }

  private timerEFired(): void {
    this.timerE = undefined;
    switch (this.currentState) {
      case TransactionState.Trying:
        // "If timer E fires while still in this state, the timer is reset, but this time with a value of
        // MIN(2*T1, T2). When the timer fires again, it is reset to a MIN(4*T1, T2)." (§17.1.2.2)
        this.timerEIntervalMs = Math.min(2 * this.timerEIntervalMs, this.ctx.timers.t2Ms);
        break;
      case TransactionState.Proceeding:
        // "If Timer E fires while in the "Proceeding" state, the request MUST be passed to the transport layer for
        // retransmission, and Timer E MUST be reset with a value of T2 seconds." (§17.1.2.2)
        this.timerEIntervalMs = this.ctx.timers.t2Ms;
        break;
      default:
        return;
    }
    this.timerE = this.ctx.clock.setTimer(this.timerEIntervalMs, () => this.timerEFired());
    try {
      this.ctx.transport.send(this.request, this.dest, (err) => this.onTransportError(err));
    } catch (err) {
      this.onTransportError(err);
    }
  }

  private timerFFired(): void {
    this.timerF = undefined;
    if (this.currentState !== TransactionState.Trying && this.currentState !== TransactionState.Proceeding) return;
    // "If Timer F fires while the client transaction is still in the "Trying" state, the client transaction SHOULD
    // inform the TU about the timeout, and then it SHOULD enter the "Terminated" state." — likewise in
    // "Proceeding". (§17.1.2.2)
    notifyUser(this.ctx, 'onTimeout', () => this.handlers.onTimeout());
    this.transition(TransactionState.Terminated);
  }

  private onTransportError(err: unknown): void {
    if (this.currentState !== TransactionState.Trying && this.currentState !== TransactionState.Proceeding) return;
    // "the client transaction SHOULD inform the TU that a transport failure has occurred, and the client
    // transaction SHOULD transition directly to the "Terminated" state." (§17.1.4)
    const error = err instanceof Error ? err : new Error(String(err));
    notifyUser(this.ctx, 'onTransportError', () => this.handlers.onTransportError(error));
    this.transition(TransactionState.Terminated);
  }

  private stopTimers(): void {
    this.timerE = cancelTimer(this.timerE);
    this.timerF = cancelTimer(this.timerF);
    this.timerK = cancelTimer(this.timerK);
  }

  private transition(next: TransactionState): void {
    this.currentState = next;
    switch (next) {
      case TransactionState.Completed:
        this.stopTimers();
        // "Once the client transaction enters the "Completed" state, it MUST set Timer K to fire in T4 seconds for
        // unreliable transports, and zero seconds for reliable transports." (§17.1.2.2)
        if (!this.reliable) this.timerK = this.ctx.clock.setTimer(this.ctx.timers.t4Ms, () => this.timerKFired());
        return;
      case TransactionState.Terminated:
        this.stopTimers();
        this.ctx.forget('client', this.id);
        notifyUser(this.ctx, 'onTerminated', () => this.onTerminated?.());
        return;
      default:
        return;
    }
  }

  private timerKFired(): void {
    this.timerK = undefined;
    // "If Timer K fires while in this state, the client transaction MUST transition to the "Terminated" state."
    // (§17.1.2.2)
    if (this.currentState === TransactionState.Completed) this.transition(TransactionState.Terminated);
  }
}
