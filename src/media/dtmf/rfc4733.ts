/**
 * The telephone-event payload (RFC 4733 §2.3) and the DTMF event codes (RFC 4733 §3.2).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * E marks the end of the event, R is reserved (sent as 0, ignored on receipt, §2.3.3), volume is the power level
 * in -dBm0 (§2.3.4) and duration counts timestamp units since the event's RTP timestamp (§2.3.5).
 */
import { SwitchboardError } from '../../common/index.js';

export const TELEPHONE_EVENT_BYTES = 4;

/** DTMF digits in event-code order: events 0–9, 10 '*', 11 '#', 12–15 'A'–'D' (RFC 4733 §3.2). */
export const DTMF_DIGITS = '0123456789*#ABCD';

/** The digit of a DTMF event code, or '' for non-DTMF events such as flash (16). */
export function eventToDigit(event: number): string {
  return event >= 0 && event < DTMF_DIGITS.length ? DTMF_DIGITS[event] : '';
}

/** The event code of a DTMF digit (case-insensitive for A–D), or -1. */
export function digitToEvent(digit: string): number {
  return digit.length === 1 ? DTMF_DIGITS.indexOf(digit.toUpperCase()) : -1;
}

/** Throws SWB_ERR_DTMF_INVALID unless every character of `digits` is a DTMF digit. */
export function assertDtmfDigits(digits: string): void {
  for (const d of digits) {
    if (digitToEvent(d) < 0) throw new SwitchboardError('SWB_ERR_DTMF_INVALID', `not a DTMF digit: ${JSON.stringify(d)}`);
  }
}

/** Decoded payload fields, reused across packets like RtpPacketView. */
export class TelephoneEventView {
  event = 0;
  end = false;
  volume = 0;
  duration = 0;

  /** Decodes the 4 bytes at `offset`; false if fewer than 4 bytes are available. */
  parse(buf: Uint8Array, offset: number, length: number): boolean {
    if (length < TELEPHONE_EVENT_BYTES || offset + TELEPHONE_EVENT_BYTES > buf.length) return false;
    this.event = buf[offset];
    this.end = (buf[offset + 1] & 0x80) !== 0;
    this.volume = buf[offset + 1] & 0x3f;
    this.duration = (buf[offset + 2] << 8) | buf[offset + 3];
    return true;
  }
}

/** Writes one telephone-event payload at `offset`; returns the offset after it. */
export function writeTelephoneEvent(
  buf: Uint8Array,
  offset: number,
  event: number,
  end: boolean,
  volume: number,
  duration: number,
): number {
  buf[offset] = event & 0xff;
  buf[offset + 1] = (end ? 0x80 : 0) | (volume & 0x3f);
  buf[offset + 2] = (duration >>> 8) & 0xff;
  buf[offset + 3] = duration & 0xff;
  return offset + TELEPHONE_EVENT_BYTES;
}
