/**
 * Where to send RTP, and whose RTP to accept: latching onto symmetric RTP (RFC 4961: a peer sends from the
 * address and port it receives on).
 *
 * Callers behind NAT announce an address in SDP that is not where their packets come from. With latching on, the
 * session sends to the SDP address until the first acceptable packet arrives, then to that packet's source
 * address and port; packets from elsewhere are ignored. A new source is adopted only when it sends with a new SSRC
 * for several consecutive sequence numbers: adopting any stranger at once would let one spoofed packet redirect
 * the call's audio (the "RTP Bleed" attack on naive latching). With latching off, only the SDP address is trusted
 * and the destination never moves.
 *
 * Latching can also be receive-only (`symmetric` false): the learned source is accepted, but RTP still goes to the
 * SDP address, as Asterisk does with strictrtp and no rtp_symmetric. Peers whose SDP is right but who send from
 * another address (SIPp's load scenario does) then work without us sending to where they send from.
 */

/** Consecutive in-order packets a new source must send (with a new SSRC) before it replaces the latched one. */
export const RELATCH_PACKETS = 3;

export class RtpSourceLatch {
  /** Current destination for RTP. */
  address = '';
  port = 0;
  /** The source whose RTP is accepted (the SDP address until latched). */
  sourceAddress = '';
  sourcePort = 0;
  latched = false;
  private sdpAddress = '';
  private ssrc = 0;
  private candidateAddress = '';
  private candidatePort = 0;
  private candidateSsrc = 0;
  private candidateSeq = 0;
  private candidateCount = 0;

  constructor(readonly enabled: boolean, readonly symmetric = true) {}

  /** Starts over from the SDP address (new session description with a different remote address). */
  reset(sdpAddress: string, sdpPort: number): void {
    this.sdpAddress = sdpAddress;
    this.address = sdpAddress;
    this.port = sdpPort;
    this.sourceAddress = sdpAddress;
    this.sourcePort = sdpPort;
    this.latched = false;
    this.candidateCount = 0;
  }

  /** Accepts or rejects one packet that already passed parsing and the payload-type check. */
  accept(address: string, port: number, ssrc: number, seq: number): boolean {
    if (!this.enabled) return address === this.sdpAddress;
    if (!this.latched) {
      this.latchTo(address, port, ssrc);
      return true;
    }
    if (port === this.sourcePort && address === this.sourceAddress) {
      this.ssrc = ssrc;
      this.candidateCount = 0;
      return true;
    }
    if (ssrc === this.ssrc) return false;
    if (
      this.candidateCount > 0 && ssrc === this.candidateSsrc && port === this.candidatePort &&
      address === this.candidateAddress && seq === ((this.candidateSeq + 1) & 0xffff)
    ) {
      this.candidateCount++;
    } else {
      this.candidateAddress = address;
      this.candidatePort = port;
      this.candidateSsrc = ssrc;
      this.candidateCount = 1;
    }
    this.candidateSeq = seq;
    if (this.candidateCount < RELATCH_PACKETS) return false;
    this.latchTo(address, port, ssrc);
    return true;
  }

  private latchTo(address: string, port: number, ssrc: number): void {
    this.sourceAddress = address;
    this.sourcePort = port;
    if (this.symmetric) {
      this.address = address;
      this.port = port;
    }
    this.ssrc = ssrc;
    this.latched = true;
    this.candidateCount = 0;
  }
}
