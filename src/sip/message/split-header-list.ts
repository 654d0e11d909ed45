/**
 * Splits a header value into its comma-separated elements (RFC 3261 §7.3.1), ignoring commas inside quoted
 * strings and inside <> (a URI in a name-addr may contain commas). Elements are trimmed; empty elements are kept
 * so that a parser can reject them (RFC 4475 §3.1.2.1), and an empty value gives no element.
 */
import { trimWsp } from './sip-chars.js';

export function splitHeaderList(value: string): string[] {
  if (trimWsp(value) === '') return [];
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) {
      inQuote = true;
    } else if (c === 0x3c) {
      inAngle = true;
    } else if (c === 0x3e) {
      inAngle = false;
    } else if (c === 0x2c && !inAngle) {
      out.push(trimWsp(value.slice(start, i)));
      start = i + 1;
    }
  }
  out.push(trimWsp(value.slice(start)));
  return out;
}
