import type { CSeq } from './types.js';
import { SipParseError } from './sip-parse-error.js';
import { isDigit, scanToken, skipWsp, trimWsp } from './sip-chars.js';

/** RFC 3261 §20.16: the sequence number must be expressible as a 32-bit unsigned integer. */
export const MAX_CSEQ = 0xffffffff;

/** CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16). */
export function parseCSeq(value: string): CSeq {
  const s = trimWsp(value);
  let i = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === 0) throw new SipParseError('CSeq without a sequence number');
  let firstSignificant = 0;
  while (firstSignificant < i - 1 && s.charCodeAt(firstSignificant) === 0x30) firstSignificant++;
  const digits = s.slice(firstSignificant, i);
  if (digits.length > 10 || Number(digits) > MAX_CSEQ) throw new SipParseError('CSeq number exceeds 2**32-1');
  const methodStart = skipWsp(s, i);
  if (methodStart === i) throw new SipParseError('CSeq without whitespace before the method');
  const methodEnd = scanToken(s, methodStart);
  if (methodEnd === methodStart) throw new SipParseError('CSeq without a method');
  if (methodEnd !== s.length) throw new SipParseError('trailing text in CSeq');
  return { seq: Number(digits), method: s.slice(methodStart, methodEnd) };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
