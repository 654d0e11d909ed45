/**
 * Via (RFC 3261 §20.42, §25.1): sent-protocol LWS sent-by *( SEMI via-params ), where SLASH, COLON and SEMI allow
 * whitespace around them (RFC 4475 §3.1.1.1 exercises this). One header value may carry several via-parms.
 */
import type { Via } from './types.js';
import { SipParseError } from './sip-parse-error.js';
import { formatParams, parseGenericParams } from './generic-params.js';
import { isHost } from './parse-uri.js';
import { isAlpha, isDigit, isWsp, scanToken, skipWsp } from './sip-chars.js';
import { splitHeaderList } from './split-header-list.js';

function expectSlash(s: string, i: number): number {
  i = skipWsp(s, i);
  if (s.charCodeAt(i) !== 0x2f) throw new SipParseError('Via sent-protocol without "/"');
  return skipWsp(s, i + 1);
}

function readToken(s: string, i: number, what: string): [string, number] {
  const end = scanToken(s, i);
  if (end === i) throw new SipParseError(`Via without ${what}`);
  return [s.slice(i, end), end];
}

function parseViaParm(s: string): Via {
  const [name, afterName] = readToken(s, skipWsp(s, 0), 'protocol name');
  const [version, afterVersion] = readToken(s, expectSlash(s, afterName), 'protocol version');
  const [transport, afterTransport] = readToken(s, expectSlash(s, afterVersion), 'transport');
  let i = afterTransport;
  if (i >= s.length || !isWsp(s.charCodeAt(i))) throw new SipParseError('Via without whitespace before sent-by');
  i = skipWsp(s, i);
  const hostStart = i;
  if (s.charCodeAt(i) === 0x5b) {
    const close = s.indexOf(']', i);
    if (close < 0) throw new SipParseError('unterminated IPv6 reference in Via');
    i = close + 1;
  } else {
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (!isAlpha(c) && !isDigit(c) && c !== 0x2d && c !== 0x2e) break;
      i++;
    }
  }
  const host = s.slice(hostStart, i);
  if (!isHost(host)) throw new SipParseError(`bad Via sent-by host "${host}"`);
  const via: Via = { protocol: `${name}/${version}`, transport: transport.toUpperCase(), host, params: new Map() };
  i = skipWsp(s, i);
  if (s.charCodeAt(i) === 0x3a) {
    i = skipWsp(s, i + 1);
    const portStart = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    const digits = s.slice(portStart, i);
    if (digits.length === 0 || digits.length > 5 || Number(digits) > 65535) throw new SipParseError('bad Via port');
    via.port = Number(digits);
  }
  parseGenericParams(s, i, via.params);
  return via;
}

/** Every via-parm of one Via header value, in order. */
export function parseVia(value: string): Via[] {
  const items = splitHeaderList(value);
  if (items.length === 0) throw new SipParseError('empty Via');
  return items.map((item) => {
    if (item === '') throw new SipParseError('empty element in Via list');
    return parseViaParm(item);
  });
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocol}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}
