import { SipFailureError, type TimerHandle } from '../../common/index.js';
import { DialogState, SipDialog } from '../dialog/index.js';
import {
  formatVia, getCSeq, getToTag, getTopVia, SipHeaders, type SipRequest, type SipResponse,
} from '../message/index.js';
import type { ClientTransaction, ClientTransactionHandlers } from '../transaction/index.js';
import type { SendDestination, TransportName } from '../transport/index.js';
import { answerDigestChallenge, selectDigestChallenge } from './digest.js';
import { withDestination } from './next-hop.js';
import { buildOutOfDialogRequest, targetTransport } from './out-of-dialog-request.js';
import { capabilityHeaders } from './request-checks.js';
import type { UaContext } from './ua-context.js';
import type { OutgoingInvite, OutgoingInviteOptions } from './ua-types.js';

type InviteResult = { dialog: SipDialog; response: SipResponse };

/** The UAC side of an INVITE (RFC 3261 §13.2): early dialogs, ACK for 2xx, one digest retry, CANCEL. */
export class OutgoingInviteImpl implements OutgoingInvite {
  readonly result: Promise<InviteResult>;
  private resolveResult!: (r: InviteResult) => void;
  private rejectResult!: (err: Error) => void;
  private request: SipRequest;
  private readonly transport: TransportName;
  private dest: SendDestination | undefined;
  private provisionalSeen = false;
  private cancelRequested = false;
  private cancelSent = false;
  private finished = false;
  private authRetried = false;
  private readonly dialogs = new Map<string, SipDialog>();
  private cancelTimer: TimerHandle | undefined;
  private tx: ClientTransaction | undefined;

  constructor(
    private readonly ctx: UaContext,
    private readonly options: OutgoingInviteOptions,
    private readonly onDone: (invite: OutgoingInviteImpl) => void,
  ) {
    this.result = new Promise<InviteResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.transport = targetTransport(options.target, options.transport);
    this.request = this.buildInvite();
  }

  /** Resolves the target and sends the INVITE (synchronously for an IP literal). */
  start(): void {
    let dest;
    try {
      dest = this.ctx.resolve(this.options.target, this.transport);
    } catch (err) {
      this.fail(err);
      return;
    }
    withDestination(dest, (d) => {
      this.dest = d;
      this.sendInvite();
    }, (err) => this.fail(err));
  }

  cancel(): void {
    if (this.finished || this.cancelRequested) return;
    this.cancelRequested = true;
    // §9.1: a CANCEL must not be sent before a provisional response; it goes out when the first one arrives.
    if (this.provisionalSeen) this.sendCancel();
  }

  private buildInvite(): SipRequest {
    const { options, ctx } = this;
    const request = buildOutOfDialogRequest(ctx, 'INVITE', {
      target: options.target, transport: this.transport, from: options.from, fromDisplay: options.fromDisplay,
    });
    for (const [n, v] of capabilityHeaders(ctx.supported)) request.headers.append(n, v);
    for (const [n, v] of options.headers ?? []) request.headers.append(n, v);
    request.body = options.body ?? Buffer.alloc(0);
    if (request.body.length > 0) request.headers.set('Content-Type', options.contentType ?? 'application/sdp');
    return request;
  }

  private sendInvite(): void {
    if (this.finished || !this.dest) return;
    // A malformed response (say, a 2xx without To tag) must fail this INVITE, not throw into the transport.
    const guarded = (fn: (res: SipResponse) => void) => (res: SipResponse): void => {
      try {
        fn(res);
      } catch (err) {
        this.fail(err);
      }
    };
    const handlers: ClientTransactionHandlers = {
      onProvisional: guarded((res) => this.onProvisional(res)),
      onFinal: guarded((res) => this.onFinal(res)),
      onRetransmitted2xx: guarded((res) => this.onRetransmitted2xx(res)),
      onTimeout: () => this.fail(new SipFailureError(408, 'Request Timeout')),
      onTransportError: (err) => this.fail(new SipFailureError(503, 'Service Unavailable', err.message)),
    };
    try {
      this.tx = this.ctx.transactions.sendRequest(this.request, this.dest, handlers);
    } catch (err) {
      this.fail(err);
    }
  }

  private onProvisional(res: SipResponse): void {
    if (this.finished) return;
    this.provisionalSeen = true;
    let dialog: SipDialog | undefined;
    const tag = getToTag(res);
    // §12.1.2: a provisional response with a To tag creates an early dialog (one per tag, i.e. per fork).
    if (tag !== undefined && res.status > 100) {
      dialog = this.dialogs.get(tag);
      if (dialog) dialog.refreshTarget(res);
      else {
        dialog = SipDialog.createUac(this.ctx.dialogHost, this.request, res, this.dialogOptions());
        this.dialogs.set(tag, dialog);
      }
    }
    if (this.cancelRequested && !this.cancelSent) this.sendCancel();
    try {
      this.options.onProgress?.(res, dialog);
    } catch (err) {
      this.ctx.log.warn({ err }, 'onProgress handler failed');
    }
  }

  private onFinal(res: SipResponse): void {
    if (this.finished) return;
    if (res.status < 300) {
      this.on2xx(res);
      return;
    }
    if ((res.status === 401 || res.status === 407) && this.retryWithCredentials(res)) return;
    this.fail(new SipFailureError(res.status, res.reason));
  }

  private on2xx(res: SipResponse): void {
    const dialog = this.confirmDialog(res);
    this.finish();
    this.endEarlyDialogsExcept(dialog);
    if (this.cancelRequested) {
      // §9.1 race: the 2xx crossed our CANCEL. The call was still wanted gone: ACK it, then BYE (§15).
      void dialog.bye();
      this.rejectResult(new SipFailureError(487, 'Request Terminated'));
      return;
    }
    this.resolveResult({ dialog, response: res });
  }

  /** Confirms (or creates) the dialog of a 2xx, registers it and ACKs (RFC 3261 §13.2.2.4). */
  private confirmDialog(res: SipResponse): SipDialog {
    const tag = getToTag(res) ?? '';
    let dialog = this.dialogs.get(tag);
    if (dialog && dialog.state === DialogState.Early) dialog.confirm(res);
    else if (!dialog) {
      dialog = SipDialog.createUac(this.ctx.dialogHost, this.request, res, this.dialogOptions());
      this.dialogs.set(tag, dialog);
    }
    this.ctx.registerDialog(dialog, { transport: this.dest?.transport ?? this.transport });
    dialog.sendAckFor(this.request, this.options.ackBody?.(res));
    return dialog;
  }

  /**
   * RFC 6026 §8.4: further 2xx in Accepted. The same dialog's get its ACK again; a 2xx from another fork gets an
   * ACK and, since we keep only the first, a BYE (§13.2.2.4).
   */
  private onRetransmitted2xx(res: SipResponse): void {
    const dialog = this.dialogs.get(getToTag(res) ?? '');
    if (dialog && dialog.state === DialogState.Confirmed) {
      this.ctx.reAck(dialog, res);
      return;
    }
    if (dialog?.terminated) return;
    const fork = this.confirmDialog(res);
    void fork.bye();
  }

  /** §22.2: answer one 401/407 with credentials: same Call-ID and From tag, CSeq + 1, new branch. */
  private retryWithCredentials(res: SipResponse): boolean {
    const credentials = this.options.credentials;
    if (!credentials || this.authRetried) return false;
    const proxy = res.status === 407;
    const challenge = selectDigestChallenge(res.headers.getAll(proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate'));
    if (!challenge) return false;
    const { header } = answerDigestChallenge({
      challenge, method: 'INVITE', uri: this.request.uri, username: credentials.username,
      password: credentials.password, body: this.request.body,
    });
    const headers = this.request.headers.clone();
    headers.remove('Via');
    headers.set('CSeq', `${(getCSeq(this.request)?.seq ?? 1) + 1} INVITE`);
    headers.set(proxy ? 'Proxy-Authorization' : 'Authorization', header);
    this.request = { ...this.request, headers };
    this.authRetried = true;
    this.provisionalSeen = false;
    this.cancelSent = false;
    this.endEarlyDialogsExcept(undefined);
    this.dialogs.clear();
    this.sendInvite();
    return true;
  }

  /**
   * §9.1: the CANCEL copies the INVITE's Request-URI, Call-ID, To, From, CSeq number and Route, and its single Via
   * equals the INVITE's top Via, so it matches the INVITE's server transaction.
   */
  private sendCancel(): void {
    if (!this.dest) return;
    this.cancelSent = true;
    const invite = this.request;
    const headers = new SipHeaders();
    const via = getTopVia(invite);
    if (via) headers.append('Via', formatVia(via));
    for (const route of invite.headers.getAll('Route')) headers.append('Route', route);
    headers.append('Max-Forwards', '70');
    for (const name of ['From', 'To', 'Call-ID']) headers.append(name, invite.headers.get(name) ?? '');
    headers.append('CSeq', `${getCSeq(invite)?.seq ?? 1} CANCEL`);
    headers.append('User-Agent', this.ctx.userAgent);
    const cancel: SipRequest = { kind: 'request', method: 'CANCEL', uri: invite.uri, headers, body: Buffer.alloc(0) };
    const ignore = (): void => undefined;
    try {
      this.ctx.transactions.sendRequest(cancel, this.dest, { onFinal: ignore, onTimeout: ignore, onTransportError: ignore });
    } catch (err) {
      this.ctx.log.warn({ err }, 'CANCEL could not be sent');
    }
    // §9.1: with no final response 64*T1 after the CANCEL, the INVITE is considered cancelled.
    this.cancelTimer = this.ctx.clock.setTimer(64 * this.ctx.timers.t1Ms, () => {
      if (this.tx) this.ctx.transactions.abandon(this.tx);
      if (!this.finished) this.fail(new SipFailureError(487, 'Request Terminated'));
    });
  }

  private dialogOptions(): { localContact: string } {
    return { localContact: this.ctx.localContact(this.dest?.transport ?? this.transport) };
  }

  private endEarlyDialogsExcept(keep: SipDialog | undefined): void {
    for (const d of this.dialogs.values()) if (d !== keep && d.state === DialogState.Early) d.terminate('rejected');
  }

  /** Ends the INVITE with `err` unless it already has a result (used by fail paths and SipUserAgent.stop). */
  abort(err: unknown): void {
    this.fail(err);
  }

  private fail(err: unknown): void {
    if (this.finished) return;
    this.finish();
    this.endEarlyDialogsExcept(undefined);
    this.rejectResult(err instanceof Error ? err : new Error(String(err)));
  }

  private finish(): void {
    this.finished = true;
    this.cancelTimer?.cancel();
    this.cancelTimer = undefined;
    this.onDone(this);
  }
}
