import { randomToken } from '../common/index.js';
import { serializeSdp } from './sdp-serializer.js';
import type { SessionDescription } from './session-description.js';

export interface SdpSessionStateInit {
  /** Numeric sess-id; a random one when absent (RFC 8866 §5.2 leaves the allocation to the tool). */
  sessionId?: string;
  sessionVersion?: number;
  username?: string;
}

/**
 * The o= line of our side of one call. Create one per call and pass it to every `answerOffer` and `createOffer`
 * of that call (the initial offer/answer and each re-INVITE or UPDATE).
 *
 * RFC 3264 §8: "the origin line MUST be identical to that in the previous SDP, except that the version in the
 * origin field MUST increment by one from the previous SDP. If the version in the origin line does not increment,
 * the SDP MUST be identical to the SDP with that version number." So the version moves only when the body we send
 * differs from the last one we sent.
 */
export class SdpSessionState {
  private id: string | undefined;
  private version: bigint | undefined;
  private user: string | undefined;
  private lastBody: string | undefined;

  constructor(init: SdpSessionStateInit = {}) {
    this.id = init.sessionId;
    this.version = init.sessionVersion === undefined ? undefined : BigInt(init.sessionVersion);
    this.user = init.username;
  }

  /** The sess-id in use; undefined until the first SDP is stamped unless given to the constructor. */
  get sessionId(): string | undefined {
    return this.id;
  }

  /** The sess-version of the last SDP stamped, as a decimal string (it may exceed 2^53). */
  get sessionVersion(): string | undefined {
    return this.version?.toString();
  }

  /**
   * Returns `sd` with our username, sess-id and sess-version in its origin. The origin's address fields are kept
   * from `sd`. Fields not fixed by the constructor are taken from `fallback` on the first call, then kept.
   */
  stamp(sd: SessionDescription, fallback: SdpSessionStateInit = {}): SessionDescription {
    this.id ??= fallback.sessionId ?? BigInt(`0x${randomToken(6)}`).toString();
    this.user ??= fallback.username ?? '-';
    this.version ??= BigInt(fallback.sessionVersion ?? 1);
    const candidate: SessionDescription = {
      ...sd,
      origin: { ...sd.origin, username: this.user, sessId: this.id, sessVersion: '0' },
    };
    const body = serializeSdp(candidate);
    if (this.lastBody !== undefined && body !== this.lastBody) this.version += 1n;
    this.lastBody = body;
    return { ...candidate, origin: { ...candidate.origin, sessVersion: this.version.toString() } };
  }
}
