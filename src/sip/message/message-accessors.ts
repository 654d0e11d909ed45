/**
 * Typed access to the core header fields of a message. Each parses on demand; on a message returned by
 * parseSipMessage these fields were already checked, so only hand-built messages can make them throw.
 */
import type { CSeq, SipMessage, Via } from './types.js';
import { parseCSeq } from './parse-cseq.js';
import { parseNameAddr } from './parse-name-addr.js';
import { parseVia } from './parse-via.js';

/** Every via-parm of every Via field, topmost first (RFC 3261 §7.3.1: several fields equal one comma list). */
export function getVias(msg: SipMessage): Via[] {
  return msg.headers.getAll('Via').flatMap((v) => parseVia(v));
}

export function getTopVia(msg: SipMessage): Via | undefined {
  const first = msg.headers.get('Via');
  return first === undefined ? undefined : parseVia(first)[0];
}

export function getCSeq(msg: SipMessage): CSeq | undefined {
  const value = msg.headers.get('CSeq');
  return value === undefined ? undefined : parseCSeq(value);
}

export function getCallId(msg: SipMessage): string | undefined {
  return msg.headers.get('Call-ID');
}

function tagOf(msg: SipMessage, name: 'From' | 'To'): string | undefined {
  const value = msg.headers.get(name);
  if (value === undefined) return undefined;
  return parseNameAddr(value).params.get('tag');
}

export function getFromTag(msg: SipMessage): string | undefined {
  return tagOf(msg, 'From');
}

export function getToTag(msg: SipMessage): string | undefined {
  return tagOf(msg, 'To');
}
