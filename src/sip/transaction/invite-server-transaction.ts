import { SwitchboardError, type TimerHandle } from '../../common/index.js';
import { createResponse, type SipRequest, type SipResponse } from '../message/index.js';
import type { InboundSource } from '../transport/index.js';
import { cancelTimer, notifyUser, type TransactionContext } from './transaction-context.js';
import { TRYING_DELAY_MS, TransactionState, type ServerTransaction } from './transaction-types.js';

/**
 * INVITE server transaction: RFC 3261 §17.2.1 with the "Accepted" state of RFC 6026 §7.1, so that INVITE
 * retransmissions after a 2xx are absorbed here and never reach the TU as a new request. The TU (UA core) still
 * retransmits its 2xx itself (§13.3.1.4), by calling respond() again in Accepted or with sendStateless.
 *
 * ```
 *                       |INVITE: pass to TU
 *   INVITE              V  send 100 if the TU has not answered in 200 ms
 *   resend last 1xx +------------+
 *     +-------------| Proceeding |<--------+ 1xx from TU
 *     +------------>|            |---------+ send it
 *                   +------------+
 *      300-699 from TU |      | 2xx from TU
 *      send it         |      | send it
 *                      |      +------------------------+
 *   INVITE             V   Timer G: resend             V
 *   resend final  +-----------+                 +-----------+  INVITE: absorb
 *     +-----------| Completed |<-+              | Accepted  |  ACK: to TU (onAck)
 *     +---------->|           |--+              |           |  2xx from TU: send it
 *                 +-----------+                 +-----------+
 *                  |         |                        |
 *              ACK |         | Timer H                | Timer L
 *                  V         | inform TU (onTimeout)  |
 *            +-----------+   |                        |
 *            | Confirmed |   |                        |
 *            +-----------+   |                        |
 *   ACK: absorb    | Timer I |                        |
 *                  V         V                        V
 *            +---------------------------------------------+
 *            |                 Terminated                  |
 *            +---------------------------------------------+
 * ```
 * On a reliable transport Timer G is not used and Timer I is zero (§17.2.1).
 */
export class InviteServerTransaction implements ServerTransaction {
  onCancelled?: (cancel: SipRequest) => void;
  onTerminated?: () => void;
  onTransportError?: (err: Error) => void;
  /** Timer H fired: no ACK came for the non-2xx final response (§17.2.1). */
  onTimeout?: () => void;
  private currentState = TransactionState.Proceeding;
  private lastProvisional?: SipResponse;
  private lastFinal?: SipResponse;
  private timerTrying?: TimerHandle;
  private timerG?: TimerHandle;
  private timerGIntervalMs: number;
  private timerH?: TimerHandle;
  private timerI?: TimerHandle;
  private timerL?: TimerHandle;
  private readonly reliable: boolean;

  constructor(
    private readonly ctx: TransactionContext,
    readonly id: string,
    readonly request: SipRequest,
    readonly source: InboundSource,
  ) {
    this.reliable = source.transport === 'tcp';
    this.timerGIntervalMs = ctx.timers.t1Ms;
    // "If there's any chance that the TU will not generate a provisional or final response within 200 ms, then it
    // MUST generate a 100 (Trying) response." The transaction does it for the TU when the TU has not. (§17.2.1)
    this.timerTrying = ctx.clock.setTimer(TRYING_DELAY_MS, () => this.timerTryingFired());
  }

  get state(): TransactionState {
    return this.currentState;
  }

  /** A retransmission of the INVITE, or an ACK, matched this transaction (§17.2.3). */
  receiveRequest(req: SipRequest): void {
    switch (this.currentState) {
      case TransactionState.Proceeding:
        // "If a request retransmission is received while in the "Proceeding" state, the most recent provisional
        // response that was received from the TU MUST be passed to the transport layer for retransmission."
        // (§17.2.1)
        if (req.method === 'INVITE' && this.lastProvisional) this.transmit(this.lastProvisional);
        return;
      case TransactionState.Accepted:
        // "While in the "Accepted" state, any retransmissions of the INVITE received will match this transaction
        // state machine and will be absorbed by the machine without changing its state." (RFC 6026 §7.1)
        // An ACK matching it is the ACK for the 2xx and goes to the TU (RFC 6026 §8.7).
        if (req.method === 'ACK') this.ctx.user.onAck(req, this.source);
        return;
      case TransactionState.Completed:
        // "while in the "Completed" state, if a request retransmission is received, the server SHOULD pass the
        // response to the transport for retransmission. If an ACK is received while the server transaction is in
        // the "Completed" state, the server transaction MUST transition to the "Confirmed" state." (§17.2.1)
        if (req.method === 'INVITE' && this.lastFinal) this.transmit(this.lastFinal);
        else if (req.method === 'ACK') this.transition(TransactionState.Confirmed);
        return;
      case TransactionState.Confirmed:
        // "The purpose of the "Confirmed" state is to absorb any additional ACK messages that arrive, triggered
        // from retransmissions of the final response." (§17.2.1)
        return;
      case TransactionState.Terminated:
        return;
      default:
        this.ctx.log.warn({ state: this.currentState }, 'INVITE server transaction in an unexpected state');
    }
  }

  respond(res: SipResponse): void {
    const status = res.status;
    switch (this.currentState) {
      case TransactionState.Proceeding:
        this.timerTrying = cancelTimer(this.timerTrying);
        if (status < 200) {
          // "The TU passes any number of provisional responses to the server transaction. So long as the server
          // transaction is in the "Proceeding" state, each of these MUST be passed to the transport layer for
          // transmission." (§17.2.1)
          this.lastProvisional = res;
          this.transmit(res);
          return;
        }
        this.lastFinal = res;
        if (status < 300) {
          // "If, while in the "Proceeding" state, the TU passes a 2xx response to the server transaction, the server
          // transaction MUST pass this response to the transport layer for transmission. ... The server transaction
          // MUST then transition to the "Accepted" state." (RFC 6026 §8.5)
          this.transition(TransactionState.Accepted);
          this.transmit(res);
          return;
        }
        // "While in the "Proceeding" state, if the TU passes a response with status code from 300 to 699 to the
        // server transaction, the response MUST be passed to the transport layer for transmission, and the state
        // machine MUST enter the "Completed" state." (§17.2.1)
        this.transition(TransactionState.Completed);
        this.transmit(res);
        return;
      case TransactionState.Accepted:
        // "While in the "Accepted" state, if the TU passes a 2xx response, the server transaction MUST pass the
        // response to the transport layer for transmission." (RFC 6026 §8.7)
        if (status >= 200 && status < 300) {
          this.transmit(res);
          return;
        }
        break;
      default:
        break;
    }
    throw new SwitchboardError(
      'SWB_ERR_SIP_TRANSACTION_STATE',
      `INVITE server transaction cannot send ${status} in state ${this.currentState}`,
    );
  }

  /** Stops all timers without telling the TU (the layer is shutting down). */
  dispose(): void {
    this.stopTimers();
    this.currentState = TransactionState.Terminated;
  }

  private timerTryingFired(): void {
    this.timerTrying = undefined;
    if (this.currentState !== TransactionState.Proceeding || this.lastProvisional) return;
    const trying = createResponse(this.request, 100, 'Trying');
    this.lastProvisional = trying;
    this.transmit(trying);
  }

  private timerGFired(): void {
    this.timerG = undefined;
    if (this.currentState !== TransactionState.Completed || !this.lastFinal) return;
    // "If timer G fires, the response is passed to the transport layer once more for retransmission, and timer G
    // is set to fire in MIN(2*T1, T2) seconds. From then on, when timer G fires, the response is passed to the
    // transport again for transmission, and timer G is reset with a value that doubles, unless that value exceeds
    // T2, in which case it is reset with the value of T2." (§17.2.1)
    this.timerGIntervalMs = Math.min(2 * this.timerGIntervalMs, this.ctx.timers.t2Ms);
    this.timerG = this.ctx.clock.setTimer(this.timerGIntervalMs, () => this.timerGFired());
    this.transmit(this.lastFinal);
  }

  private timerHFired(): void {
    this.timerH = undefined;
    if (this.currentState !== TransactionState.Completed) return;
    // "If timer H fires while in the "Completed" state, it implies that the ACK was never received. In this case,
    // the server transaction MUST transition to the "Terminated" state, and MUST indicate to the TU that a
    // transaction failure has occurred." (§17.2.1)
    notifyUser(this.ctx, 'onTimeout', () => this.onTimeout?.());
    this.transition(TransactionState.Terminated);
  }

  private timerIFired(): void {
    this.timerI = undefined;
    // "Once timer I fires, the server MUST transition to the "Terminated" state." (§17.2.1)
    if (this.currentState === TransactionState.Confirmed) this.transition(TransactionState.Terminated);
  }

  private timerLFired(): void {
    this.timerL = undefined;
    // "If Timer L fires while the INVITE server transaction is in the "Accepted" state, the transaction MUST
    // transition to the "Terminated" state." (RFC 6026 §8.7)
    if (this.currentState === TransactionState.Accepted) this.transition(TransactionState.Terminated);
  }

  private transmit(res: SipResponse): void {
    try {
      this.ctx.transport.sendResponse(res, this.source, (err) => this.reportTransportError(err));
    } catch (err) {
      this.reportTransportError(err);
    }
  }

  /**
   * "the server transaction SHOULD inform the TU that a failure has occurred, and MUST remain in the current
   * state." (RFC 6026 §8.8, replacing the transition to Terminated of RFC 3261 §17.2.4)
   */
  private reportTransportError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this.ctx.log.warn({ err: error, tx: this.id }, 'response could not be sent');
    notifyUser(this.ctx, 'onTransportError', () => this.onTransportError?.(error));
  }

  private stopTimers(): void {
    this.timerTrying = cancelTimer(this.timerTrying);
    this.timerG = cancelTimer(this.timerG);
    this.timerH = cancelTimer(this.timerH);
    this.timerI = cancelTimer(this.timerI);
    this.timerL = cancelTimer(this.timerL);
  }

  private transition(next: TransactionState): void {
    this.currentState = next;
    const { clock, timers } = this.ctx;
    switch (next) {
      case TransactionState.Accepted:
        this.stopTimers();
        // "Timer L MUST be set to fire in 64*T1." (RFC 6026 §8.5)
        this.timerL = clock.setTimer(64 * timers.t1Ms, () => this.timerLFired());
        return;
      case TransactionState.Completed:
        this.stopTimers();
        // "When the "Completed" state is entered, timer H MUST be set to fire in 64*T1 seconds for all transports.
        // ... For unreliable transports, timer G is set to fire in T1 seconds, and is not set to fire for reliable
        // transports." (§17.2.1)
        this.timerH = clock.setTimer(64 * timers.t1Ms, () => this.timerHFired());
        if (!this.reliable) this.timerG = clock.setTimer(this.timerGIntervalMs, () => this.timerGFired());
        return;
      case TransactionState.Confirmed:
        this.stopTimers();
        // "When this state is entered, timer I is set to fire in T4 seconds for unreliable transports, and zero
        // seconds for reliable transports." (§17.2.1)
        if (this.reliable) this.transition(TransactionState.Terminated);
        else this.timerI = clock.setTimer(timers.t4Ms, () => this.timerIFired());
        return;
      case TransactionState.Terminated:
        this.stopTimers();
        this.ctx.forget('server', this.id);
        notifyUser(this.ctx, 'onTerminated', () => this.onTerminated?.());
        return;
      default:
        return;
    }
  }
}
