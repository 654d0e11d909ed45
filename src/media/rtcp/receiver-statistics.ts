/**
 * Per-source reception statistics for RTCP report blocks: RFC 3550 Appendix A.1 (sequence number validity and
 * the extended highest sequence number), A.3 (cumulative and fraction lost) and A.8 (interarrival jitter,
 * §6.4.1). Updated once per received packet with plain arithmetic, no allocation.
 */
import type { RtcpReportBlock } from './rtcp-packet.js';

const RTP_SEQ_MOD = 0x10000;
/** A.1: a new source is valid after this many in-order packets; large jumps are accepted when repeated. */
const MIN_SEQUENTIAL = 2;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class ReceiverStatistics {
  ssrc = 0;
  private readonly unitsPerMs: number;
  private started = false;
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private probation = 0;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private hasTransit = false;
  private transit = 0;
  private jitterUnits = 0;
  private lastSrMiddle = 0;
  private lastSrArrivalMs = -1;

  constructor(clockRate = 8000) {
    this.unitsPerMs = clockRate / 1000;
  }

  /** Starts over for a new source (SSRC change). */
  reset(ssrc: number): void {
    this.ssrc = ssrc >>> 0;
    this.started = false;
    this.hasTransit = false;
    this.jitterUnits = 0;
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.cycles = 0;
    this.lastSrArrivalMs = -1;
  }

  /**
   * Accounts one packet. `timingValid` is false for packets whose timestamp is not their sampling instant
   * (telephone-events keep the event's start timestamp), which must not feed the jitter estimate.
   * Returns false while the source is on probation or for a packet A.1 rejects.
   */
  onPacket(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number, timingValid: boolean): boolean {
    if (!this.started) {
      this.initSeq(sequenceNumber);
      this.maxSeq = (sequenceNumber - 1) & 0xffff;
      this.probation = MIN_SEQUENTIAL;
      this.started = true;
    }
    if (!this.updateSeq(sequenceNumber)) return false;
    if (timingValid) {
      // A.8: transit time in timestamp units; only its changes matter, so the clocks need no common origin.
      const transit = arrivalMs * this.unitsPerMs - rtpTimestamp;
      if (this.hasTransit) {
        let d = transit - this.transit;
        if (d < 0) d = -d;
        this.jitterUnits += (d - this.jitterUnits) / 16;
      }
      this.transit = transit;
      this.hasTransit = true;
    }
    return true;
  }

  /** Records an SR from this source for the LSR/DLSR fields (§6.4.1). */
  onSenderReport(ntpMiddle32: number, arrivalMs: number): void {
    this.lastSrMiddle = ntpMiddle32 >>> 0;
    this.lastSrArrivalMs = arrivalMs;
  }

  get packetsReceived(): number {
    return this.received;
  }

  get extendedHighestSeq(): number {
    return (this.cycles + this.maxSeq) >>> 0;
  }

  /** A.3: expected minus received, which duplicates can make negative; clamped to the signed 24-bit field. */
  get cumulativeLost(): number {
    if (!this.started || this.probation > 0) return 0;
    const lost = this.expected() - this.received;
    return Math.max(-0x800000, Math.min(0x7fffff, lost));
  }

  get jitterMs(): number {
    return this.jitterUnits / this.unitsPerMs;
  }

  /** Fills a report block about this source and starts a new fraction-lost interval (A.3). */
  fillReportBlock(block: RtcpReportBlock, nowMs: number): RtcpReportBlock {
    const expected = this.started && this.probation === 0 ? this.expected() : 0;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    block.ssrc = this.ssrc;
    block.fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    block.cumulativeLost = this.cumulativeLost;
    block.highestSeq = this.extendedHighestSeq;
    block.jitter = Math.floor(this.jitterUnits) >>> 0;
    block.lastSr = this.lastSrArrivalMs < 0 ? 0 : this.lastSrMiddle;
    block.delaySinceLastSr = this.lastSrArrivalMs < 0 ? 0 : Math.floor(((nowMs - this.lastSrArrivalMs) * 65536) / 1000) >>> 0;
    return block;
  }

  private expected(): number {
    return this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /** RFC 3550 A.1 update_seq. */
  private updateSeq(seq: number): boolean {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return true;
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      return false;
    }
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      if (seq === this.badSeq) {
        // Two sequential packets after a large jump: the source restarted its numbering (A.1).
        this.initSeq(seq);
      } else {
        this.badSeq = (seq + 1) & 0xffff;
        return false;
      }
    }
    this.received++;
    return true;
  }
}
