import { SipFailureError, type TimerHandle } from '../common/index.js';
import { Prompt, renderRingback, type MediaSessionLike } from '../media/index.js';
import {
  SdpSessionState, acceptAnswer, createOffer, parseSdp, serializeSdp, type SessionDescription,
} from '../sdp/index.js';
import type { OutgoingInvite, SipDialog, SipResponse } from '../sip/index.js';
import { answerReinvite } from './answer-reinvite.js';
import type { TransferRequest, TransferResult } from './call-control.js';
import { CALLER_HUNG_UP, type TransferLinks, type TransferParty } from './transfer-links.js';
import { fromUriAt, type TransferTarget } from './transfer-target.js';

/**
 * After our CANCEL (ring timeout, caller gone), how long we wait for the INVITE's final response before giving up
 * on it. RFC 3261 §9.1 lets the UAC wait 64*T1; the caller should not. The UA still finishes the INVITE (and BYEs a
 * 2xx that crossed the CANCEL, §15).
 */
export const CANCEL_GRACE_MS = 4000;

let ringbackPrompt: Prompt | undefined;

/** One cadence of ringback (ITU-T E.180: North American 440 + 480 Hz, 2 s on, 4 s off), rendered once. */
function ringback(): Prompt {
  ringbackPrompt ??= Prompt.fromPcm(renderRingback('us'), 8000, 'ringback');
  return ringbackPrompt;
}

/** Ringback looped to the caller: two cadences queued, one more each time one finishes, so there is no gap. */
class RingbackPlayer {
  private playing = false;

  constructor(private readonly media: MediaSessionLike) {}

  start(): void {
    if (this.playing || this.media.closed) return;
    this.playing = true;
    this.queue();
    this.queue();
  }

  stop(): void {
    if (!this.playing) return;
    this.playing = false;
    if (!this.media.closed) this.media.stopPlayback();
  }

  private queue(): void {
    this.media.play([{ kind: 'prompt', prompt: ringback() }], {
      onDone: (reason) => {
        if (reason === 'finished' && this.playing) this.queue();
      },
    });
  }
}

/**
 * The outcome of a failed INVITE: busy for 486/600/603 (RFC 3261 §21.4.24, §21.6.1, §21.6.2); no answer for 408
 * and 480 (§21.4.9, §21.4.18) and for the 487 of our own CANCEL after the ring timeout (§9.1); any other failure
 * is 'failed' with the status.
 */
export function outcomeOfFailure(status: number, reason: string, ringTimedOut: boolean): TransferResult {
  if (status === 486 || status === 600 || status === 603) return { outcome: 'busy', status, reason };
  if (status === 408 || status === 480 || (status === 487 && ringTimedOut)) return { outcome: 'no-answer', status, reason };
  return { outcome: 'failed', status, reason };
}

type RingEnd =
  | { kind: 'answered'; dialog: SipDialog; response: SipResponse }
  | { kind: 'failed'; err: unknown }
  | { kind: 'abandoned' };

/**
 * A transfer by bridging: a new outbound leg (INVITE to the target, its media session next to the caller's so the
 * two can be bridged), ringback to the caller while it rings, then media relayed both ways until either side hangs
 * up. Every path closes the leg's media session and leaves no dialog behind.
 */
export class BridgeTransfer {
  private ringTimedOut = false;

  constructor(
    private readonly party: TransferParty,
    private readonly links: TransferLinks,
    private readonly target: TransferTarget,
    private readonly request: TransferRequest,
  ) {}

  async run(): Promise<TransferResult> {
    const { party, links } = this;
    let leg: MediaSessionLike;
    try {
      leg = await links.media.createSession({ near: party.media });
    } catch (err) {
      if (party.ended) return CALLER_HUNG_UP;
      links.log.error({ callId: party.id, err }, 'transfer: no media session for the outbound leg');
      return { outcome: 'failed', status: 503, reason: 'no media session for the transfer' };
    }
    try {
      if (party.ended) return CALLER_HUNG_UP;
      return await this.call(leg);
    } finally {
      await leg.close().catch((err: unknown) => links.log.warn({ callId: party.id, err }, 'transfer: closing the leg media failed'));
    }
  }

  private async call(leg: MediaSessionLike): Promise<TransferResult> {
    const { party, links, target, request } = this;
    const sdp = new SdpSessionState();
    const offer = createOffer(links.localAudio(leg, target.host), sdp);
    const from = fromUriAt(target.fromUser ?? party.callerId, party.sipDialog?.localContact ?? '');
    let invite: OutgoingInvite;
    try {
      invite = links.ua.invite({
        target: target.uri, from, headers: [...request.headers], body: Buffer.from(serializeSdp(offer)),
        ...(target.credentials ? { credentials: target.credentials } : {}),
      });
    } catch (err) {
      links.log.error({ callId: party.id, err }, 'transfer: the INVITE could not be sent');
      return { outcome: 'failed', reason: err instanceof Error ? err.message : String(err) };
    }
    links.log.info({ callId: party.id, target: target.uri }, 'transfer: calling the target');
    const ringing = new RingbackPlayer(party.media);
    ringing.start();
    const end = await this.ring(invite);
    ringing.stop();

    if (end.kind === 'abandoned') return party.ended ? CALLER_HUNG_UP : { outcome: 'no-answer', reason: 'no final response to our CANCEL' };
    if (end.kind === 'failed') {
      if (party.ended) return CALLER_HUNG_UP;
      if (end.err instanceof SipFailureError) return outcomeOfFailure(end.err.status, end.err.reason, this.ringTimedOut);
      return { outcome: 'failed', reason: end.err instanceof Error ? end.err.message : String(end.err) };
    }
    const { dialog, response } = end;
    if (party.ended) {
      void dialog.bye();
      return CALLER_HUNG_UP;
    }
    const failure = this.configureLeg(leg, offer, response);
    if (failure) {
      void dialog.bye();
      return failure;
    }
    return this.talk(leg, dialog, sdp);
  }

  /** Waits for the INVITE's final response; CANCELs it (RFC 3261 §9.1) on the ring timeout or when the caller leaves. */
  private ring(invite: OutgoingInvite): Promise<RingEnd> {
    const { party, links, request } = this;
    return new Promise<RingEnd>((resolve) => {
      let grace: TimerHandle | undefined;
      const giveUp = (): void => {
        invite.cancel();
        grace ??= links.clock.setTimer(CANCEL_GRACE_MS, () => finish({ kind: 'abandoned' }));
      };
      const timer = links.clock.setTimer(request.ringTimeoutMs, () => {
        this.ringTimedOut = true;
        links.log.info({ callId: party.id }, 'transfer: ring timeout; cancelling');
        giveUp();
      });
      const offEnded = party.onEnded(giveUp);
      const finish = (end: RingEnd): void => {
        timer.cancel();
        grace?.cancel();
        offEnded();
        resolve(end);
      };
      invite.result.then(
        ({ dialog, response }) => finish({ kind: 'answered', dialog, response }),
        (err: unknown) => finish({ kind: 'failed', err }),
      );
    });
  }

  /** Applies the target's SDP answer (RFC 3264 §6) to the leg; returns the failure when it is unusable. */
  private configureLeg(leg: MediaSessionLike, offer: SessionDescription, response: SipResponse): TransferResult | undefined {
    let audio;
    try {
      audio = response.body.length > 0 ? acceptAnswer(offer, parseSdp(response.body)) : undefined;
    } catch {
      audio = undefined;
    }
    if (!audio || 'error' in audio) {
      this.links.log.warn({ callId: this.party.id, why: audio?.reason ?? 'no SDP answer' }, 'transfer: unusable answer from the target');
      return { outcome: 'failed', status: 488, reason: 'no usable SDP answer from the target' };
    }
    try {
      leg.configure(audio);
    } catch (err) {
      this.links.log.warn({ callId: this.party.id, err }, 'transfer: the leg media rejected the answer');
      return { outcome: 'failed', status: 488, reason: 'unusable SDP answer from the target' };
    }
    return undefined;
  }

  /** Bridges caller and target until one hangs up (RFC 3261 §15: either side's BYE ends its own dialog). */
  private async talk(leg: MediaSessionLike, dialog: SipDialog, sdp: SdpSessionState): Promise<TransferResult> {
    const { party, links, target } = this;
    dialog.onReinvite = (req, reply) => answerReinvite(req, reply, leg, sdp, links.localAudio(leg, target.host));
    try {
      party.media.bridgeTo(leg);
    } catch (err) {
      links.log.error({ callId: party.id, err }, 'transfer: the legs could not be bridged');
      void dialog.bye();
      return party.ended ? CALLER_HUNG_UP : { outcome: 'failed', reason: 'the media of the two legs could not be bridged' };
    }
    const startedMs = links.clock.nowMs();
    links.log.info({ callId: party.id, target: target.uri }, 'transfer: bridged');
    let offEnded = (): void => undefined;
    const endedBy = await new Promise<'caller' | 'target'>((resolve) => {
      dialog.onTerminated = () => resolve('target');
      offEnded = party.onEnded(() => resolve('caller'));
      if (party.ended) resolve('caller');
      else if (dialog.terminated) resolve('target');
    });
    offEnded();
    const talkMs = Math.round(links.clock.nowMs() - startedMs);
    dialog.onTerminated = undefined;
    if (endedBy === 'caller') {
      // The caller's BYE ended the call (its media is closed); the target's leg gets our BYE.
      void dialog.bye();
    } else if (!party.media.closed) {
      party.media.unbridge();
      // Keys pressed while bridged were meant for the target, not for the flow that continues now.
      party.clearDigits();
    }
    links.log.info({ callId: party.id, endedBy, talkMs }, 'transfer: bridge ended');
    return { outcome: 'bridged', endedBy, talkMs };
  }
}
