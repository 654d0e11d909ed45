import { randomInt } from 'node:crypto';
import { SwitchboardError } from '../../common/index.js';
import type { OfferReply, SipDialog } from '../dialog/index.js';
import type { SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { capabilityHeaders } from './request-checks.js';
import type { UaContext } from './ua-context.js';

type StatusHandler = ((request: SipRequest) => number | Promise<number>) | undefined;

/** §14.2: the 500 for a second INVITE carries a Retry-After chosen uniformly between 0 and 10 seconds. */
function retryAfter(): [string, string] {
  return ['Retry-After', String(randomInt(0, 11))];
}

/**
 * Answers a request that matched a dialog (RFC 3261 §12.2.2), after the §8.2 checks and the CSeq check.
 */
export function handleInDialogRequest(ctx: UaContext, dialog: SipDialog, tx: ServerTransaction, req: SipRequest): void {
  switch (req.method) {
    case 'BYE':
      // §15.1.2: the UAS answers 200 and ends the session and the dialog.
      ctx.respond(tx, 200);
      try {
        dialog.onBye?.(req);
      } finally {
        dialog.terminate('remote-bye');
      }
      return;
    case 'INVITE':
      handleReinvite(ctx, dialog, tx, req);
      return;
    case 'UPDATE':
      handleUpdate(ctx, dialog, tx, req);
      return;
    case 'INFO':
      answerWithStatus(ctx, tx, req, dialog.onInfo, 200);
      return;
    case 'REFER':
      answerWithStatus(ctx, tx, req, dialog.onRefer, 603);
      return;
    case 'NOTIFY':
      answerWithStatus(ctx, tx, req, dialog.onNotify, 200);
      return;
    case 'OPTIONS':
      ctx.respond(tx, 200, undefined, { headers: capabilityHeaders(ctx.supported) });
      return;
    default:
      ctx.respond(tx, 501);
  }
}

function answerWithStatus(
  ctx: UaContext, tx: ServerTransaction, req: SipRequest, handler: StatusHandler, fallback: number,
): void {
  const send = (status: number): void => {
    ctx.respond(tx, Number.isInteger(status) && status >= 200 && status <= 699 ? status : 500);
  };
  if (!handler) {
    send(fallback);
    return;
  }
  try {
    Promise.resolve(handler(req)).then(send, (err: unknown) => {
      ctx.log.warn({ err, method: req.method }, 'in-dialog request handler failed');
      send(500);
    });
  } catch (err) {
    ctx.log.warn({ err, method: req.method }, 'in-dialog request handler failed');
    send(500);
  }
}

function contactHeader(ctx: UaContext, tx: ServerTransaction): [string, string] {
  return ['Contact', `<${ctx.localContact(tx.source.transport, tx.source.host)}>`];
}

function handleReinvite(ctx: UaContext, dialog: SipDialog, tx: ServerTransaction, req: SipRequest): void {
  // §14.2: an INVITE arriving while an earlier one we received is still unanswered gets 500 with Retry-After;
  // one arriving while our own re-INVITE is pending is glare and gets 491.
  if (dialog.serverInvitePending) {
    ctx.respond(tx, 500, 'Server Internal Error', { headers: [retryAfter()] });
    return;
  }
  if (dialog.clientInvitePending) {
    ctx.respond(tx, 491, 'Request Pending');
    return;
  }
  // §12.2.2: a target refresh request replaces the remote target with its Contact.
  dialog.refreshTarget(req);
  dialog.serverInvitePending = true;
  let answered = false;
  ctx.setCancellable(tx, {
    toTag: undefined,
    cancel: () => {
      if (answered) return;
      answered = true;
      dialog.serverInvitePending = false;
      ctx.respond(tx, 487, 'Request Terminated');
    },
  });
  const reply: OfferReply = (status, body, headers = []) => {
    if (answered) return Promise.reject(new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', 're-INVITE already answered'));
    if (status < 200) {
      ctx.respond(tx, status, undefined, { headers });
      return Promise.resolve(undefined);
    }
    answered = true;
    ctx.setCancellable(tx, undefined);
    if (status >= 300) {
      // §14.2: a failed re-INVITE leaves the session as it was.
      dialog.serverInvitePending = false;
      ctx.respond(tx, status, undefined, { headers });
      return Promise.resolve(undefined);
    }
    const response = ctx.respond(tx, status, undefined, {
      headers: [contactHeader(ctx, tx), ...capabilityHeaders(ctx.supported), ...headers],
      body,
      contentType: body && body.length > 0 ? 'application/sdp' : undefined,
    });
    return ctx.retransmit2xxUntilAck(tx, response, dialog);
  };
  if (!dialog.onReinvite) {
    void reply(488);
    return;
  }
  try {
    dialog.onReinvite(req, reply);
  } catch (err) {
    ctx.log.warn({ err }, 're-INVITE handler failed');
    if (!answered) void reply(500);
  }
}

/**
 * UPDATE (RFC 3311): a session refresh without a body is answered 200 at once unless a handler wants it; an offer
 * goes to onUpdate, whose reply carries the answer.
 */
function handleUpdate(ctx: UaContext, dialog: SipDialog, tx: ServerTransaction, req: SipRequest): void {
  const hasOffer = req.body.length > 0;
  if (hasOffer && dialog.clientInvitePending) {
    // RFC 3311 §5.2: an offer arriving while ours is outstanding is glare.
    ctx.respond(tx, 491, 'Request Pending');
    return;
  }
  if (hasOffer && dialog.serverInvitePending) {
    // RFC 3311 §5.2: an offer while the peer's own INVITE offer is unanswered gets 500 with Retry-After.
    ctx.respond(tx, 500, 'Server Internal Error', { headers: [retryAfter()] });
    return;
  }
  dialog.refreshTarget(req);
  let answered = false;
  const reply: OfferReply = (status, body, headers = []) => {
    if (answered) return Promise.reject(new SwitchboardError('SWB_ERR_SIP_DIALOG_STATE', 'UPDATE already answered'));
    if (status >= 200) answered = true;
    const ok = status >= 200 && status < 300;
    ctx.respond(tx, status, undefined, {
      headers: ok ? [contactHeader(ctx, tx), ...headers] : headers,
      body: ok ? body : undefined,
      contentType: ok && body && body.length > 0 ? 'application/sdp' : undefined,
    });
    return Promise.resolve(undefined);
  };
  if (!dialog.onUpdate) {
    void reply(hasOffer ? 488 : 200);
    return;
  }
  try {
    dialog.onUpdate(req, reply);
  } catch (err) {
    ctx.log.warn({ err }, 'UPDATE handler failed');
    if (!answered) void reply(500);
  }
}
