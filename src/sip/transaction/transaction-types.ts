import type { SipRequest, SipResponse } from '../message/index.js';
import type { InboundSource, SendDestination } from '../transport/index.js';

/** RFC 3261 §17 transaction states, plus "Accepted" from RFC 6026 §7.1 / §7.2. */
export enum TransactionState {
  Calling = 'Calling',
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Accepted = 'Accepted',
  Completed = 'Completed',
  Confirmed = 'Confirmed',
  Terminated = 'Terminated',
}

/** RFC 3261 §17.1.1.1 / Table 4 timer bases. */
export interface TransactionTimers {
  /** RTT estimate; default 500 ms. */
  t1Ms: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses; default 4 s. */
  t2Ms: number;
  /** Maximum time a message stays in the network; default 5 s. */
  t4Ms: number;
}

export const DEFAULT_TRANSACTION_TIMERS: Readonly<TransactionTimers> = { t1Ms: 500, t2Ms: 4000, t4Ms: 5000 };

/** RFC 3261 §17.2.1: a TU that may not answer within 200 ms has a 100 Trying sent for it. */
export const TRYING_DELAY_MS = 200;

/** The layer above the transactions (the UA core): a small callback interface. */
export interface TransactionUser {
  /** A new server transaction (INVITE, CANCEL, BYE, …). Retransmissions never come here twice. */
  onRequest(tx: ServerTransaction, request: SipRequest, source: InboundSource): void;
  /**
   * An ACK that matched no transaction in Completed/Confirmed: the ACK for a 2xx, which is a transaction of its own
   * (RFC 3261 §17.1.1.3, §13.3.1.4). ACKs matching an INVITE server transaction in Accepted come here too
   * (RFC 6026 §8.7).
   */
  onAck(ack: SipRequest, source: InboundSource): void;
  /**
   * A 2xx to INVITE that matched no client transaction (it ended), or that arrived in Accepted when the handlers
   * have no onRetransmitted2xx: the UA core must ACK it again (RFC 3261 §13.2.2.4, RFC 6026 §8.4).
   */
  onStray2xx?(response: SipResponse, source: InboundSource): void;
}

export interface ClientTransactionHandlers {
  onProvisional?(res: SipResponse): void;
  /** Called once, with the first final response (2xx or 300–699). */
  onFinal(res: SipResponse): void;
  /**
   * INVITE only: every further 2xx received in Accepted (retransmissions and 2xx from other forks, RFC 6026 §8.4),
   * for the UA core to ACK. When absent these go to TransactionUser.onStray2xx.
   */
  onRetransmitted2xx?(res: SipResponse): void;
  /** Timer B / F fired with no final response: the TU should act as on a 408 (RFC 3261 §8.1.3.1). */
  onTimeout(): void;
  /** The transport failed to send the request (RFC 3261 §17.1.4); the transaction is terminated. */
  onTransportError(err: Error): void;
}

export interface ClientTransaction {
  /** Matching key (branch + method, RFC 3261 §17.1.3). */
  readonly id: string;
  readonly request: SipRequest;
  readonly dest: SendDestination;
  readonly state: TransactionState;
  /** Called once when the transaction reaches Terminated. */
  onTerminated?: () => void;
}

export interface ServerTransaction {
  /** Matching key (branch + sent-by + method, RFC 3261 §17.2.3). */
  readonly id: string;
  readonly request: SipRequest;
  readonly source: InboundSource;
  readonly state: TransactionState;
  /**
   * Sends a response built by the TU (e.g. with createResponse). Throws SwitchboardError(SWB_ERR_SIP_TRANSACTION_STATE)
   * when the state does not allow it (a final response was already sent; for INVITE a further 2xx is allowed in
   * Accepted, RFC 6026 §8.7).
   */
  respond(res: SipResponse): void;
  /** INVITE only: a CANCEL matched this transaction (RFC 3261 §9.2); the CANCEL itself also reaches onRequest. */
  onCancelled?: (cancel: SipRequest) => void;
  /** INVITE only: Timer H fired, no ACK came for the non-2xx final response (RFC 3261 §17.2.1). */
  onTimeout?: () => void;
  /** Called once when the transaction reaches Terminated. */
  onTerminated?: () => void;
  /** A response could not be sent (RFC 3261 §17.2.4). */
  onTransportError?: (err: Error) => void;
}
