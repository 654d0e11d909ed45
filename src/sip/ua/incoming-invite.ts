import { randomToken, SipFailureError, SwitchboardError } from '../../common/index.js';
import { SipDialog } from '../dialog/index.js';
import { parseNameAddr, parseUri, type SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import type { InboundSource } from '../transport/index.js';
import { capabilityHeaders, mediaType } from './request-checks.js';
import type { UaContext } from './ua-context.js';
import type { AcceptedInvite, IncomingInvite } from './ua-types.js';

function uriOf(value: string | undefined): string {
  return value === undefined ? '' : parseNameAddr(value).uri;
}

function userOf(uri: string): string | undefined {
  try {
    return parseUri(uri).user;
  } catch {
    return undefined;
  }
}

/** The UAS side of an out-of-dialog INVITE (RFC 3261 §13.3). */
export class IncomingInviteImpl implements IncomingInvite {
  readonly callId: string;
  readonly fromUri: string;
  readonly toUri: string;
  readonly requestUser: string | undefined;
  readonly offer: Buffer | undefined;
  onCancel: (() => void) | undefined;
  /** §12.1.1: one To tag for every response, so the early dialog of a 18x becomes the confirmed one. */
  readonly toTag = randomToken(8);
  private finalSent = false;
  private cancelled = false;

  constructor(
    private readonly ctx: UaContext,
    private readonly tx: ServerTransaction,
    readonly request: SipRequest,
    readonly source: InboundSource,
    private readonly onFinal: () => void,
  ) {
    this.callId = request.headers.get('Call-ID') ?? '';
    this.fromUri = uriOf(request.headers.get('From'));
    this.toUri = uriOf(request.headers.get('To'));
    this.requestUser = userOf(request.uri);
    const sdp = mediaType(request.headers.get('Content-Type')) === 'application/sdp' && request.body.length > 0;
    this.offer = sdp ? request.body : undefined;
    ctx.setCancellable(tx, { toTag: this.toTag, cancel: () => this.cancelledByPeer() });
  }

  get answered(): boolean {
    return this.finalSent;
  }

  progress(status: 180 | 183, body?: Buffer): void {
    if (this.finalSent) return;
    this.ctx.respond(this.tx, status, undefined, {
      toTag: this.toTag,
      headers: [['Contact', `<${this.ctx.localContact(this.source.transport, this.source.host)}>`], ...this.ctx.recordRoutes(this.request)],
      body,
      contentType: body && body.length > 0 ? 'application/sdp' : undefined,
    });
  }

  accept(answerOrOffer: Buffer, headers: [string, string][] = []): Promise<AcceptedInvite> {
    if (this.cancelled) return Promise.reject(new SipFailureError(487, 'Request Terminated'));
    if (this.finalSent) {
      return Promise.reject(new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', 'the INVITE was already answered'));
    }
    this.finish();
    const localContact = this.ctx.localContact(this.source.transport, this.source.host);
    let dialog: SipDialog;
    try {
      dialog = SipDialog.createUas(this.ctx.dialogHost, this.request, this.toTag, { localContact, confirmed: true });
    } catch (err) {
      this.ctx.respond(this.tx, 400, 'Bad Request', { toTag: this.toTag });
      return Promise.reject(err);
    }
    // The INVITE stays in progress until its ACK: no re-INVITE from us before that (RFC 3261 §14.1).
    dialog.serverInvitePending = true;
    this.ctx.registerDialog(dialog, { transport: this.source.transport, connectionId: this.source.connectionId });
    const response = this.ctx.respond(this.tx, 200, 'OK', {
      toTag: this.toTag,
      headers: [
        ['Contact', `<${localContact}>`], ...this.ctx.recordRoutes(this.request),
        ...capabilityHeaders(this.ctx.supported), ...headers,
      ],
      body: answerOrOffer,
      contentType: answerOrOffer.length > 0 ? 'application/sdp' : undefined,
    });
    return this.ctx.retransmit2xxUntilAck(this.tx, response, dialog).then((ackBody) => ({ dialog, ackBody }));
  }

  reject(status: number, reason?: string, headers: [string, string][] = []): void {
    if (status < 300 || status > 699) throw new RangeError(`reject needs a 3xx–6xx status, got ${status}`);
    if (this.finalSent) return;
    this.finish();
    this.ctx.respond(this.tx, status, reason, { toTag: this.toTag, headers });
  }

  /** §9.2: the UAS answers the INVITE with 487 when a CANCEL arrives before its final response. */
  cancelledByPeer(): void {
    if (this.finalSent) return;
    this.cancelled = true;
    this.finish();
    this.ctx.respond(this.tx, 487, 'Request Terminated', { toTag: this.toTag });
    this.onCancel?.();
  }

  private finish(): void {
    this.finalSent = true;
    this.ctx.setCancellable(this.tx, undefined);
    this.onFinal();
  }
}
