import type { TimerHandle } from '../../common/index.js';
import { SipHeaders, formatVia, getCSeq, getTopVia, type SipRequest, type SipResponse } from '../message/index.js';
import type { InboundSource, SendDestination } from '../transport/index.js';
import { cancelTimer, notifyUser, timerDMs, type TransactionContext } from './transaction-context.js';
import {
  TransactionState,
  type ClientTransaction,
  type ClientTransactionHandlers,
} from './transaction-types.js';

/**
 * INVITE client transaction: RFC 3261 §17.1.1 with the "Accepted" state of RFC 6026 §7.2.
 *
 * ```
 *                     |INVITE from TU: send it
 *   Timer A           V
 *   resend      +-----------+  Timer B or transport error: inform TU
 *     +---------|  Calling  |---------------------------------------+
 *     +-------->|           |                                       |
 *               +-----------+                                       |
 *                |    |1xx | 2xx to TU                              |
 *                |    |    +---------------------------+            |
 *                |    V to TU                          V            |
 *                | +------------+  2xx to TU      +-----------+     |
 *                | | Proceeding |---------------->| Accepted  |     |
 *                | |            |<-+ 1xx to TU    |           |<-+  |
 *                | +------------+--+              +-----------+--+  |
 *                |    |                              |  2xx: to TU  |
 *  300-699: ACK, |    | 300-699: ACK, to TU          |  (re-ACKed   |
 *  to TU         V    V                              |  by the UA)  |
 *               +-----------+                        |              |
 *   300-699     | Completed |                        | Timer M      |
 *   resend ACK  |           |<-+                     |              |
 *               +-----------+--+                     |              |
 *                     | Timer D                      |              |
 *                     V                              V              |
 *               +-------------------------------------------+       |
 *               |                Terminated                 |<------+
 *               +-------------------------------------------+
 * ```
 * On a reliable transport Timer A is not used and Timer D is zero (§17.1.1.2).
 */
export class InviteClientTransaction implements ClientTransaction {
  onTerminated?: () => void;
  private currentState = TransactionState.Calling;
  private timerA?: TimerHandle;
  private timerAIntervalMs: number;
  private timerB?: TimerHandle;
  private timerD?: TimerHandle;
  private timerM?: TimerHandle;
  private ack?: SipRequest;
  private readonly reliable: boolean;

  constructor(
    private readonly ctx: TransactionContext,
    readonly id: string,
    readonly request: SipRequest,
    readonly dest: SendDestination,
    private readonly handlers: ClientTransactionHandlers,
  ) {
    this.reliable = dest.transport === 'tcp';
    this.timerAIntervalMs = ctx.timers.t1Ms;
  }

  get state(): TransactionState {
    return this.currentState;
  }

  /** Sends the INVITE. A synchronous transport failure is thrown to the caller of TransactionLayer.sendRequest. */
  start(): void {
    this.ctx.transport.send(this.request, this.dest, (err) => this.onTransportError(err));
    // "If an unreliable transport is being used, the client transaction MUST start timer A with a value of T1."
    // (§17.1.1.2)
    if (!this.reliable) this.timerA = this.ctx.clock.setTimer(this.timerAIntervalMs, () => this.timerAFired());
    // "For any transport, the client transaction MUST start timer B with a value of 64*T1 seconds." (§17.1.1.2)
    this.timerB = this.ctx.clock.setTimer(64 * this.ctx.timers.t1Ms, () => this.timerBFired());
  }

  /** A response matched this transaction (§17.1.3). */
  receiveResponse(res: SipResponse, source: InboundSource): void {
    const status = res.status;
    switch (this.currentState) {
      case TransactionState.Calling:
      case TransactionState.Proceeding:
        if (status < 200) {
          // "If the client transaction receives a provisional response while in the "Calling" state, it transitions
          // to the "Proceeding" state. ... the provisional response MUST be passed to the TU." (§17.1.1.2)
          if (this.currentState === TransactionState.Calling) this.transition(TransactionState.Proceeding);
          this.handlers.onProvisional?.(res);
          return;
        }
        if (status < 300) {
          // "If, while in the "Calling" or "Proceeding" states, a 2xx response is received, the client transaction
          // MUST transition to the "Accepted" state, and Timer M MUST be started with a value of 64*T1. The 2xx
          // response MUST be passed up to the TU." (RFC 6026 §8.4)
          this.transition(TransactionState.Accepted);
          this.handlers.onFinal(res);
          return;
        }
        // "When in either the "Calling" or "Proceeding" states, reception of a response with status code from
        // 300-699 MUST cause the client transaction to transition to "Completed". The client transaction MUST pass
        // the received response up to the TU, and the client transaction MUST generate an ACK request" (§17.1.1.2)
        this.ack = buildAckForNonSuccess(this.request, res);
        this.sendAck();
        this.transition(TransactionState.Completed);
        try {
          this.handlers.onFinal(res);
        } finally {
          // Timer D is zero on reliable transports (§17.1.1.2).
          if (this.reliable) this.transition(TransactionState.Terminated);
        }
        return;
      case TransactionState.Accepted:
        // "A 2xx response received while in the "Accepted" state MUST be passed up to the TU and MUST NOT generate
        // an ACK." (RFC 6026 §8.4) — these are retransmissions or 2xx from other forks, for the UA core to ACK.
        if (status >= 200 && status < 300) {
          if (this.handlers.onRetransmitted2xx) this.handlers.onRetransmitted2xx(res);
          else this.ctx.user.onStray2xx?.(res, source);
        }
        return;
      case TransactionState.Completed:
        // "Any retransmissions of the final response that are received while in the "Completed" state MUST cause
        // the ACK to be re-passed to the transport layer for retransmission, but the newly received response MUST
        // NOT be passed up to the TU." (§17.1.1.2)
        if (status >= 300) this.sendAck();
        return;
      case TransactionState.Terminated:
        return;
      default:
        this.ctx.log.warn({ state: this.currentState }, 'INVITE client transaction in an unexpected state');
    }
  }

  /** Stops all timers without telling the TU (the layer is shutting down). */
  dispose(): void {
    this.stopTimers();
    this.currentState = TransactionState.Terminated;
  }

  private sendAck(): void {
    if (!this.ack) return;
    try {
      this.ctx.transport.send(this.ack, this.dest, (err) => this.logAckFailure(err));
    } catch (err) {
      this.logAckFailure(err);
    }
  }

  private logAckFailure(err: unknown): void {
    this.ctx.log.warn({ err, tx: this.id }, 'ACK for a non-2xx final response could not be sent');
  }

  private timerAFired(): void {
    this.timerA = undefined;
    if (this.currentState !== TransactionState.Calling) return;
    // "When timer A fires, the client transaction MUST retransmit the request by passing it to the transport
    // layer, and MUST reset the timer with a value of 2*T1." (§17.1.1.2)
    this.timerAIntervalMs *= 2;
    this.timerA = this.ctx.clock.setTimer(this.timerAIntervalMs, () => this.timerAFired());
    try {
      this.ctx.transport.send(this.request, this.dest, (err) => this.onTransportError(err));
    } catch (err) {
      this.onTransportError(err);
    }
  }

  private timerBFired(): void {
    this.timerB = undefined;
    if (this.currentState !== TransactionState.Calling) return;
    // "If the client transaction is still in the "Calling" state when timer B fires, the client transaction SHOULD
    // inform the TU that a timeout has occurred." (§17.1.1.2)
    notifyUser(this.ctx, 'onTimeout', () => this.handlers.onTimeout());
    this.transition(TransactionState.Terminated);
  }

  private onTransportError(err: unknown): void {
    if (this.currentState !== TransactionState.Calling && this.currentState !== TransactionState.Proceeding) return;
    // "the client transaction SHOULD inform the TU that a transport failure has occurred, and the client
    // transaction SHOULD transition directly to the "Terminated" state." (§17.1.4)
    const error = err instanceof Error ? err : new Error(String(err));
    notifyUser(this.ctx, 'onTransportError', () => this.handlers.onTransportError(error));
    this.transition(TransactionState.Terminated);
  }

  private stopTimers(): void {
    this.timerA = cancelTimer(this.timerA);
    this.timerB = cancelTimer(this.timerB);
    this.timerD = cancelTimer(this.timerD);
    this.timerM = cancelTimer(this.timerM);
  }

  private transition(next: TransactionState): void {
    this.currentState = next;
    switch (next) {
      case TransactionState.Proceeding:
        // Timer A retransmits only in Calling, and Timer B only times out Calling (§17.1.1.2).
        this.timerA = cancelTimer(this.timerA);
        this.timerB = cancelTimer(this.timerB);
        return;
      case TransactionState.Accepted:
        this.stopTimers();
        // "Timer M MUST be started with a value of 64*T1" (RFC 6026 §8.4)
        this.timerM = this.ctx.clock.setTimer(64 * this.ctx.timers.t1Ms, () => this.timerMFired());
        return;
      case TransactionState.Completed:
        this.stopTimers();
        // "The client transaction SHOULD start timer D when it enters the "Completed" state, with a value of at
        // least 32 seconds for unreliable transports, and a value of zero seconds for reliable transports."
        // (§17.1.1.2)
        if (!this.reliable) this.timerD = this.ctx.clock.setTimer(timerDMs(this.ctx.timers), () => this.timerDFired());
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

  private timerDFired(): void {
    this.timerD = undefined;
    // "If timer D fires while the client transaction is in the "Completed" state, the client transaction MUST move
    // to the terminated state." (§17.1.1.2)
    if (this.currentState === TransactionState.Completed) this.transition(TransactionState.Terminated);
  }

  private timerMFired(): void {
    this.timerM = undefined;
    // "If Timer M fires and the state machine is in the "Accepted" state, the machine MUST transition to the
    // "Terminated" state." (RFC 6026 §8.4)
    if (this.currentState === TransactionState.Accepted) this.transition(TransactionState.Terminated);
  }
}

/**
 * RFC 3261 §17.1.1.3: the ACK for a non-2xx final response has the INVITE's Request-URI, Call-ID, From and CSeq
 * number (method ACK), the response's To (with its tag), one Via equal to the INVITE's top Via, and the INVITE's
 * Route header fields.
 */
export function buildAckForNonSuccess(invite: SipRequest, res: SipResponse): SipRequest {
  const headers = new SipHeaders();
  const topVia = getTopVia(invite);
  if (topVia) headers.append('Via', formatVia(topVia));
  for (const route of invite.headers.getAll('Route')) headers.append('Route', route);
  headers.append('Max-Forwards', '70');
  headers.append('From', invite.headers.get('From') ?? '');
  headers.append('To', res.headers.get('To') ?? invite.headers.get('To') ?? '');
  headers.append('Call-ID', invite.headers.get('Call-ID') ?? '');
  headers.append('CSeq', `${getCSeq(invite)?.seq ?? 0} ACK`);
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}
