import { SwitchboardError, type TimerHandle } from '../../common/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { InboundSource } from '../transport/index.js';
import { cancelTimer, notifyUser, type TransactionContext } from './transaction-context.js';
import { TransactionState, type ServerTransaction } from './transaction-types.js';

/**
 * Non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).
 *
 * ```
 *                       |Request received
 *                       |pass to TU
 *                       V
 *                 +-----------+
 *                 |           |
 *                 | Trying    |-------------+
 *                 |           |             |
 *                 +-----------+             |200-699 from TU
 *                       |                   |send response
 *                       |1xx from TU        |
 *                       |send response      |
 *                       |                   |
 *    Request            V      1xx from TU  |
 *    send response+-----------+send response|
 *        +--------|           |--------+    |
 *        |        | Proceeding|        |    |
 *        +------->|           |<-------+    |
 * +<--------------|           |             |
 * |Trnsprt Err    +-----------+             |
 * |Inform TU            |                   |
 * |                     |                   |
 * |                     |200-699 from TU    |
 * |                     |send response      |
 * |  Request            V                   |
 * |  send response+-----------+             |
 * |      +--------|           |             |
 * |      |        | Completed |<------------+
 * |      +------->|           |
 * +<--------------|           |
 * |Trnsprt Err    +-----------+
 * |Inform TU            |
 * |                     |Timer J fires
 * |                     |-
 * |                     |
 * |                     V
 * |               +-----------+
 * |               |           |
 * +-------------->| Terminated|
 *                 |           |
 *                 +-----------+
 * ```
 * On a reliable transport Timer J is zero (§17.2.2).
 */
export class NonInviteServerTransaction implements ServerTransaction {
  onTerminated?: () => void;
  onTransportError?: (err: Error) => void;
  private currentState = TransactionState.Trying;
  private lastProvisional?: SipResponse;
  private lastFinal?: SipResponse;
  private timerJ?: TimerHandle;
  private readonly reliable: boolean;

  constructor(
    private readonly ctx: TransactionContext,
    readonly id: string,
    readonly request: SipRequest,
    readonly source: InboundSource,
  ) {
    this.reliable = source.transport === 'tcp';
  }

  get state(): TransactionState {
    return this.currentState;
  }

  /** A retransmission of the request matched this transaction (§17.2.3). */
  receiveRequest(_req: SipRequest): void {
    switch (this.currentState) {
      case TransactionState.Trying:
        // "Once in the "Trying" state, any further request retransmissions are discarded." (§17.2.2)
        return;
      case TransactionState.Proceeding:
        // "If a retransmission of the request is received while in the "Proceeding" state, the most recently sent
        // provisional response MUST be passed to the transport layer for retransmission." (§17.2.2)
        if (this.lastProvisional) this.transmit(this.lastProvisional);
        return;
      case TransactionState.Completed:
        // "While in the "Completed" state, the server transaction MUST pass the final response to the transport
        // layer for retransmission whenever a retransmission of the request is received." (§17.2.2)
        if (this.lastFinal) this.transmit(this.lastFinal);
        return;
      case TransactionState.Terminated:
        return;
      default:
        this.ctx.log.warn({ state: this.currentState }, 'non-INVITE server transaction in an unexpected state');
    }
  }

  respond(res: SipResponse): void {
    switch (this.currentState) {
      case TransactionState.Trying:
      case TransactionState.Proceeding:
        if (res.status < 200) {
          // "While in the "Trying" state, if the TU passes a provisional response to the server transaction, the
          // server transaction MUST enter the "Proceeding" state. ... Any other provisional responses passed by the
          // TU to the server transaction while in the "Proceeding" state MUST be passed to the transport layer for
          // transmission." (§17.2.2)
          this.currentState = TransactionState.Proceeding;
          this.lastProvisional = res;
          this.transmit(res);
          return;
        }
        // "If the TU passes a final response (status codes 200-699) to the server while in the "Proceeding" state,
        // the transaction MUST enter the "Completed" state, and the response MUST be passed to the transport layer
        // for transmission." — from "Trying" as well. (§17.2.2)
        this.lastFinal = res;
        this.transition(TransactionState.Completed);
        this.transmit(res);
        return;
      default:
        // "Any other final responses passed by the TU to the server transaction MUST be discarded while in the
        // "Completed" state." (§17.2.2) — reported to the TU as a misuse rather than dropped silently.
        throw new SwitchboardError(
          'SWB_ERR_SIP_TRANSACTION_STATE',
          `non-INVITE server transaction cannot send ${res.status} in state ${this.currentState}`,
        );
    }
  }

  /** Stops all timers without telling the TU (the layer is shutting down). */
  dispose(): void {
    this.timerJ = cancelTimer(this.timerJ);
    this.currentState = TransactionState.Terminated;
  }

  private transmit(res: SipResponse): void {
    try {
      this.ctx.transport.sendResponse(res, this.source, (err) => this.reportTransportError(err));
    } catch (err) {
      this.reportTransportError(err);
    }
  }

  /**
   * "If the transport layer fails to deliver the response ... the server transaction SHOULD inform the TU that a
   * failure has occurred, and SHOULD transition to the terminated state." (§17.2.4)
   */
  private reportTransportError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this.ctx.log.warn({ err: error, tx: this.id }, 'response could not be sent');
    notifyUser(this.ctx, 'onTransportError', () => this.onTransportError?.(error));
    if (this.currentState !== TransactionState.Terminated) this.transition(TransactionState.Terminated);
  }

  private transition(next: TransactionState): void {
    this.currentState = next;
    switch (next) {
      case TransactionState.Completed:
        // "When the server transaction enters the "Completed" state, it MUST set Timer J to fire in 64*T1 seconds
        // for unreliable transports, and zero seconds for reliable transports." (§17.2.2)
        if (this.reliable) this.transition(TransactionState.Terminated);
        else this.timerJ = this.ctx.clock.setTimer(64 * this.ctx.timers.t1Ms, () => this.timerJFired());
        return;
      case TransactionState.Terminated:
        this.timerJ = cancelTimer(this.timerJ);
        this.ctx.forget('server', this.id);
        notifyUser(this.ctx, 'onTerminated', () => this.onTerminated?.());
        return;
      default:
        return;
    }
  }

  private timerJFired(): void {
    this.timerJ = undefined;
    // "The server transaction remains in this state until Timer J fires, at which point it MUST transition to the
    // "Terminated" state." (§17.2.2)
    if (this.currentState === TransactionState.Completed) this.transition(TransactionState.Terminated);
  }
}
