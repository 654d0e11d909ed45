/**
 * The sending side of RFC 4733 for DTMF digits, as a state machine stepped once per packet interval by the
 * engine's pacer. Per digit (RFC 4733 §2.5.1):
 * - all packets of the event carry the RTP timestamp of its first packet, which has the marker bit (§2.5.1.2);
 * - an update is sent every packet interval with the duration so far (§2.5.1.2);
 * - the final packet has the E bit and is sent three times in total (§2.5.1.4), each with a new sequence number
 *   (they are separate RTP packets; RFC 3550 §5.1);
 * then a short pause separates this digit from the next one.
 * `next` writes the 4-byte payload into the caller's buffer and reports what to send: nothing is allocated.
 */
import { assertDtmfDigits, digitToEvent, writeTelephoneEvent } from './rfc4733.js';

/** `next` results: nothing queued; a payload was written; no event packet now, but keep other audio paused. */
export const DTMF_SEND_IDLE = 0;
export const DTMF_SEND_PACKET = 1;
export const DTMF_SEND_PAUSE = 2;
export type DtmfSendStep = typeof DTMF_SEND_IDLE | typeof DTMF_SEND_PACKET | typeof DTMF_SEND_PAUSE;

export interface Rfc4733SenderOptions {
  clockRate?: number;
  ptimeMs?: number;
  /** Power level in -dBm0 (RFC 4733 §2.3.4); 10 is what common phones send. */
  volume?: number;
  /** Silence between digits. */
  gapMs?: number;
}

const MIN_DURATION_MS = 40;
/** Stays below the 16-bit duration field at 8 kHz so no event needs long-event segments (§2.5.1.3). */
const MAX_DURATION_MS = 5000;
const END_PACKETS = 3;

const PHASE_IDLE = 0;
const PHASE_TONE = 1;
const PHASE_END = 2;
const PHASE_GAP = 3;

export class Rfc4733Sender {
  /** Header fields for the packet `next` just wrote. */
  marker = false;
  timestamp = 0;
  private readonly unitsPerTick: number;
  private readonly unitsPerMs: number;
  private readonly volume: number;
  private readonly gapTicks: number;
  private readonly queue: Array<{ event: number; units: number }> = [];
  private phase = PHASE_IDLE;
  private event = 0;
  private totalUnits = 0;
  private sentUnits = 0;
  private endsSent = 0;
  private gapLeft = 0;

  constructor(options: Rfc4733SenderOptions = {}) {
    const clockRate = options.clockRate ?? 8000;
    const ptimeMs = options.ptimeMs ?? 20;
    this.unitsPerMs = clockRate / 1000;
    this.unitsPerTick = Math.round(this.unitsPerMs * ptimeMs);
    this.volume = options.volume ?? 10;
    this.gapTicks = Math.max(1, Math.round((options.gapMs ?? 60) / ptimeMs));
  }

  /** Queues `digits` (0–9 * # A–D), each lasting `durationMs` (clamped to 40..5000 ms). */
  enqueue(digits: string, durationMs = 100): void {
    assertDtmfDigits(digits);
    const ms = Math.min(MAX_DURATION_MS, Math.max(MIN_DURATION_MS, durationMs));
    const units = Math.max(this.unitsPerTick, Math.round((ms * this.unitsPerMs) / this.unitsPerTick) * this.unitsPerTick);
    for (const d of digits) this.queue.push({ event: digitToEvent(d), units });
  }

  /** True while digits are being sent or the pause after one runs. */
  get busy(): boolean {
    return this.phase !== PHASE_IDLE || this.queue.length > 0;
  }

  /** Drops queued digits; an event in progress is still ended properly so the far end does not hang on it. */
  cancel(): void {
    this.queue.length = 0;
    if (this.phase === PHASE_TONE) this.totalUnits = this.sentUnits + this.unitsPerTick;
  }

  /** Steps one packet interval; `tickTimestamp` is the RTP timestamp audio would carry in this interval. */
  next(tickTimestamp: number, out: Uint8Array, offset: number): DtmfSendStep {
    if (this.phase === PHASE_GAP) {
      if (--this.gapLeft > 0) return DTMF_SEND_PAUSE;
      this.phase = PHASE_IDLE;
    }
    if (this.phase === PHASE_IDLE) {
      const next = this.queue.shift();
      if (!next) return DTMF_SEND_IDLE;
      this.phase = PHASE_TONE;
      this.event = next.event;
      this.totalUnits = next.units;
      this.sentUnits = 0;
      this.endsSent = 0;
      this.timestamp = tickTimestamp >>> 0;
    }
    if (this.phase === PHASE_TONE) {
      this.marker = this.sentUnits === 0;
      this.sentUnits += this.unitsPerTick;
      const end = this.sentUnits >= this.totalUnits;
      if (end) {
        this.sentUnits = this.totalUnits;
        this.phase = PHASE_END;
        this.endsSent = 1;
      }
      writeTelephoneEvent(out, offset, this.event, end, this.volume, this.sentUnits);
      return DTMF_SEND_PACKET;
    }
    this.marker = false;
    writeTelephoneEvent(out, offset, this.event, true, this.volume, this.sentUnits);
    if (++this.endsSent >= END_PACKETS) {
      this.phase = PHASE_GAP;
      this.gapLeft = this.gapTicks + 1;
    }
    return DTMF_SEND_PACKET;
  }
}
