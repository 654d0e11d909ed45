/**
 * The outgoing half of a bridge: how one session re-sends what the other session received.
 *
 * The bridged session stays the RTP source towards its peer, with its own SSRC and sequence numbers (as an RTP
 * mixer does, RFC 3550 §7.1), so the relayed stream must continue its own timeline. The first
 * relayed packet of a source (and the first after that source changes SSRC) fixes an offset that maps the
 * source's timestamps onto ours at "now"; afterwards timestamps are mapped by that fixed offset, which keeps the
 * source's own timing (and telephone-event timestamps, which all equal their event start) intact. That first packet
 * carries the marker bit: the peer sees a new talkspurt (RFC 3551 §4.1) rather than a timestamp jump mid-speech.
 */
import { ALAW_TO_MULAW, MULAW_TO_ALAW, type G711Law } from '../codec/index.js';

export class RelayStream {
  /** Set by `map` when the packet it mapped starts a new talkspurt. */
  marker = false;
  private active = false;
  private sourceSsrc = 0;
  private offset = 0;

  /** Maps a source timestamp onto the outgoing timeline; `ownTimestamp` is where our own stream is now. */
  map(sourceSsrc: number, sourceTimestamp: number, ownTimestamp: number, sourceMarker: boolean): number {
    if (!this.active || sourceSsrc !== this.sourceSsrc) {
      this.active = true;
      this.sourceSsrc = sourceSsrc;
      this.offset = (ownTimestamp - sourceTimestamp) >>> 0;
      this.marker = true;
    } else {
      this.marker = sourceMarker;
    }
    return (sourceTimestamp + this.offset) >>> 0;
  }

  /** Forgets the mapping (bridge ended or the outgoing stream restarted). */
  reset(): void {
    this.active = false;
  }
}

/**
 * Copies a G.711 payload, transcoding PCMU↔PCMA by table lookup when the laws differ (one lookup per byte,
 * G.711 Appendix-style conversion through the linear value, precomputed in codec/g711.ts).
 */
export function relayG711Payload(
  src: Buffer,
  srcOffset: number,
  length: number,
  from: G711Law,
  dst: Buffer,
  dstOffset: number,
  to: G711Law,
): void {
  if (from === to) {
    src.copy(dst, dstOffset, srcOffset, srcOffset + length);
    return;
  }
  const table = from === 'pcmu' ? MULAW_TO_ALAW : ALAW_TO_MULAW;
  for (let i = 0; i < length; i++) dst[dstOffset + i] = table[src[srcOffset + i]];
}
