/**
 * From, To, Contact, Route, Record-Route values (RFC 3261 §20.10, §25.1):
 *   ( name-addr / addr-spec ) *( SEMI generic-param ), name-addr = [ display-name ] LAQUOT addr-spec RAQUOT,
 *   display-name = *( token LWS ) / quoted-string.
 * Without <>, parameters after the URI belong to the header, not the URI (§20.10), so such a URI cannot contain
 * ';', ',' or '?'.
 */
import type { NameAddr } from './types.js';
import { SipParseError } from './sip-parse-error.js';
import { formatParams, parseGenericParams } from './generic-params.js';
import { isAbsoluteUri, parseUri, uriScheme } from './parse-uri.js';
import { isTokenChar, isWsp, quoteString, readQuotedString, skipWsp, trimWsp } from './sip-chars.js';
import { splitHeaderList } from './split-header-list.js';

/** sip, sips and tel URIs must parse; other schemes only need to be well-formed absolute URIs. */
function checkUri(uri: string): void {
  const scheme = uriScheme(uri);
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'tel') parseUri(uri);
  else if (!isAbsoluteUri(uri)) throw new SipParseError(`bad URI "${uri}"`);
}

function readBracketedUri(s: string, i: number): { uri: string; end: number } {
  const close = s.indexOf('>', i);
  if (close < 0) throw new SipParseError('"<" without ">"');
  const uri = s.slice(i + 1, close);
  for (let k = 0; k < uri.length; k++) {
    // RFC 4475 §3.1.2.14: LWS inside <> is not allowed by the addr-spec grammar.
    if (isWsp(uri.charCodeAt(k))) throw new SipParseError('whitespace inside <>');
  }
  return { uri, end: close + 1 };
}

function collapseWsp(s: string): string {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < s.length; i++) {
    if (isWsp(s.charCodeAt(i))) {
      pendingSpace = true;
    } else {
      if (pendingSpace && out !== '') out += ' ';
      pendingSpace = false;
      out += s[i];
    }
  }
  return out;
}

export function parseNameAddr(value: string): NameAddr {
  const s = value;
  let i = skipWsp(s, 0);
  if (i >= s.length) throw new SipParseError('empty name-addr');
  if (s.charCodeAt(i) === 0x2a && skipWsp(s, i + 1) === s.length) {
    return { uri: '*', params: new Map(), wildcard: true };
  }
  let displayName: string | undefined;
  let uri: string;
  if (s.charCodeAt(i) === 0x22) {
    const q = readQuotedString(s, i);
    displayName = q.value;
    i = skipWsp(s, q.end);
    if (s.charCodeAt(i) !== 0x3c) throw new SipParseError('display name not followed by "<"');
    ({ uri, end: i } = readBracketedUri(s, i));
  } else {
    let j = i;
    while (j < s.length && (isTokenChar(s.charCodeAt(j)) || isWsp(s.charCodeAt(j)))) j++;
    if (s.charCodeAt(j) === 0x3c) {
      const name = collapseWsp(trimWsp(s.slice(i, j)));
      if (name !== '') displayName = name;
      ({ uri, end: i } = readBracketedUri(s, j));
    } else {
      j = i;
      while (j < s.length && s.charCodeAt(j) !== 0x3b && !isWsp(s.charCodeAt(j))) j++;
      uri = s.slice(i, j);
      if (uri.includes('?') || uri.includes(',')) {
        throw new SipParseError('a URI with "?" or "," must be enclosed in <> (RFC 3261 §20.10)');
      }
      i = j;
    }
  }
  checkUri(uri);
  const params = new Map<string, string>();
  parseGenericParams(s, i, params);
  const na: NameAddr = { uri, params };
  if (displayName !== undefined) na.displayName = displayName;
  return na;
}

/** Every element of a comma-separated name-addr list (Contact, Route, Record-Route). */
export function parseNameAddrList(value: string): NameAddr[] {
  const items = splitHeaderList(value);
  if (items.length === 0) throw new SipParseError('empty name-addr list');
  return items.map((item) => parseNameAddr(item));
}

/** Always the name-addr form, which is valid for any URI (RFC 3261 §20.10). */
export function formatNameAddr(na: NameAddr): string {
  if (na.wildcard) return '*';
  const name = na.displayName === undefined ? '' : `${quoteString(na.displayName)} `;
  return `${name}<${na.uri}>${formatParams(na.params)}`;
}
