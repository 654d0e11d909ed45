/**
 * Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
 * gen-value = token / host / quoted-string (RFC 3261 §25.1). SEMI and EQUAL allow whitespace on both sides.
 * Names are lower-cased; a quoted value keeps its quotes so it is written back as it came.
 */
import { SipParseError } from './sip-parse-error.js';
import { isTokenChar, readQuotedString, scanToken, skipWsp } from './sip-chars.js';

function isGenValueChar(code: number): boolean {
  return isTokenChar(code) || code === 0x3a || code === 0x5b || code === 0x5d;
}

/** Reads parameters from `s` at `i` to the end of `s`; the first occurrence of a name wins. */
export function parseGenericParams(s: string, i: number, params: Map<string, string>): void {
  for (;;) {
    i = skipWsp(s, i);
    if (i >= s.length) return;
    if (s.charCodeAt(i) !== 0x3b) throw new SipParseError(`unexpected ${JSON.stringify(s[i])} where ";" was expected`);
    i = skipWsp(s, i + 1);
    const nameStart = i;
    i = scanToken(s, i);
    if (i === nameStart) throw new SipParseError('empty parameter name');
    const name = s.slice(nameStart, i).toLowerCase();
    i = skipWsp(s, i);
    let value = '';
    if (s.charCodeAt(i) === 0x3d) {
      i = skipWsp(s, i + 1);
      if (s.charCodeAt(i) === 0x22) {
        const q = readQuotedString(s, i);
        value = s.slice(i, q.end);
        i = q.end;
      } else {
        const valueStart = i;
        while (i < s.length && isGenValueChar(s.charCodeAt(i))) i++;
        if (i === valueStart) throw new SipParseError(`parameter "${name}" has an empty value`);
        value = s.slice(valueStart, i);
      }
    }
    if (!params.has(name)) params.set(name, value);
  }
}

export function formatParams(params: ReadonlyMap<string, string>): string {
  let out = '';
  for (const [name, value] of params) out += value === '' ? `;${name}` : `;${name}=${value}`;
  return out;
}
