/**
 * Locating and splitting the start line and header fields of a message (RFC 3261 §7). Lines may end in CRLF or,
 * tolerated, a bare LF. A line starting with SP or HTAB continues the previous header field; the line break and
 * the leading whitespace count as one SP (§7.3.1).
 */
import { isToken, isWsp, trimWsp } from './sip-chars.js';

export interface HeaderSection {
  startLine: string;
  fields: Array<[string, string]>;
  /** The first structural fault found; the fields that could be read are still returned. */
  problem?: string;
}

/** Index after the leading CR and LF octets, which are ignored before a start line (RFC 3261 §7.5). */
export function skipLineEnds(buf: Uint8Array, from: number, to: number): number {
  while (from < to && (buf[from] === 0x0d || buf[from] === 0x0a)) from++;
  return from;
}

/**
 * Start of the body: the index after the empty line ending the header section, or -1 when the section is not
 * complete in buf[from, to). The header text is buf[from, bodyStart) and ends with the empty line.
 */
export function findBodyStart(buf: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    if (buf[i] !== 0x0a) continue;
    if (i + 1 < to && buf[i + 1] === 0x0a) return i + 2;
    if (i + 2 < to && buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

/** Splits header text (without the body) into the start line and unfolded, trimmed header fields. */
export function readHeaderSection(text: string): HeaderSection {
  const lines = text.split('\n');
  const section: HeaderSection = { startLine: '', fields: [] };
  let last: [string, string] | undefined;
  for (let k = 0; k < lines.length; k++) {
    let line = lines[k];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.includes('\r')) {
      section.problem ??= 'bare CR inside a line';
      continue;
    }
    if (k === 0) {
      section.startLine = line;
      continue;
    }
    if (line === '') continue;
    if (isWsp(line.charCodeAt(0))) {
      if (last === undefined) section.problem ??= 'continuation line without a header field';
      else last[1] += ` ${trimWsp(line)}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : trimWsp(line.slice(0, colon));
    if (!isToken(name)) {
      section.problem ??= colon < 0 ? 'header line without ":"' : `bad header name ${JSON.stringify(name)}`;
      last = undefined;
      continue;
    }
    last = [name, line.slice(colon + 1)];
    section.fields.push(last);
  }
  for (const field of section.fields) field[1] = trimWsp(field[1]);
  return section;
}

/** Content-Length = 1*DIGIT (RFC 3261 §20.14); undefined when malformed or beyond any sane size. */
export function parseContentLength(value: string): number | undefined {
  if (value.length === 0 || value.length > 10) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(value);
}
