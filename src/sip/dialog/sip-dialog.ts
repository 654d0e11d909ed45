import { randomInt } from 'node:crypto';
import { SipFailureError, SwitchboardError } from '../../common/index.js';
import {
  formatNameAddr, getCSeq, parseNameAddr, SipHeaders, splitHeaderList, type SipMessage, type SipRequest,
  type SipResponse,
} from '../message/index.js';
import { DialogState, type DialogTerminationReason } from './dialog-state.js';
import { resolveRequestTarget } from './route-set.js';

/** One end of a dialog: the From/To URI and display name (the tag lives in the dialog id). */
export interface DialogParty {
  uri: string;
  displayName?: string;
}

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export interface DialogRequestOptions {
  body?: Buffer;
  contentType?: string;
  headers?: [string, string][];
}

/**
 * Answers a re-INVITE or UPDATE. For a re-INVITE 2xx it resolves on the ACK with the ACK's body (the answer, when the
 * re-INVITE carried no offer and the 2xx did), and rejects when no ACK comes within 64*T1 (RFC 3261 §13.3.1.4).
 * Otherwise it resolves with undefined once the response is sent.
 */
export type OfferReply = (status: number, body?: Buffer, headers?: [string, string][]) => Promise<Buffer | undefined>;

/**
 * What a dialog needs from the UA core that owns it (dependency inversion: the dialog builds requests, the core
 * owns transactions and transports).
 */
export interface DialogHost {
  /**
   * Sends an in-dialog request in a new client transaction and resolves with its final response. Rejects with
   * SipFailureError(408) on Timer B/F (RFC 3261 §8.1.3.1) and with a SwitchboardError on a transport failure.
   */
  sendRequest(dialog: SipDialog, request: SipRequest): Promise<SipResponse>;
  /** Sends the ACK for a 2xx to INVITE: a transaction of its own (RFC 3261 §17.1.1.3). */
  sendAck(dialog: SipDialog, ack: SipRequest): void;
  dialogTerminated(dialog: SipDialog, reason: DialogTerminationReason): void;
}

/** RFC 3261 §12.2.1.1 / RFC 3311, 3515, 6665: methods whose requests carry a Contact and refresh the remote target. */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

function tagOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseNameAddr(value).params.get('tag');
}

function cseqNumber(msg: SipMessage): number {
  const cseq = getCSeq(msg);
  if (cseq === undefined) throw new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', 'message without CSeq');
  return cseq.seq;
}

function partyOf(value: string): DialogParty {
  const na = parseNameAddr(value);
  return na.displayName === undefined ? { uri: na.uri } : { uri: na.uri, displayName: na.displayName };
}

function contactUri(msg: SipMessage): string | undefined {
  const value = msg.headers.get('Contact');
  if (value === undefined) return undefined;
  const first = splitHeaderList(value)[0];
  return first === undefined ? undefined : parseNameAddr(first).uri;
}

function recordRoutes(msg: SipMessage): string[] {
  return msg.headers.getAll('Record-Route').flatMap((v) => splitHeaderList(v));
}

function missing(what: string): SwitchboardError {
  return new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', `cannot create a dialog: ${what}`);
}

/**
 * The dialog state of RFC 3261 §12.1: id, local/remote URI and sequence numbers, remote target, route set and the
 * secure flag. Inbound in-dialog requests are dispatched by the UA core to the settable callbacks below.
 */
export class SipDialog {
  state: DialogState;
  /** RFC 3261 §12.1.1: empty for the UAS until it sends its first request. */
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  remoteTarget: string;
  routeSet: string[];
  /** CSeq number of the last INVITE this side sent; its ACK reuses it (RFC 3261 §13.2.2.4). */
  inviteSeq: number | undefined;
  /** An INVITE we sent in this dialog has no final response yet (RFC 3261 §14.1). */
  clientInvitePending = false;
  /** An INVITE we received in this dialog has not been answered and ACKed yet (RFC 3261 §14.2). */
  serverInvitePending = false;
  /** The last ACK sent for a 2xx, re-sent when that 2xx is retransmitted (RFC 3261 §13.2.2.4). */
  lastAck: SipRequest | undefined;
  /** The BYE was received and answered 200 by the UA core. */
  onBye: ((request: SipRequest) => void) | undefined;
  /** A re-INVITE (hold, unhold, session refresh); without a handler the UA core answers 488. */
  onReinvite: ((request: SipRequest, reply: OfferReply) => void) | undefined;
  /** An UPDATE (RFC 3311); without a handler the core answers 200 when it carries no offer, 488 otherwise. */
  onUpdate: ((request: SipRequest, reply: OfferReply) => void) | undefined;
  /** INFO (RFC 6086): returns the status to answer; 200 without a handler. */
  onInfo: ((request: SipRequest) => number | Promise<number>) | undefined;
  /** REFER (RFC 3515): returns the status (202 to accept); 603 without a handler. */
  onRefer: ((request: SipRequest) => number | Promise<number>) | undefined;
  /** NOTIFY (e.g. the sipfrag progress of our REFER, RFC 3515 §2.4.4); 200 without a handler. */
  onNotify: ((request: SipRequest) => number | Promise<number>) | undefined;
  onTerminated: ((reason: DialogTerminationReason) => void) | undefined;
  private terminationReason: DialogTerminationReason | undefined;

  private constructor(
    private readonly host: DialogHost,
    readonly role: 'uac' | 'uas',
    readonly id: Readonly<DialogId>,
    readonly local: Readonly<DialogParty>,
    readonly remote: Readonly<DialogParty>,
    /** Our Contact URI, sent in target refresh requests. */
    readonly localContact: string,
    readonly secure: boolean,
    init: { state: DialogState; localSeq?: number; remoteSeq?: number; remoteTarget: string; routeSet: string[] },
  ) {
    this.state = init.state;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.inviteSeq = init.localSeq;
  }

  /**
   * UAC side (RFC 3261 §12.1.2), from our request and a 1xx-with-tag or 2xx response: the route set is the
   * response's Record-Route in reverse order, the remote target its Contact.
   */
  static createUac(
    host: DialogHost,
    request: SipRequest,
    response: SipResponse,
    opts: { localContact: string; secure?: boolean },
  ): SipDialog {
    const callId = request.headers.get('Call-ID');
    const localTag = tagOf(request.headers.get('From'));
    const remoteTag = tagOf(response.headers.get('To'));
    if (callId === undefined || localTag === undefined || remoteTag === undefined) throw missing('no Call-ID or tag');
    const state = response.status >= 200 ? DialogState.Confirmed : DialogState.Early;
    return new SipDialog(
      host, 'uac', { callId, localTag, remoteTag }, partyOf(request.headers.get('From') ?? ''),
      partyOf(request.headers.get('To') ?? ''), opts.localContact, opts.secure ?? false,
      {
        state,
        localSeq: cseqNumber(request),
        remoteTarget: contactUri(response) ?? request.uri,
        routeSet: recordRoutes(response).reverse(),
      },
    );
  }

  /**
   * UAS side (RFC 3261 §12.1.1), from the INVITE and the To tag we chose: the route set is the request's
   * Record-Route in order, the remote target its Contact, the remote sequence number its CSeq.
   */
  static createUas(
    host: DialogHost,
    request: SipRequest,
    localTag: string,
    opts: { localContact: string; secure?: boolean; confirmed?: boolean },
  ): SipDialog {
    const callId = request.headers.get('Call-ID');
    const remoteTag = tagOf(request.headers.get('From'));
    const contact = contactUri(request);
    if (callId === undefined || remoteTag === undefined) throw missing('no Call-ID or From tag');
    if (contact === undefined) throw missing('no Contact');
    return new SipDialog(
      host, 'uas', { callId, localTag, remoteTag }, partyOf(request.headers.get('To') ?? ''),
      partyOf(request.headers.get('From') ?? ''), opts.localContact, opts.secure ?? false,
      {
        state: opts.confirmed ? DialogState.Confirmed : DialogState.Early,
        remoteSeq: cseqNumber(request),
        remoteTarget: contact,
        routeSet: recordRoutes(request),
      },
    );
  }

  get key(): string {
    return dialogKey(this.id.callId, this.id.localTag, this.id.remoteTag);
  }

  get terminated(): boolean {
    return this.state === DialogState.Terminated;
  }

  /**
   * Builds an in-dialog request (RFC 3261 §12.2.1.1) without Via; the UA core adds it. ACK reuses the CSeq number of
   * the INVITE it acknowledges (§13.2.2.4); every other method increments the local sequence number.
   */
  createRequest(method: string, opts: DialogRequestOptions & { cseq?: number } = {}): SipRequest {
    let seq: number;
    if (method === 'ACK') {
      seq = opts.cseq ?? this.inviteSeq ?? 0;
    } else {
      // §12.2.1.1: an empty local sequence number gets an initial value per §8.1.1.5 (below 2**31).
      this.localSeq = this.localSeq === undefined ? randomInt(1, 2 ** 31 - 1) : this.localSeq + 1;
      seq = this.localSeq;
      if (method === 'INVITE') this.inviteSeq = seq;
    }
    const { requestUri, routes } = resolveRequestTarget(this.remoteTarget, this.routeSet);
    const headers = new SipHeaders();
    for (const r of routes) headers.append('Route', r);
    headers.append('Max-Forwards', '70');
    headers.append('From', formatNameAddr({ ...this.local, params: new Map([['tag', this.id.localTag]]) }));
    headers.append('To', formatNameAddr({ ...this.remote, params: new Map([['tag', this.id.remoteTag]]) }));
    headers.append('Call-ID', this.id.callId);
    headers.append('CSeq', `${seq} ${method}`);
    if (TARGET_REFRESH.has(method)) headers.append('Contact', `<${this.localContact}>`);
    for (const [n, v] of opts.headers ?? []) headers.append(n, v);
    const body = opts.body ?? Buffer.alloc(0);
    if (body.length > 0) headers.set('Content-Type', opts.contentType ?? 'application/sdp');
    return { kind: 'request', method, uri: requestUri, headers, body };
  }

  /**
   * RFC 3261 §12.2.2: an in-dialog request whose CSeq is lower than the remote sequence number is out of order and
   * gets a 500; otherwise the number is remembered. ACK and CANCEL reuse an earlier number and are not checked.
   */
  acceptRemoteCSeq(request: SipRequest): boolean {
    if (request.method === 'ACK' || request.method === 'CANCEL') return true;
    const seq = cseqNumber(request);
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** Target refresh (RFC 3261 §12.2.1.2 for responses, §12.2.2 for requests): the Contact replaces the target. */
  refreshTarget(msg: SipMessage): void {
    const uri = contactUri(msg);
    if (uri !== undefined) this.remoteTarget = uri;
  }

  /**
   * A 2xx confirmed the dialog. For the UAC the route set is recomputed from the 2xx (RFC 3261 §13.2.2.4) and the
   * remote target refreshed from its Contact.
   */
  confirm(response?: SipResponse): void {
    if (this.state === DialogState.Terminated) return;
    if (response && this.role === 'uac' && this.state === DialogState.Early) {
      this.routeSet = recordRoutes(response).reverse();
    }
    if (response) this.refreshTarget(response);
    this.state = DialogState.Confirmed;
  }

  terminate(reason: DialogTerminationReason): void {
    if (this.state === DialogState.Terminated) return;
    this.state = DialogState.Terminated;
    this.terminationReason = reason;
    this.host.dialogTerminated(this, reason);
    this.onTerminated?.(reason);
  }

  get endReason(): DialogTerminationReason | undefined {
    return this.terminationReason;
  }

  /**
   * Sends BYE and ends the dialog (RFC 3261 §15.1.1: the session is over as soon as the BYE is handed to the
   * transaction). Resolves once the BYE transaction ends, whatever its outcome.
   */
  async bye(reason: DialogTerminationReason = 'local-bye'): Promise<void> {
    if (this.state !== DialogState.Confirmed) {
      if (this.state === DialogState.Early) this.terminate(reason);
      return;
    }
    const request = this.createRequest('BYE');
    this.terminate(reason);
    try {
      await this.host.sendRequest(this, request);
    } catch {
      // The dialog is gone either way; a lost BYE only delays the peer's own cleanup.
    }
  }

  /**
   * Sends any other in-dialog request (INFO, UPDATE, REFER, NOTIFY, OPTIONS, MESSAGE) and resolves with its final
   * response, whatever the status. A 408 or 481 ends the dialog (RFC 3261 §12.2.1.2).
   */
  async request(method: string, opts: DialogRequestOptions = {}): Promise<SipResponse> {
    if (method === 'INVITE' || method === 'ACK' || method === 'CANCEL' || method === 'BYE') {
      throw new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', `use reinvite()/bye() for ${method}`);
    }
    this.assertUsable(method);
    let response: SipResponse;
    try {
      response = await this.host.sendRequest(this, this.createRequest(method, opts));
    } catch (err) {
      if (err instanceof SipFailureError) this.terminate('request-failed');
      throw err;
    }
    if (response.status === 408 || response.status === 481) this.terminate('request-failed');
    else if (response.status >= 200 && response.status < 300 && TARGET_REFRESH.has(method)) this.refreshTarget(response);
    return response;
  }

  /**
   * Sends a re-INVITE with an offer (hold, unhold, session refresh) and ACKs its 2xx. Rejects with SipFailureError
   * on a non-2xx; the session is then unchanged (RFC 3261 §14.1), except that 408/481/timeout end the dialog.
   * While another INVITE is in progress in either direction it rejects at once with 491 (RFC 3261 §14.1).
   */
  async reinvite(body: Buffer, opts: Omit<DialogRequestOptions, 'body'> = {}): Promise<{ response: SipResponse; dialog: SipDialog }> {
    this.assertUsable('INVITE');
    if (this.state !== DialogState.Confirmed) {
      throw new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', 're-INVITE needs a confirmed dialog');
    }
    if (this.clientInvitePending || this.serverInvitePending) throw new SipFailureError(491, 'Request Pending');
    const request = this.createRequest('INVITE', { ...opts, body });
    this.clientInvitePending = true;
    let response: SipResponse;
    try {
      response = await this.host.sendRequest(this, request);
    } catch (err) {
      this.clientInvitePending = false;
      // §14.1: no response at all to a re-INVITE ends the dialog; the BYE tells the peer.
      if (err instanceof SipFailureError) await this.bye();
      throw err;
    }
    this.clientInvitePending = false;
    if (response.status >= 300) {
      if (response.status === 481) this.terminate('request-failed');
      else if (response.status === 408) await this.bye();
      throw new SipFailureError(response.status, response.reason);
    }
    this.refreshTarget(response);
    this.sendAckFor(request);
    return { response, dialog: this };
  }

  /** Builds and sends the ACK for a 2xx to `invite` (RFC 3261 §13.2.2.4), keeping it for 2xx retransmissions. */
  sendAckFor(invite: SipRequest, body?: Buffer, contentType?: string): SipRequest {
    const headers: [string, string][] = [];
    // §13.2.2.4: the ACK carries the same credentials as the INVITE.
    for (const name of ['Authorization', 'Proxy-Authorization']) {
      for (const v of invite.headers.getAll(name)) headers.push([name, v]);
    }
    const ack = this.createRequest('ACK', { cseq: cseqNumber(invite), headers, body, contentType });
    this.lastAck = ack;
    this.host.sendAck(this, ack);
    return ack;
  }

  private assertUsable(method: string): void {
    if (this.state === DialogState.Terminated) {
      throw new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', `cannot send ${method}: the dialog has ended`);
    }
  }
}
