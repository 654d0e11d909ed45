/**
 * Turns a stream of telephone-event packets into key presses, each reported exactly once when it ends.
 *
 * RFC 4733 §2.5.1: every packet of one event carries the same RTP timestamp (the event's start), so the timestamp
 * identifies the key press; a new press, even of the same digit, has a new timestamp. The rules below follow from
 * that and from the loss cases §2.5.2 asks receivers to survive:
 * - the first packet seen for a timestamp starts the event, whatever it is: the marked start packet, an update
 *   (start lost) or already an end packet (everything before it lost);
 * - the final packet is sent three times (§2.5.1.4): once an event has ended, further packets with its timestamp
 *   are retransmissions and ignored;
 * - if the end packets are all lost, the event ends when the next event starts or when no packet has arrived for
 *   `timeoutMs` (checked by `tick`, driven by the engine's pacer: no timer per call);
 * - a packet with an older timestamp than the current event is a late reordered packet and ignored.
 * Only DTMF events (0–15) are reported; other events (flash, tones) are ignored.
 */
import { eventToDigit } from './rfc4733.js';

export type DtmfEndReason = 'end' | 'timeout' | 'next-event';

export interface Rfc4733ReceiverOptions {
  /** Timestamp units per second of the telephone-event payload type (8000 for `telephone-event/8000`). */
  clockRate?: number;
  /** How long an event may go without packets before it is taken as ended (end packets lost). */
  timeoutMs?: number;
  onDigit: (digit: string, durationMs: number, endedBy: DtmfEndReason) => void;
}

const DEFAULT_TIMEOUT_MS = 400;

/** True when 32-bit timestamp `a` is before `b` in RTP serial-number arithmetic (RFC 3550 §5.1 wraps at 2^32). */
function timestampBefore(a: number, b: number): boolean {
  const diff = (b - a) >>> 0;
  return diff !== 0 && diff < 0x80000000;
}

export class Rfc4733Receiver {
  private readonly unitsPerMs: number;
  private readonly timeoutMs: number;
  private readonly onDigit: Rfc4733ReceiverOptions['onDigit'];
  private hasEvent = false;
  private ended = true;
  private timestamp = 0;
  private event = 0;
  /** Duration of earlier segments of a long event (§2.5.1.3), in timestamp units. */
  private baseDuration = 0;
  private duration = 0;
  private lastPacketMs = 0;

  constructor(options: Rfc4733ReceiverOptions) {
    this.unitsPerMs = (options.clockRate ?? 8000) / 1000;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.onDigit = options.onDigit;
  }

  /** Feeds one decoded telephone-event payload with its packet's RTP timestamp. */
  receive(timestamp: number, event: number, end: boolean, duration: number, nowMs: number): void {
    if (eventToDigit(event) === '') return;
    if (this.hasEvent && timestamp === this.timestamp) {
      if (this.ended || event !== this.event) return;
      this.lastPacketMs = nowMs;
      if (duration > this.duration) this.duration = duration;
      if (end) this.finish('end');
      return;
    }
    if (this.hasEvent && timestampBefore(timestamp, this.timestamp)) return;
    if (this.hasEvent && !this.ended) {
      // §2.5.1.3: a long event continues in a new segment whose timestamp is the previous one plus its duration.
      if (event === this.event && ((this.timestamp + this.duration) >>> 0) === timestamp && this.duration >= 0xffff) {
        this.baseDuration += this.duration;
        this.timestamp = timestamp;
        this.duration = duration;
        this.lastPacketMs = nowMs;
        if (end) this.finish('end');
        return;
      }
      this.finish('next-event');
    }
    this.hasEvent = true;
    this.ended = false;
    this.timestamp = timestamp;
    this.event = event;
    this.baseDuration = 0;
    this.duration = duration;
    this.lastPacketMs = nowMs;
    if (end) this.finish('end');
  }

  /** Ends an event whose end packets never came. Call about once per packet interval. */
  tick(nowMs: number): void {
    if (this.hasEvent && !this.ended && nowMs - this.lastPacketMs >= this.timeoutMs) this.finish('timeout');
  }

  /** Forgets all state, e.g. when the sender's SSRC changes and its timestamps restart. */
  reset(): void {
    if (this.hasEvent && !this.ended) this.finish('next-event');
    this.hasEvent = false;
    this.ended = true;
  }

  private finish(reason: DtmfEndReason): void {
    this.ended = true;
    this.onDigit(eventToDigit(this.event), (this.baseDuration + this.duration) / this.unitsPerMs, reason);
  }
}
