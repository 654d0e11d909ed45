import {
  newBranch, randomToken, SipFailureError, SwitchboardError, type Clock,
} from '../../common/index.js';
import { logger, type Logger } from '../../observability/index.js';
import { dialogKey, DialogState, type DialogHost, type SipDialog } from '../dialog/index.js';
import {
  createResponse, getCallId, getCSeq, getFromTag, getToTag, type SipRequest, type SipResponse,
} from '../message/index.js';
import {
  DEFAULT_TRANSACTION_TIMERS, TransactionLayer, type ServerTransaction, type TransactionTimers,
} from '../transaction/index.js';
import type { InboundSource, SendDestination, SipTransport } from '../transport/index.js';
import { handleInDialogRequest } from './in-dialog-requests.js';
import { IncomingInviteImpl } from './incoming-invite.js';
import { lookupIPv4, nextHopUri, resolveDestination, withDestination, type HostResolver } from './next-hop.js';
import { buildOutOfDialogRequest, formatHost, targetTransport } from './out-of-dialog-request.js';
import { OutgoingInviteImpl } from './outgoing-invite.js';
import { capabilityHeaders, checkInboundRequest } from './request-checks.js';
import { Uas2xxRetransmitter } from './uas-2xx-retransmitter.js';
import type { Cancellable, DialogRouteHint, UaContext } from './ua-context.js';
import type {
  IncomingInvite, OutgoingInvite, OutgoingInviteOptions, SipUserAgentOptions, SipUserAgentStats,
} from './ua-types.js';

interface PendingAck {
  seq: number;
  acked(body: Buffer): void;
  fail(err: Error): void;
}

/**
 * The UA core (RFC 3261 §8, §12–§15) on top of the transaction layer: UAS handling of every inbound request, UAC
 * INVITE/OPTIONS, and the dialog table. It is the TransactionUser and the DialogHost of its dialogs.
 */
export class SipUserAgent {
  /** A new out-of-dialog INVITE. Without a handler the UA answers 480. */
  onInvite: (invite: IncomingInvite) => void = (invite) => invite.reject(480, 'Temporarily Unavailable');

  private readonly transport: SipTransport;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly timers: TransactionTimers;
  private readonly supported: readonly string[];
  private readonly resolveHost: HostResolver;
  private readonly stopTimeoutMs: number;
  private readonly ctx: UaContext;
  private readonly host: DialogHost;
  private txl: TransactionLayer | undefined;
  private readonly dialogs = new Map<string, SipDialog>();
  private readonly routeHints = new WeakMap<SipDialog, DialogRouteHint>();
  private readonly incoming = new Map<string, IncomingInviteImpl>();
  private readonly outgoing = new Set<OutgoingInviteImpl>();
  private readonly pendingAcks = new Map<string, PendingAck>();
  private readonly cancellables = new Map<string, Cancellable>();
  /** §8.2.2.2: From tag, Call-ID and CSeq of ongoing out-of-dialog requests → their server transaction. */
  private readonly ongoing = new Map<string, string>();
  private readonly ackDestinations = new WeakMap<SipRequest, SendDestination>();
  private rejected = 0;

  constructor(options: SipUserAgentOptions) {
    this.transport = options.transport;
    this.clock = options.clock;
    this.log = options.log ?? logger('sip.ua');
    this.timers = { ...DEFAULT_TRANSACTION_TIMERS, ...options.timers };
    this.supported = (options.supported ?? []).map((t) => t.toLowerCase());
    this.resolveHost = options.resolveHost ?? lookupIPv4;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 4 * this.timers.t1Ms;
    const contactUser = options.contactUser ?? 'switchboard';
    this.host = {
      sendRequest: (dialog, request) => this.sendInDialog(dialog, request),
      sendAck: (dialog, ack) => this.sendAck(dialog, ack),
      dialogTerminated: (dialog, reason) => this.dialogTerminated(dialog, reason),
    };
    const transactions = (): TransactionLayer => this.transactions;
    this.ctx = {
      clock: this.clock,
      timers: this.timers,
      log: this.log,
      get transactions() {
        return transactions();
      },
      transport: this.transport,
      dialogHost: this.host,
      supported: this.supported,
      userAgent: options.userAgent,
      contactUser,
      localContact: (transport, peerHost) => {
        const local = this.transport.localAddress(transport, peerHost);
        const param = transport === 'tcp' ? ';transport=tcp' : '';
        return `sip:${contactUser}@${formatHost(local.host)}:${local.port}${param}`;
      },
      resolve: (uri, preferred) => resolveDestination(uri, this.resolveHost, preferred),
      respond: (tx, status, reason, opts = {}) => {
        const toTag = opts.toTag ?? (status === 100 ? undefined : randomToken(8));
        const headers = [...(opts.headers ?? []), ['Server', options.userAgent] as const];
        const res = createResponse(tx.request, status, reason, { ...opts, toTag, headers });
        try {
          tx.respond(res);
        } catch (err) {
          this.log.warn({ err, status, method: tx.request.method }, 'response could not be sent');
        }
        return res;
      },
      registerDialog: (dialog, hint) => {
        this.dialogs.set(dialog.key, dialog);
        this.routeHints.set(dialog, hint);
      },
      retransmit2xxUntilAck: (tx, response, dialog) => this.retransmit2xxUntilAck(tx, response, dialog),
      reAck: (dialog, response) => this.reAck(dialog, response),
      setCancellable: (tx, entry) => {
        if (entry) this.cancellables.set(tx.id, entry);
        else this.cancellables.delete(tx.id);
      },
      recordRoutes: (request) => request.headers.getAll('Record-Route').map((v) => ['Record-Route', v]),
    };
  }

  /** Takes over the transport's inbound messages. The transport is listened and closed by its owner. */
  async start(): Promise<void> {
    if (this.txl) return;
    this.txl = new TransactionLayer(this.transport, this.clock, {
      onRequest: (tx, req, source) => this.onRequest(tx, req, source),
      onAck: (ack) => this.onAck(ack),
      onStray2xx: (res) => this.onStray2xx(res),
    }, this.timers);
  }

  /**
   * Ends everything: 503 to unanswered INVITEs, CANCEL for ours, BYE to every confirmed dialog (waiting at most
   * stopTimeoutMs for the answers), then stops all transaction timers.
   */
  async stop(): Promise<void> {
    const txl = this.txl;
    if (!txl) return;
    for (const invite of [...this.incoming.values()]) invite.reject(503, 'Service Unavailable');
    for (const invite of [...this.outgoing]) invite.cancel();
    const byes = [...this.dialogs.values()].filter((d) => d.state === DialogState.Confirmed).map((d) => d.bye('ua-stop'));
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimer(this.stopTimeoutMs, resolve);
      void Promise.all(byes).then(() => {
        timer.cancel();
        resolve();
      });
    });
    const stopped = new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', 'the user agent stopped');
    for (const invite of [...this.outgoing]) invite.abort(stopped);
    for (const pending of [...this.pendingAcks.values()]) pending.fail(stopped);
    txl.dispose();
    this.txl = undefined;
    this.transport.onMessage = () => undefined;
  }

  /** Starts an INVITE (UAC, RFC 3261 §13.2). */
  invite(options: OutgoingInviteOptions): OutgoingInvite {
    if (!this.txl) throw new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', 'the user agent is not started');
    const invite = new OutgoingInviteImpl(this.ctx, options, (done) => this.outgoing.delete(done));
    this.outgoing.add(invite);
    invite.start();
    return invite;
  }

  /**
   * Sends an out-of-dialog OPTIONS (RFC 3261 §11) and resolves with the final response, whatever its status;
   * rejects with SipFailureError 408 on timeout and 503 on a transport failure.
   */
  options(target: string): Promise<SipResponse> {
    const txl = this.transactions;
    const transport = targetTransport(target);
    const request = buildOutOfDialogRequest(this.ctx, 'OPTIONS', { target, transport });
    request.headers.append('Accept', 'application/sdp');
    return new Promise((resolve, reject) => {
      withDestination(this.ctx.resolve(target, transport), (dest) => {
        txl.sendRequest(request, dest, {
          onFinal: resolve,
          onTimeout: () => reject(new SipFailureError(408, 'Request Timeout')),
          onTransportError: (err) => reject(new SipFailureError(503, 'Service Unavailable', err.message)),
        });
      }, reject);
    });
  }

  stats(): SipUserAgentStats {
    const tx = this.txl?.stats() ?? { clientTransactions: 0, serverTransactions: 0 };
    return {
      dialogs: this.dialogs.size,
      pendingIncoming: this.incoming.size,
      pendingOutgoing: this.outgoing.size,
      ...tx,
      rejectedRequests: this.rejected,
    };
  }

  private get transactions(): TransactionLayer {
    if (!this.txl) throw new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', 'the user agent is not started');
    return this.txl;
  }

  private onRequest(tx: ServerTransaction, req: SipRequest, source: InboundSource): void {
    try {
      this.dispatch(tx, req, source);
    } catch (err) {
      this.log.error({ err, method: req.method }, 'request handling failed');
      this.reject(tx, 500);
    }
  }

  private dispatch(tx: ServerTransaction, req: SipRequest, source: InboundSource): void {
    if (req.method === 'CANCEL') {
      this.handleCancel(tx, req);
      return;
    }
    const failure = checkInboundRequest(req, this.supported);
    if (failure) {
      this.reject(tx, failure.status, failure.reason, failure.headers);
      return;
    }
    const toTag = getToTag(req);
    if (toTag !== undefined) {
      this.dispatchInDialog(tx, req, toTag);
      return;
    }
    if (this.isMerged(tx, req)) {
      this.reject(tx, 482, 'Loop Detected');
      return;
    }
    if (req.method === 'INVITE') this.handleInvite(tx, req, source);
    else if (req.method === 'OPTIONS') this.ctx.respond(tx, 200, undefined, { headers: capabilityHeaders(this.supported) });
    // BYE, INFO (RFC 6086) and UPDATE (RFC 3311) exist only inside a dialog, and we keep no subscriptions that an
    // out-of-dialog NOTIFY or REFER could belong to: all get 481.
    else this.reject(tx, 481);
  }

  private dispatchInDialog(tx: ServerTransaction, req: SipRequest, toTag: string): void {
    const callId = getCallId(req) ?? '';
    const dialog = this.dialogs.get(dialogKey(callId, toTag, getFromTag(req) ?? ''));
    if (!dialog) {
      // §15.1.2: a BYE on the early dialog of an INVITE we have not answered ends it; the INVITE gets 487.
      const early = req.method === 'BYE' ? this.findIncoming(callId, toTag) : undefined;
      if (early) {
        this.ctx.respond(tx, 200);
        early.cancelledByPeer();
        return;
      }
      // §12.2.2: a request with a To tag that matches no dialog gets 481.
      this.reject(tx, 481);
      return;
    }
    // §12.2.2: a CSeq lower than the remote sequence number is out of order.
    if (!dialog.acceptRemoteCSeq(req)) {
      this.reject(tx, 500, 'Server Internal Error');
      return;
    }
    handleInDialogRequest(this.ctx, dialog, tx, req);
  }

  /**
   * §8.2.2.2: a request without To tag whose From tag, Call-ID and CSeq equal those of an ongoing transaction it
   * does not belong to (a fork that reached us twice) is merged and gets 482.
   */
  private isMerged(tx: ServerTransaction, req: SipRequest): boolean {
    const key = `${getCallId(req)}|${getFromTag(req)}|${req.headers.get('CSeq')}`;
    const owner = this.ongoing.get(key);
    if (owner !== undefined && owner !== tx.id) return true;
    this.ongoing.set(key, tx.id);
    const previous = tx.onTerminated;
    tx.onTerminated = () => {
      previous?.();
      if (this.ongoing.get(key) === tx.id) this.ongoing.delete(key);
    };
    return false;
  }

  private handleInvite(tx: ServerTransaction, req: SipRequest, source: InboundSource): void {
    // §8.1.1.8: an INVITE must carry a Contact, the remote target of the dialog it creates.
    if (!req.headers.has('Contact')) {
      this.reject(tx, 400, 'Missing Contact');
      return;
    }
    const invite = new IncomingInviteImpl(this.ctx, tx, req, source, () => this.incoming.delete(tx.id));
    this.incoming.set(tx.id, invite);
    try {
      this.onInvite(invite);
    } catch (err) {
      this.log.error({ err, callId: invite.callId }, 'onInvite failed');
      if (!invite.answered) invite.reject(500);
    }
  }

  /** §9.2: 200 to the CANCEL, then 487 to the INVITE it matches if that has no final response; 481 if none. */
  private handleCancel(tx: ServerTransaction, cancel: SipRequest): void {
    const inviteTx = this.transactions.findInviteServerTransaction(cancel);
    if (!inviteTx) {
      this.reject(tx, 481);
      return;
    }
    const entry = this.cancellables.get(inviteTx.id);
    this.ctx.respond(tx, 200, undefined, { toTag: entry?.toTag });
    entry?.cancel();
  }

  private findIncoming(callId: string, toTag: string): IncomingInviteImpl | undefined {
    for (const invite of this.incoming.values()) if (invite.callId === callId && invite.toTag === toTag) return invite;
    return undefined;
  }

  private reject(tx: ServerTransaction, status: number, reason?: string, headers: [string, string][] = []): void {
    this.rejected++;
    this.ctx.respond(tx, status, reason, { headers });
  }

  /** §13.3.1.4 / §17.2.3: an ACK outside any transaction acknowledges a 2xx we are retransmitting. */
  private onAck(ack: SipRequest): void {
    const key = dialogKey(getCallId(ack) ?? '', getToTag(ack) ?? '', getFromTag(ack) ?? '');
    const pending = this.pendingAcks.get(key);
    if (pending && getCSeq(ack)?.seq === pending.seq) pending.acked(ack.body);
    else this.log.debug({ callId: getCallId(ack) }, 'ACK matches no 2xx awaiting one; ignored');
  }

  /** §13.2.2.4: a 2xx retransmitted after its transaction ended is ACKed again from the dialog. */
  private onStray2xx(res: SipResponse): void {
    const dialog = this.dialogs.get(dialogKey(getCallId(res) ?? '', getFromTag(res) ?? '', getToTag(res) ?? ''));
    if (dialog) this.reAck(dialog, res);
  }

  private reAck(dialog: SipDialog, res: SipResponse): void {
    const ack = dialog.lastAck;
    if (!ack || getCSeq(ack)?.seq !== getCSeq(res)?.seq) return;
    const dest = this.ackDestinations.get(ack);
    if (dest) this.transactions.sendStateless(ack, dest);
  }

  private retransmit2xxUntilAck(tx: ServerTransaction, response: SipResponse, dialog: SipDialog): Promise<Buffer | undefined> {
    const key = dialog.key;
    const seq = getCSeq(tx.request)?.seq ?? 0;
    return new Promise((resolve, reject) => {
      const done = (): void => {
        retransmitter.stop();
        this.pendingAcks.delete(key);
        dialog.serverInvitePending = false;
      };
      const retransmitter = new Uas2xxRetransmitter(this.clock, this.timers, () => {
        try {
          this.transport.sendResponse(response, tx.source, (err) => this.log.warn({ err }, '2xx retransmission failed'));
        } catch (err) {
          this.log.warn({ err }, '2xx retransmission failed');
        }
      }, () => {
        done();
        reject(new SwitchboardError('SWB_ERR_SIP_TRANSACTION_TIMEOUT', 'no ACK for the 2xx within 64*T1'));
        // §13.3.1.4: without an ACK the dialog is confirmed but the session SHOULD be ended with a BYE.
        void dialog.bye('ack-timeout');
      });
      this.pendingAcks.set(key, {
        seq,
        acked: (body) => {
          done();
          resolve(body.length > 0 ? body : undefined);
        },
        fail: (err) => {
          done();
          reject(err);
        },
      });
      retransmitter.start();
    });
  }

  /** Where an in-dialog request goes: its next hop (§8.1.2), over the dialog's transport and TCP connection. */
  private destinationFor(dialog: SipDialog, request: SipRequest): SendDestination | Promise<SendDestination> {
    const hint = this.routeHints.get(dialog);
    const withHint = (d: SendDestination): SendDestination =>
      hint?.connectionId !== undefined && d.transport === 'tcp' ? { ...d, connectionId: hint.connectionId } : d;
    const dest = this.ctx.resolve(nextHopUri(request), hint?.transport);
    return dest instanceof Promise ? dest.then(withHint) : withHint(dest);
  }

  private sendInDialog(dialog: SipDialog, request: SipRequest): Promise<SipResponse> {
    if (!request.headers.has('User-Agent')) request.headers.append('User-Agent', this.ctx.userAgent);
    return new Promise((resolve, reject) => {
      withDestination(this.destinationFor(dialog, request), (dest) => {
        this.transactions.sendRequest(request, dest, {
          onFinal: resolve,
          onRetransmitted2xx: (res) => this.reAck(dialog, res),
          onTimeout: () => reject(new SipFailureError(408, 'Request Timeout')),
          onTransportError: (err) => reject(new SipFailureError(503, 'Service Unavailable', err.message)),
        });
      }, reject);
    });
  }

  /** §17.1.1.3: the ACK for a 2xx is its own transaction: a new branch, sent without a client transaction. */
  private sendAck(dialog: SipDialog, ack: SipRequest): void {
    withDestination(this.destinationFor(dialog, ack), (dest) => {
      const local = this.transport.localAddress(dest.transport, dest.host);
      ack.headers.prepend(
        'Via',
        `SIP/2.0/${dest.transport.toUpperCase()} ${formatHost(local.host)}:${local.port};branch=${newBranch()};rport`,
      );
      this.ackDestinations.set(ack, dest);
      this.transactions.sendStateless(ack, dest);
    }, (err) => this.log.warn({ err, callId: dialog.id.callId }, 'ACK could not be sent'));
  }

  private dialogTerminated(dialog: SipDialog, reason: string): void {
    if (this.dialogs.get(dialog.key) === dialog) this.dialogs.delete(dialog.key);
    this.pendingAcks.get(dialog.key)?.fail(
      new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', `the dialog ended (${reason}) before the ACK`),
    );
  }
}
