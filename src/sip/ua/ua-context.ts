import type { Clock } from '../../common/index.js';
import type { Logger } from '../../observability/index.js';
import type { DialogHost, SipDialog } from '../dialog/index.js';
import type { CreateResponseOptions, SipRequest, SipResponse } from '../message/index.js';
import type { ServerTransaction, TransactionLayer, TransactionTimers } from '../transaction/index.js';
import type { SendDestination, SipTransport, TransportName } from '../transport/index.js';

/** How to reach the peer of a dialog besides its remote target: the transport and, for TCP, the connection. */
export interface DialogRouteHint {
  transport: TransportName;
  connectionId?: number;
}

/** A pending INVITE server transaction that a CANCEL may still stop (RFC 3261 §9.2). */
export interface Cancellable {
  /** To tag for the 200 to the CANCEL (the tag of the INVITE's responses). */
  toTag: string | undefined;
  cancel(): void;
}

/** What the UA core's parts (incoming/outgoing INVITE, in-dialog handling) share; built by SipUserAgent. */
export interface UaContext {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly log: Logger;
  readonly transactions: TransactionLayer;
  readonly transport: SipTransport;
  readonly dialogHost: DialogHost;
  readonly supported: readonly string[];
  readonly userAgent: string;
  readonly contactUser: string;
  /** Our Contact URI for a transport (RFC 3261 §8.1.1.8), reachable from `peerHost` when given. */
  localContact(transport: TransportName, peerHost?: string): string;
  resolve(uri: string, preferred?: TransportName): SendDestination | Promise<SendDestination>;
  /** Builds a response with our Server header and sends it; a send failure is logged, not thrown. */
  respond(tx: ServerTransaction, status: number, reason?: string, options?: CreateResponseOptions): SipResponse;
  registerDialog(dialog: SipDialog, hint: DialogRouteHint): void;
  /**
   * After the first transmission of a 2xx to an INVITE (initial or re-INVITE), retransmits it until the ACK
   * (RFC 3261 §13.3.1.4). Resolves with the ACK's body; rejects when no ACK comes within 64*T1 (after which a BYE is
   * sent) or the dialog ends first.
   */
  retransmit2xxUntilAck(tx: ServerTransaction, response: SipResponse, dialog: SipDialog): Promise<Buffer | undefined>;
  /** Re-sends the dialog's last ACK for a retransmitted 2xx (RFC 3261 §13.2.2.4). */
  reAck(dialog: SipDialog, response: SipResponse): void;
  setCancellable(tx: ServerTransaction, entry: Cancellable | undefined): void;
  /** Copies Record-Route into a dialog-creating response (RFC 3261 §12.1.1). */
  recordRoutes(request: SipRequest): [string, string][];
}
