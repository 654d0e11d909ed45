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
 */

/** Consecutive in-order packets a new source must send (with a new SSRC) before it replaces the latched one. */
export const RELATCH_PACKETS = 3;

export class RtpSourceLatch {
  /** Current destination for RTP. */
  address = '';
  port = 0;
  latched = false;
  private sdpAddress = '';
  private ssrc = 0;
  private candidateAddress = '';
  private candidatePort = 0;
  private candidateSsrc = 0;
  private candidateSeq = 0;
  private candidateCount = 0;

  constructor(readonly enabled: boolean) {}

  /** Starts over from the SDP address (new session description with a different remote address). */
  reset(sdpAddress: string, sdpPort: number): void {
    this.sdpAddress = sdpAddress;
    this.address = sdpAddress;
    this.port = sdpPort;
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
    if (port === this.port && address === this.address) {
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
    this.address = address;
    this.port = port;
    this.ssrc = ssrc;
    this.latched = true;
    this.candidateCount = 0;
  }
}
