import { isSwitchboardError, type Clock } from '../common/index.js';
import type { Logger } from '../observability/index.js';
import { parseDtmfRelayBody, type MediaEngineLike, type MediaSessionLike } from '../media/index.js';
import {
  SdpSessionState, acceptAnswer, answerOffer, createOffer, parseSdp, serializeSdp,
  type LocalAudioCapabilities, type NegotiatedAudio,
} from '../sdp/index.js';
import type { IncomingInvite, InboundSource, SipDialog, SipRequest, SipUserAgent } from '../sip/index.js';
import { answerReinvite } from './answer-reinvite.js';
import { Call, type CallInfo } from './call.js';
import type { CallApp } from './call-control.js';
import type { CallSpeechRecognizer } from './call-listen.js';
import type { PromptLibrary } from './prompt-library.js';
import type { TransferLinks } from './transfer-links.js';
import type { Trunks } from './transfer-target.js';

export interface CallManagerOptions {
  ua: SipUserAgent;
  media: MediaEngineLike;
  prompts: PromptLibrary;
  clock: Clock;
  log: Logger;
  /** The application for a called user, or undefined → 404. */
  route: (calledUser: string | undefined) => CallApp | undefined;
  /** The address to put in our SDP for a call that arrived from `source`. */
  mediaAddressFor: (source: InboundSource) => string;
  codecs?: ('PCMU' | 'PCMA')[];
  /** Where transfers dialled through a named trunk go (config `trunks`); default none. */
  trunks?: Trunks;
  /** Speech recognition for calls (config `speech`); without it call logic asks with keys. */
  speech?: CallSpeechRecognizer;
  /** Send 180 Ringing and wait this long before answering (0: answer at once). */
  ringBeforeAnswerMs?: number;
  /**
   * Told once per call that got as far as a media session, after it ended: its facts and what its application
   * returned (undefined when it never reached the application: cancelled, no ACK, failed set-up).
   */
  onCallFinished?: (info: CallInfo, appResult: unknown) => void;
}

type MediaSetup =
  | { ok: true; session: MediaSessionLike; sdp: SdpSessionState; body: Buffer; audio: NegotiatedAudio | undefined; offerSent: ReturnType<typeof createOffer> | undefined }
  | { ok: false; status: number; reason: string };

/**
 * Answers INVITEs: negotiates SDP, opens a media session, runs the called user's application on the call, and
 * keeps dialog events (BYE, re-INVITE, INFO, CANCEL) flowing into the Call. The only place joining sip/ and media/.
 */
export class CallManager {
  private readonly calls = new Map<string, Call>();
  private totalCalls = 0;
  /** Every INVITE being handled, until its call is over and reported. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: CallManagerOptions) {
    options.ua.onInvite = (invite) => {
      const handling = this.handleInvite(invite)
        .catch((e: unknown) => options.log.error({ err: e, callId: invite.callId }, 'INVITE handling failed'))
        .finally(() => this.inFlight.delete(handling));
      this.inFlight.add(handling);
    };
  }

  activeCalls(): CallInfo[] {
    return [...this.calls.values()].map((c) => c.info());
  }

  stats(): { active: number; total: number } {
    return { active: this.calls.size, total: this.totalCalls };
  }

  /** Hangs up every call and waits until each has finished and been reported (server shutdown). */
  async hangupAll(): Promise<void> {
    await Promise.all([...this.calls.values()].map((c) => c.hangup()));
    await Promise.all([...this.inFlight]);
  }

  private localCapabilities(session: MediaSessionLike, source: InboundSource): LocalAudioCapabilities {
    return {
      address: this.options.mediaAddressFor(source),
      port: session.localPort,
      codecs: this.options.codecs ?? ['PCMU', 'PCMA'],
      telephoneEvent: true,
      ptimeMs: 20,
    };
  }

  private transferLinks(invite: IncomingInvite): TransferLinks {
    const { ua, media, clock, log } = this.options;
    // RFC 3261 §20.5: Allow lists the methods the caller's UA supports; without it nothing is known either way.
    const allow = invite.request.headers.getAll('Allow');
    return {
      ua, media, clock, log,
      trunks: this.options.trunks ?? {},
      localAudio: (session, targetHost) => this.localCapabilities(session, { ...invite.source, host: targetHost }),
      callerAllow: allow.length === 0 ? undefined : allow.flatMap((v) => v.split(',')).map((m) => m.trim().toUpperCase()).filter((m) => m !== ''),
    };
  }

  private async setUpMedia(invite: IncomingInvite): Promise<MediaSetup> {
    let offer: ReturnType<typeof parseSdp> | undefined;
    if (invite.offer && invite.offer.length > 0) {
      try {
        offer = parseSdp(invite.offer);
      } catch (e) {
        return { ok: false, status: 400, reason: `Bad SDP: ${isSwitchboardError(e) ? e.message : 'unparseable'}`.slice(0, 120) };
      }
    }
    let session: MediaSessionLike;
    try {
      session = await this.options.media.createSession();
    } catch (e) {
      this.options.log.error({ err: e }, 'no media session');
      return { ok: false, status: 503, reason: 'Service Unavailable' };
    }
    const sdp = new SdpSessionState();
    const local = this.localCapabilities(session, invite.source);
    if (!offer) {
      // RFC 3261 §13.2.1: an INVITE without an offer gets our offer in the 200; the answer comes in the ACK.
      const ours = createOffer(local, sdp);
      return { ok: true, session, sdp, body: Buffer.from(serializeSdp(ours)), audio: undefined, offerSent: ours };
    }
    const result = answerOffer(offer, local, { state: sdp });
    if ('error' in result) {
      void session.close().catch(() => undefined);
      return { ok: false, status: 488, reason: 'Not Acceptable Here' };
    }
    session.configure(result.audio);
    return { ok: true, session, sdp, body: Buffer.from(serializeSdp(result.answer)), audio: result.audio, offerSent: undefined };
  }

  private async handleInvite(invite: IncomingInvite): Promise<void> {
    const { log } = this.options;
    const app = this.options.route(invite.requestUser);
    if (!app) {
      invite.reject(404, 'Not Found');
      return;
    }
    let cancelled = false;
    let stopRinging: (() => void) | undefined;
    invite.onCancel = () => {
      cancelled = true;
      stopRinging?.();
    };
    const ringMs = this.options.ringBeforeAnswerMs ?? 0;
    if (ringMs > 0) {
      invite.progress(180);
      await new Promise<void>((resolve) => {
        const timer = this.options.clock.setTimer(ringMs, resolve);
        stopRinging = () => {
          timer.cancel();
          resolve();
        };
      });
      // §9.2: the UA has already answered the CANCEL with 200 and the INVITE with 487.
      if (cancelled) return;
    }
    const setup = await this.setUpMedia(invite);
    if (!setup.ok) {
      invite.reject(setup.status, setup.reason);
      return;
    }
    if (cancelled) {
      void setup.session.close().catch(() => undefined);
      return;
    }
    const call = new Call(
      invite.callId, userOf(invite.fromUri), invite.requestUser ?? '', setup.session, this.options.prompts, this.options.clock, log,
      this.transferLinks(invite), this.options.speech,
    );
    this.calls.set(call.id, call);
    this.totalCalls++;
    call.onEnded((reason) => {
      this.calls.delete(call.id);
      log.info({ callId: call.id, reason, durationMs: call.endedAtMs! - call.startedAtMs }, 'call ended');
    });
    let appResult: unknown;
    try {
      appResult = await this.runCall(invite, call, setup, app, () => cancelled);
    } finally {
      this.finished(call, appResult);
    }
  }

  /** Answers, waits for the ACK, runs the application; returns what the application returned, if it ran. */
  private async runCall(invite: IncomingInvite, call: Call, setup: Extract<MediaSetup, { ok: true }>, app: CallApp, wasCancelled: () => boolean): Promise<unknown> {
    const { log } = this.options;
    invite.onCancel = () => call.end('cancelled');

    let dialog: SipDialog;
    try {
      const accepted = await invite.accept(setup.body);
      dialog = accepted.dialog;
      if (setup.offerSent) {
        const answer = accepted.ackBody && accepted.ackBody.length > 0 ? acceptAnswer(setup.offerSent, parseSdp(accepted.ackBody)) : undefined;
        if (!answer || 'error' in answer) {
          log.warn({ callId: call.id }, 'late-offer call: no usable SDP answer in the ACK');
          call.end('error');
          await dialog.bye().catch(() => undefined);
          return undefined;
        }
        setup.session.configure(answer);
      }
    } catch (e) {
      if (!call.ended) call.end(wasCancelled() ? 'cancelled' : 'no-ack');
      log.info({ callId: call.id, err: e }, 'call not established');
      return undefined;
    }
    if (call.ended) {
      await dialog.bye().catch(() => undefined);
      return undefined;
    }
    this.wireDialog(call, dialog, setup.session, setup.sdp, invite.source);
    call.answered(dialog);
    log.info({ callId: call.id, from: call.callerId, to: call.calledUser }, 'call answered');
    let result: unknown;
    try {
      result = await app(call);
    } catch (e) {
      log.error({ callId: call.id, err: e }, 'application failed');
    }
    if (!call.ended) await call.hangup();
    return result;
  }

  private finished(call: Call, appResult: unknown): void {
    if (!call.ended) call.end('error');
    try {
      this.options.onCallFinished?.(call.info(), appResult);
    } catch (e) {
      this.options.log.error({ callId: call.id, err: e }, 'recording the finished call failed');
    }
  }

  private wireDialog(call: Call, dialog: SipDialog, session: MediaSessionLike, sdp: SdpSessionState, source: InboundSource): void {
    dialog.onBye = () => call.end('remote-bye');
    dialog.onTerminated = () => call.end('remote-bye');
    dialog.onInfo = (req: SipRequest) => this.handleInfo(call, req);
    dialog.onReinvite = (req, reply) => answerReinvite(req, reply, session, sdp, this.localCapabilities(session, source));
  }

  private handleInfo(call: Call, req: SipRequest): number {
    const type = (req.headers.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/dtmf-relay' || type === 'application/dtmf') {
      const digit = parseDtmfRelayBody(type, req.body.toString('utf8'));
      if (digit === undefined) return 400;
      call.receiveDigit(digit);
      return 200;
    }
    // Session-refresh or keep-alive INFOs without a body are acknowledged; other packages are unsupported.
    return req.body.length === 0 ? 200 : 415;
  }
}

function userOf(uri: string): string {
  const m = /^(?:"[^"]*"\s*)?<?(?:sips?|tel):([^@;>]+)/i.exec(uri);
  return m ? decodeURIComponent(m[1]) : uri;
}
