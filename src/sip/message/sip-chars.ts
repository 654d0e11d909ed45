/**
 * Character classes and small linear scanners for the RFC 3261 §25.1 grammar. Every scanner moves forward only
 * and looks at each character once, so untrusted input cannot make parsing slower than linear.
 */
import { SipParseError } from './sip-parse-error.js';

const ALNUM = 1;
const TOKEN = 2;
const MARK = 4;
const USER_UNRESERVED = 8;
const PASSWORD_UNRESERVED = 16;
const PARAM_UNRESERVED = 32;
const HNV_UNRESERVED = 64;
const RESERVED = 128;

const TABLE = new Uint8Array(128);
function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) TABLE[chars.charCodeAt(i)] |= flag;
}
mark('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', ALNUM | TOKEN);
mark("-.!%*_+`'~", TOKEN);
mark("-_.!~*'()", MARK);
mark('&=+$,;?/', USER_UNRESERVED);
mark('&=+$,', PASSWORD_UNRESERVED);
mark('[]/:&+$', PARAM_UNRESERVED);
mark('[]/?:+$', HNV_UNRESERVED);
mark(';/?:@&=+$,', RESERVED);

function has(code: number, flag: number): boolean {
  return code < 128 && (TABLE[code] & flag) !== 0;
}

export function isWsp(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

export function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

export function isTokenChar(code: number): boolean {
  return has(code, TOKEN);
}

/** RFC 3261 §25.1 unreserved = alphanum / mark. */
export function isUnreserved(code: number): boolean {
  return has(code, ALNUM | MARK);
}

export function isUserChar(code: number): boolean {
  return has(code, ALNUM | MARK | USER_UNRESERVED);
}

export function isPasswordChar(code: number): boolean {
  return has(code, ALNUM | MARK | PASSWORD_UNRESERVED);
}

export function isParamChar(code: number): boolean {
  return has(code, ALNUM | MARK | PARAM_UNRESERVED);
}

export function isHeaderNameValueChar(code: number): boolean {
  return has(code, ALNUM | MARK | HNV_UNRESERVED);
}

/** uric (RFC 2396 via RFC 3261 §25.1) minus '%', which callers check as an escape. */
export function isUriChar(code: number): boolean {
  return has(code, ALNUM | MARK | RESERVED);
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

export function skipWsp(s: string, i: number): number {
  while (i < s.length && isWsp(s.charCodeAt(i))) i++;
  return i;
}

export function scanToken(s: string, i: number): number {
  while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
  return i;
}

/** Trims SP and HTAB only (String.prototype.trim also strips characters SIP does not treat as whitespace). */
export function trimWsp(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWsp(s.charCodeAt(a))) a++;
  while (b > a && isWsp(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/**
 * Reads a quoted-string starting at the opening DQUOTE (RFC 3261 §25.1: quoted-pair = "\" followed by any octet
 * but CR and LF). Returns the unescaped content and the index after the closing DQUOTE.
 */
export function readQuotedString(s: string, i: number): { value: string; end: number } {
  let out = '';
  let j = i + 1;
  let runStart = j;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x22) return { value: out + s.slice(runStart, j), end: j + 1 };
    if (c === 0x5c) {
      if (j + 1 >= s.length) break;
      const next = s.charCodeAt(j + 1);
      if (next === 0x0d || next === 0x0a) throw new SipParseError('CR or LF escaped in a quoted-string');
      out += s.slice(runStart, j) + s[j + 1];
      j += 2;
      runStart = j;
      continue;
    }
    if (c === 0x0d || c === 0x0a) throw new SipParseError('CR or LF in a quoted-string');
    j++;
  }
  throw new SipParseError('unterminated quoted-string');
}

/** The quoted-string form of `value`, escaping DQUOTE and backslash (RFC 3261 §25.1). */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  return `${out}"`;
}

/**
 * Checks `s` against a character class where "%" HEXDIG HEXDIG escapes are also allowed (RFC 3261 §25.1 escaped),
 * and returns it with the escapes decoded (as UTF-8 when they form UTF-8, else byte by byte as Latin-1).
 */
export function decodeEscaped(s: string, allowed: (code: number) => boolean, what: string): string {
  let hasEscape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= s.length || !isHexDigit(s.charCodeAt(i + 1)) || !isHexDigit(s.charCodeAt(i + 2))) {
        throw new SipParseError(`bad %-escape in ${what}`);
      }
      hasEscape = true;
      i += 2;
    } else if (!allowed(c)) {
      throw new SipParseError(`character ${JSON.stringify(s[i])} not allowed in ${what}`);
    }
  }
  if (!hasEscape) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(s[i], 'utf8')) bytes.push(b);
    }
  }
  const buf = Buffer.from(bytes);
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : buf.toString('latin1');
}

/** %-escapes every UTF-8 byte of `s` whose character is outside `allowed` (RFC 3261 §19.1.2). */
export function encodeEscaped(s: string, allowed: (code: number) => boolean): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c !== 0x25 && allowed(c)) {
      out += ch;
    } else {
      for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}
