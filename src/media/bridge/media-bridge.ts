/**
 * Pairs two sessions so each one re-sends what the other receives (a transfer to an agent, a conference of two).
 * Both legs live on the same engine and pacer; relaying happens in the receive handler of one leg, which calls
 * `relayFromPeer` on the other, so bridged audio adds no tick of delay and no buffering.
 */
import { SwitchboardError } from '../../common/index.js';
import type { G711Law } from '../codec/index.js';
import type { RtpPacketView } from '../rtp/index.js';

export interface BridgeLeg {
  /** The leg this one is bridged to; only `bridgeLegs`/`unbridgeLeg` assign it. */
  bridgePeer: BridgeLeg | undefined;
  /** Re-sends a packet the peer received (`view` parsed from `msg`); `sourceLaw` null means telephone-event. */
  relayFromPeer(msg: Buffer, view: RtpPacketView, sourceLaw: G711Law | null): void;
  /** Called when the pairing starts or ends, to reset per-bridge state such as the relay timeline. */
  onBridgeChange(peer: BridgeLeg | undefined): void;
}

export function bridgeLegs(a: BridgeLeg, b: BridgeLeg): void {
  if (a === b) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'a session cannot be bridged to itself');
  if (a.bridgePeer === b) return;
  unbridgeLeg(a);
  unbridgeLeg(b);
  a.bridgePeer = b;
  b.bridgePeer = a;
  a.onBridgeChange(b);
  b.onBridgeChange(a);
}

/** Ends the pairing of `leg` (and of its peer); a no-op when it is not bridged. */
export function unbridgeLeg(leg: BridgeLeg): void {
  const peer = leg.bridgePeer;
  if (!peer) return;
  leg.bridgePeer = undefined;
  peer.bridgePeer = undefined;
  leg.onBridgeChange(undefined);
  peer.onBridgeChange(undefined);
}
