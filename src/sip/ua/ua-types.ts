import type { Clock } from '../../common/index.js';
import type { Logger } from '../../observability/index.js';
import type { SipDialog } from '../dialog/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { TransactionTimers } from '../transaction/index.js';
import type { InboundSource, SipTransport, TransportName } from '../transport/index.js';
import type { HostResolver } from './next-hop.js';

export interface SipUserAgentOptions {
  /** Listened and closed by its owner; the UA takes over its onMessage on start(). */
  transport: SipTransport;
  clock: Clock;
  /** Product token for User-Agent / Server headers. */
  userAgent: string;
  log?: Logger;
  timers?: Partial<TransactionTimers>;
  /** Option-tags we support (RFC 3261 §19.2); a Require naming any other gets 420. Default none. */
  supported?: string[];
  /** User part of our Contact URI; default "switchboard". */
  contactUser?: string;
  /** Host name lookup for targets that are not IP literals; default an A lookup. */
  resolveHost?: HostResolver;
  /** How long stop() waits for the BYEs it sends; default 4*T1 (2 s). */
  stopTimeoutMs?: number;
}

export interface AcceptedInvite {
  dialog: SipDialog;
  /** Body of the ACK: the SDP answer when the INVITE had no offer and our 2xx carried one. */
  ackBody: Buffer | undefined;
}

/** A new out-of-dialog INVITE, handed to SipUserAgent.onInvite. */
export interface IncomingInvite {
  readonly request: SipRequest;
  readonly source: InboundSource;
  readonly callId: string;
  readonly fromUri: string;
  readonly toUri: string;
  /** User part of the Request-URI (the number or name dialled). */
  readonly requestUser: string | undefined;
  /** The body when its Content-Type is application/sdp. */
  readonly offer: Buffer | undefined;
  /** Sends 180 Ringing or 183 Session Progress (with early-media SDP). */
  progress(status: 180 | 183, body?: Buffer): void;
  /**
   * Sends 200 with the SDP, retransmits it until the ACK (RFC 3261 §13.3.1.4) and resolves on the ACK. Rejects when no
   * ACK comes within 64*T1 (the UA then sends BYE itself) or when the caller cancelled first.
   */
  accept(answerOrOffer: Buffer, headers?: [string, string][]): Promise<AcceptedInvite>;
  /** Sends a final failure response (300–699). */
  reject(status: number, reason?: string, headers?: [string, string][]): void;
  /** The caller cancelled; the UA has already answered 200 to the CANCEL and 487 to the INVITE (§9.2). */
  onCancel: (() => void) | undefined;
}

export interface OutgoingInviteOptions {
  /** Request-URI, e.g. `sip:100@192.0.2.7:5060;transport=tcp`. */
  target: string;
  /** Our From URI; default `sip:<contactUser>@<local address>`. */
  from?: string;
  fromDisplay?: string;
  headers?: [string, string][];
  /** The offer; omit for a late offer (the answer then goes in the ACK via `ackBody`). */
  body?: Buffer;
  contentType?: string;
  /** Used once to answer a 401/407 (RFC 3261 §22.2). */
  credentials?: { username: string; password: string };
  /** Transport when the target has no `;transport=`; default UDP. */
  transport?: TransportName;
  /** Every provisional response; `dialog` is the early dialog when the response carried a To tag. */
  onProgress?: (response: SipResponse, dialog: SipDialog | undefined) => void;
  /** Late offer: builds the ACK body (the answer) from the 2xx carrying the offer. */
  ackBody?: (response: SipResponse) => Buffer | undefined;
}

export interface OutgoingInvite {
  /** Resolves on the 2xx (after the ACK is sent); rejects with SipFailureError on a failure, timeout or cancel. */
  readonly result: Promise<{ dialog: SipDialog; response: SipResponse }>;
  /** RFC 3261 §9.1: sends CANCEL once a provisional response has arrived; the INVITE then fails with 487. */
  cancel(): void;
}

export interface SipUserAgentStats {
  /** Dialogs in the dialog table (confirmed, or 2xx sent and awaiting ACK). */
  dialogs: number;
  /** Incoming INVITEs not answered with a final response yet. */
  pendingIncoming: number;
  /** Outgoing INVITEs without a final response yet. */
  pendingOutgoing: number;
  clientTransactions: number;
  serverTransactions: number;
  /** Requests rejected by the RFC 3261 §8.2 checks, merged-request and dialog-matching rules. */
  rejectedRequests: number;
}
