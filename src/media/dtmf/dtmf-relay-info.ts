/**
 * DTMF carried in SIP INFO bodies, for peers that send neither telephone-events nor usable in-band tones.
 * Neither format has an RFC; these follow the de-facto Cisco/Asterisk behaviour:
 * - `application/dtmf-relay`: lines `Signal=<digit>` and `Duration=<ms>`, CRLF or LF separated, any order,
 *   keys case-insensitive; `Signal` may also be the event code 10/11 for * and # (RFC 4733 §3.2 numbering).
 * - `application/dtmf`: the body is just the digit (or its event code).
 */
import { DTMF_DIGITS, eventToDigit } from './rfc4733.js';

export interface DtmfInfo {
  digit: string;
  /** Present when the body carried a valid Duration. */
  durationMs?: number;
}

export type DtmfInfoResult = { ok: true; value: DtmfInfo } | { ok: false; reason: string };

function signalToDigit(raw: string): string | undefined {
  const s = raw.trim().toUpperCase();
  if (s.length === 1 && DTMF_DIGITS.includes(s)) return s;
  if (/^\d{1,2}$/.test(s)) {
    const digit = eventToDigit(Number(s));
    if (digit !== '') return digit;
  }
  return undefined;
}

/** Parses an `application/dtmf-relay` body. */
export function parseDtmfRelay(body: string): DtmfInfoResult {
  let signal: string | undefined;
  let durationMs: number | undefined;
  for (const line of body.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'signal') signal = value;
    else if (key === 'duration' && /^\d{1,6}$/.test(value)) durationMs = Number(value);
  }
  if (signal === undefined) return { ok: false, reason: 'no Signal line' };
  const digit = signalToDigit(signal);
  if (!digit) return { ok: false, reason: `Signal ${JSON.stringify(signal)} is not a DTMF digit` };
  return { ok: true, value: durationMs === undefined ? { digit } : { digit, durationMs } };
}

/** Parses an `application/dtmf` body. */
export function parseDtmfPlain(body: string): DtmfInfoResult {
  const digit = signalToDigit(body);
  return digit ? { ok: true, value: { digit } } : { ok: false, reason: `body ${JSON.stringify(body.trim())} is not a DTMF digit` };
}

/**
 * Dispatches on the Content-Type (parameters such as `;charset=` ignored). Returns undefined for content types
 * that are not DTMF, so the caller can answer 415.
 */
export function parseDtmfInfoBody(contentType: string, body: string): DtmfInfoResult | undefined {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/dtmf-relay') return parseDtmfRelay(body);
  if (type === 'application/dtmf') return parseDtmfPlain(body);
  return undefined;
}

/** The digit of a SIP INFO DTMF body, or undefined when the type is not DTMF or the body holds no digit. */
export function parseDtmfRelayBody(contentType: string, body: string): string | undefined {
  const result = parseDtmfInfoBody(contentType, body);
  return result?.ok ? result.value.digit : undefined;
}
