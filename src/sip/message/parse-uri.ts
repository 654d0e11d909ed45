/**
 * SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966). `user` and `password` are %-decoded; host, parameters
 * and headers are kept as written. An IPv6 host keeps its brackets (`[::1]`), as the IPv6reference grammar does.
 * A tel URI has its telephone-subscriber in `user` and an empty `host`.
 */
import type { SipUri } from './types.js';
import { SipParseError } from './sip-parse-error.js';
import {
  decodeEscaped, encodeEscaped, isAlpha, isDigit, isHeaderNameValueChar, isHexDigit, isParamChar, isPasswordChar,
  isUriChar, isUserChar,
} from './sip-chars.js';

const MAX_PORT = 65535;

/** RFC 3986 §3.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
function isScheme(s: string): boolean {
  if (s.length === 0 || !isAlpha(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isAlpha(c) && !isDigit(c) && c !== 0x2b && c !== 0x2d && c !== 0x2e) return false;
  }
  return true;
}

/**
 * True when `text` is a syntactically valid absoluteURI (RFC 3261 §25.1 via RFC 2396, brackets allowed per
 * RFC 2732). Any scheme is accepted: a URI of an unknown scheme is well formed, and rejecting it is a semantic
 * decision (416, RFC 3261 §8.2.2.1).
 */
export function isAbsoluteUri(text: string): boolean {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1 || !isScheme(text.slice(0, colon))) return false;
  for (let i = colon + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= text.length || !isHexDigit(text.charCodeAt(i + 1)) || !isHexDigit(text.charCodeAt(i + 2))) {
        return false;
      }
      i += 2;
    } else if (!isUriChar(c) && c !== 0x5b && c !== 0x5d) {
      return false;
    }
  }
  return true;
}

/** The lower-cased scheme of a URI, or undefined when it has none. */
export function uriScheme(text: string): string | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const scheme = text.slice(0, colon);
  return isScheme(scheme) ? scheme.toLowerCase() : undefined;
}

function checkIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) if (!isDigit(p.charCodeAt(i))) return false;
    if (Number(p) > 255) return false;
  }
  return true;
}

function checkHexGroups(s: string): number {
  if (s === '') return 0;
  let groups = 0;
  const parts = s.split(':');
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (k === parts.length - 1 && p.includes('.')) {
      if (!checkIPv4(p)) return -1;
      groups += 2;
      continue;
    }
    if (p.length === 0 || p.length > 4) return -1;
    for (let i = 0; i < p.length; i++) if (!isHexDigit(p.charCodeAt(i))) return -1;
    groups++;
  }
  return groups;
}

/** RFC 3261 §25.1 IPv6address (hexpart [ ":" IPv4address ]). */
export function isIPv6Address(s: string): boolean {
  const gap = s.indexOf('::');
  if (gap < 0) return checkHexGroups(s) === 8;
  if (s.indexOf('::', gap + 1) >= 0) return false;
  const left = checkHexGroups(s.slice(0, gap));
  const right = checkHexGroups(s.slice(gap + 2));
  if (left < 0 || right < 0) return false;
  if (left > 0 && s.slice(0, gap).includes('.')) return false;
  return left + right <= 7;
}

/** RFC 3261 §25.1 host = hostname / IPv4address / IPv6reference. */
export function isHost(s: string): boolean {
  if (s.length === 0) return false;
  if (s.charCodeAt(0) === 0x5b) {
    return s.charCodeAt(s.length - 1) === 0x5d && isIPv6Address(s.slice(1, -1));
  }
  let numeric = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && c !== 0x2e) numeric = false;
  }
  if (numeric) return checkIPv4(s);
  const labels = s.endsWith('.') ? s.slice(0, -1).split('.') : s.split('.');
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) return false;
    if (label.startsWith('-') || label.endsWith('-')) return false;
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (!isAlpha(c) && !isDigit(c) && c !== 0x2d) return false;
    }
  }
  return true;
}

function parsePort(s: string): number {
  if (s.length === 0 || s.length > 5) throw new SipParseError('bad port');
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) throw new SipParseError('bad port');
  const port = Number(s);
  if (port > MAX_PORT) throw new SipParseError('port out of range');
  return port;
}

/** uri-parameters: `;name[=value]` pairs, names lower-cased, values as written (RFC 3261 §19.1.1). */
function parseUriParams(s: string, params: Map<string, string>): void {
  for (const part of s.split(';')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (name.length === 0) throw new SipParseError('empty URI parameter name');
    decodeEscaped(name, isParamChar, 'URI parameter');
    decodeEscaped(value, isParamChar, 'URI parameter');
    const key = name.toLowerCase();
    if (!params.has(key)) params.set(key, value);
  }
}

function parseUriHeaders(s: string, headers: Map<string, string>): void {
  for (const part of s.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new SipParseError('URI header without name=value');
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    decodeEscaped(name, isHeaderNameValueChar, 'URI header');
    decodeEscaped(value, isHeaderNameValueChar, 'URI header');
    if (!headers.has(name)) headers.set(name, value);
  }
}

/** RFC 3966 §3 telephone-subscriber: global (+digits) or local (hex digits, *, #) with visual separators. */
function checkTelNumber(s: string): void {
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (i === 0 && c === 0x2b) continue;
    if (isHexDigit(c) || c === 0x2a || c === 0x23) digits++;
    else if (c !== 0x2d && c !== 0x2e && c !== 0x28 && c !== 0x29) throw new SipParseError('bad tel URI number');
  }
  if (digits === 0) throw new SipParseError('tel URI without digits');
}

function parseTel(rest: string): SipUri {
  if (rest.includes('?')) throw new SipParseError('tel URI with headers');
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  checkTelNumber(number);
  const params = new Map<string, string>();
  if (semi >= 0) parseUriParams(rest.slice(semi + 1), params);
  return { scheme: 'tel', user: number, host: '', params, headers: new Map() };
}

/** Parses a sip, sips or tel URI. Any other well-formed scheme throws with `unsupportedUriScheme`. */
export function parseUri(text: string): SipUri {
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon) : '';
  if (!isScheme(scheme)) throw new SipParseError('URI without a valid scheme');
  const lower = scheme.toLowerCase();
  const rest = text.slice(colon + 1);
  if (lower === 'tel') return parseTel(rest);
  if (lower !== 'sip' && lower !== 'sips') {
    if (!isAbsoluteUri(text)) throw new SipParseError('malformed URI');
    throw new SipParseError(`unsupported URI scheme "${scheme}"`, { unsupportedUriScheme: true });
  }
  const uri: SipUri = { scheme: lower, host: '', params: new Map(), headers: new Map() };
  const at = rest.indexOf('@');
  let i = 0;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const pw = userinfo.indexOf(':');
    const user = pw < 0 ? userinfo : userinfo.slice(0, pw);
    if (user.length === 0) throw new SipParseError('empty user in URI');
    uri.user = decodeEscaped(user, isUserChar, 'URI user');
    if (pw >= 0) uri.password = decodeEscaped(userinfo.slice(pw + 1), isPasswordChar, 'URI password');
    i = at + 1;
  }
  let hostEnd: number;
  if (rest.charCodeAt(i) === 0x5b) {
    const close = rest.indexOf(']', i);
    if (close < 0) throw new SipParseError('unterminated IPv6 reference');
    hostEnd = close + 1;
  } else {
    hostEnd = i;
    while (hostEnd < rest.length && !':;?'.includes(rest[hostEnd])) hostEnd++;
  }
  uri.host = rest.slice(i, hostEnd);
  if (!isHost(uri.host)) throw new SipParseError(`bad host "${uri.host}" in URI`);
  i = hostEnd;
  if (rest[i] === ':') {
    let j = i + 1;
    while (j < rest.length && !';?'.includes(rest[j])) j++;
    uri.port = parsePort(rest.slice(i + 1, j));
    i = j;
  }
  if (i < rest.length && rest[i] !== ';' && rest[i] !== '?') throw new SipParseError('unexpected text after host');
  const q = rest.indexOf('?', i);
  if (rest[i] === ';') parseUriParams(rest.slice(i + 1, q < 0 ? rest.length : q), uri.params);
  if (q >= 0) parseUriHeaders(rest.slice(q + 1), uri.headers);
  return uri;
}

/** Writes a URI back as text, %-escaping user and password (RFC 3261 §19.1.2). */
export function formatUri(uri: SipUri): string {
  let out = `${uri.scheme}:`;
  if (uri.scheme === 'tel') {
    out += uri.user ?? '';
  } else {
    if (uri.user !== undefined) {
      out += encodeEscaped(uri.user, isUserChar);
      if (uri.password !== undefined) out += `:${encodeEscaped(uri.password, isPasswordChar)}`;
      out += '@';
    }
    out += uri.host;
    if (uri.port !== undefined) out += `:${uri.port}`;
  }
  for (const [name, value] of uri.params) out += value === '' ? `;${name}` : `;${name}=${value}`;
  let sep = '?';
  for (const [name, value] of uri.headers) {
    out += `${sep}${name}=${value}`;
    sep = '&';
  }
  return out;
}
