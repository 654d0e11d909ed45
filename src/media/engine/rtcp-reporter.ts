/**
 * The RTCP side of one session: builds the periodic compound report (SR, or RR when we are not sending, RFC 3550
 * §6.4, followed by SDES CNAME, §6.1) into a preallocated buffer, builds the BYE sent at close (§6.6), and reads
 * what the peer reports: its SRs feed LSR/DLSR, report blocks about our SSRC give the round-trip time (§6.4.1).
 * It also keeps where RTCP goes: the SDP's RTCP port until, with latching, the peer's RTCP source is learned.
 */
import {
  ReceiverStatistics, SDES_CNAME, ntpMiddle32, parseRtcpCompound, rtcpPacketBytes, wallMsToNtp, writeRtcpPacket,
  type RtcpBye, type RtcpReceiverReport, type RtcpReportBlock, type RtcpSenderReport, type RtcpSourceDescription,
} from '../rtcp/index.js';

export class RtcpReporter {
  readonly buffer: Buffer;
  /** Round-trip time from the last report block about us, if the peer sent one with an LSR. */
  rttMs: number | undefined;
  reportsReceived = 0;
  byeReceived = false;
  /** Destination chosen by the last `chooseDestination`. */
  address = '';
  port = 0;
  private sdpAddress = '';
  private sdpPort = 0;
  private learned = false;
  private learnedAddress = '';
  private learnedPort = 0;
  private readonly block: RtcpReportBlock = { ssrc: 0, fractionLost: 0, cumulativeLost: 0, highestSeq: 0, jitter: 0, lastSr: 0, delaySinceLastSr: 0 };
  private readonly withBlock = [this.block];
  private readonly noBlocks: RtcpReportBlock[] = [];
  private readonly sr: RtcpSenderReport;
  private readonly rr: RtcpReceiverReport;
  private readonly sdes: RtcpSourceDescription;
  private readonly bye: RtcpBye;

  constructor(private readonly ssrc: number, cname: string) {
    this.sr = { type: 'sr', ssrc, ntpSeconds: 0, ntpFraction: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0, reports: this.noBlocks };
    this.rr = { type: 'rr', ssrc, reports: this.noBlocks };
    this.sdes = { type: 'sdes', chunks: [{ ssrc, items: [{ type: SDES_CNAME, text: cname }] }] };
    this.bye = { type: 'bye', ssrcs: [ssrc] };
    this.buffer = Buffer.alloc(rtcpPacketBytes({ ...this.sr, reports: this.withBlock }) + rtcpPacketBytes(this.sdes) + rtcpPacketBytes(this.bye));
  }

  setSdpDestination(address: string, port: number): void {
    this.sdpAddress = address;
    this.sdpPort = port;
  }

  /** Latching: send RTCP back to where the peer's RTCP comes from (symmetric, like RTP). */
  learnDestination(address: string, port: number): void {
    this.learned = true;
    this.learnedAddress = address;
    this.learnedPort = port;
  }

  forgetLearnedDestination(): void {
    this.learned = false;
  }

  /**
   * Sets `address`/`port` for the next send; false when there is nowhere to send (port 0 from the SDP layer).
   * RTP latched to another address than the SDP's, with no RTCP seen yet, means NAT: guess RTCP = RTP + 1 at
   * the latched address (RFC 3550 §11), where a symmetric NAT mapping is most likely.
   */
  chooseDestination(latch: { latched: boolean; address: string; port: number }, sdpRtpAddress: string): boolean {
    if (this.learned) {
      this.address = this.learnedAddress;
      this.port = this.learnedPort;
      return true;
    }
    if (latch.latched && latch.address !== sdpRtpAddress && latch.port < 65535) {
      this.address = latch.address;
      this.port = latch.port + 1;
      return true;
    }
    this.address = this.sdpAddress;
    this.port = this.sdpPort;
    return this.port !== 0;
  }

  /**
   * Writes SR+SDES (RR+SDES when `sending` is false) and returns its length. `source` is the peer's statistics,
   * reported when it has sent anything.
   */
  buildReport(sending: boolean, rtpTimestamp: number, packetCount: number, octetCount: number,
    source: ReceiverStatistics | undefined, wallMs: number, nowMs: number): number {
    const reports = source && source.packetsReceived > 0 ? this.withBlock : this.noBlocks;
    if (reports === this.withBlock && source) source.fillReportBlock(this.block, nowMs);
    let head: RtcpSenderReport | RtcpReceiverReport;
    if (sending) {
      const ntp = wallMsToNtp(wallMs);
      this.sr.ntpSeconds = ntp.seconds;
      this.sr.ntpFraction = ntp.fraction;
      this.sr.rtpTimestamp = rtpTimestamp >>> 0;
      this.sr.packetCount = packetCount >>> 0;
      this.sr.octetCount = octetCount >>> 0;
      this.sr.reports = reports;
      head = this.sr;
    } else {
      this.rr.reports = reports;
      head = this.rr;
    }
    return writeRtcpPacket(this.buffer, writeRtcpPacket(this.buffer, 0, head), this.sdes);
  }

  /** Writes RR+BYE (§6.1: a BYE is still sent in a compound led by a report) and returns its length. */
  buildBye(): number {
    this.rr.reports = this.noBlocks;
    return writeRtcpPacket(this.buffer, writeRtcpPacket(this.buffer, 0, this.rr), this.bye);
  }

  /** Reads an incoming compound packet; throws RtcpParseError when malformed. */
  handle(msg: Buffer, source: ReceiverStatistics, wallMs: number, nowMs: number): void {
    const packets = parseRtcpCompound(msg);
    this.reportsReceived++;
    for (const p of packets) {
      if (p.type === 'sr' || p.type === 'rr') {
        if (p.type === 'sr' && p.ssrc === source.ssrc) source.onSenderReport(ntpMiddle32(p.ntpSeconds, p.ntpFraction), nowMs);
        for (const r of p.reports) if (r.ssrc === this.ssrc && r.lastSr !== 0) this.updateRtt(r, wallMs);
      } else if (p.type === 'bye' && p.ssrcs.includes(source.ssrc)) {
        this.byeReceived = true;
      }
    }
  }

  private updateRtt(r: RtcpReportBlock, wallMs: number): void {
    const ntp = wallMsToNtp(wallMs);
    const arrival = ntpMiddle32(ntp.seconds, ntp.fraction);
    const rtt = (arrival - r.lastSr - r.delaySinceLastSr) >>> 0;
    if (rtt < 0x80000000) this.rttMs = (rtt * 1000) / 65536;
  }
}
