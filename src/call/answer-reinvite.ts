import type { MediaSessionLike } from '../media/index.js';
import {
  acceptAnswer, answerOffer, createOffer, parseSdp, serializeSdp, type LocalAudioCapabilities, type SdpSessionState,
} from '../sdp/index.js';
import type { OfferReply, SipRequest } from '../sip/index.js';

/**
 * Answers a re-INVITE in a dialog whose media is `session` (hold, unhold, session refresh), for the caller's leg
 * and for a transfer's outbound leg alike.
 */
export function answerReinvite(
  req: SipRequest, reply: OfferReply, session: MediaSessionLike, sdp: SdpSessionState, local: LocalAudioCapabilities,
): void {
  if (req.body.length === 0) {
    // RFC 3261 §14.2: a re-INVITE without an offer gets an offer; the answer arrives in the ACK.
    const ours = createOffer(local, sdp);
    void reply(200, Buffer.from(serializeSdp(ours))).then((ackBody) => {
      if (ackBody && ackBody.length > 0) {
        const audio = acceptAnswer(ours, parseSdp(ackBody));
        if (!('error' in audio)) session.configure(audio);
      }
    }).catch(() => undefined);
    return;
  }
  let offer;
  try {
    offer = parseSdp(req.body);
  } catch {
    void reply(400).catch(() => undefined);
    return;
  }
  const result = answerOffer(offer, local, { state: sdp });
  if ('error' in result) {
    // RFC 3264 §8: a rejected modification leaves the session as it was.
    void reply(488).catch(() => undefined);
    return;
  }
  session.configure(result.audio);
  void reply(200, Buffer.from(serializeSdp(result.answer))).catch(() => undefined);
}
