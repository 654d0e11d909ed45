/**
 * Parsing one whole SIP message (RFC 3261 §7) held in one buffer: a datagram, or a message cut out of a stream by
 * SipStreamFramer. The message is checked as far as a UAS needs before processing it (§8.2, §18.3); whatever could
 * be read of a faulty one travels on the SipParseError so that a 400 or 505 can still be sent.
 */
import { SipHeaders } from './headers.js';
import type { SipMessage } from './types.js';
import { SipParseError, type SipParsePartial } from './sip-parse-error.js';
import { findBodyStart, parseContentLength, readHeaderSection, skipLineEnds } from './header-section.js';
import { parseStartLine, type StartLineResult } from './start-line.js';
import { parseCSeq } from './parse-cseq.js';
import { parseNameAddrList } from './parse-name-addr.js';
import { parseVia } from './parse-via.js';
import { isWsp } from './sip-chars.js';

/** Default upper bound on a message: the largest UDP payload, and a sane cap for one message on a stream. */
export const DEFAULT_MAX_MESSAGE_BYTES = 65535;

export interface ParseSipMessageOptions {
  /** Larger messages throw SipParseError with code SWB_ERR_SIP_TOO_LARGE. */
  maxBytes?: number;
}

const REQUIRED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;
/** Header fields that may appear once only (RFC 3261 §7.3.1 and RFC 4475 §3.3.8). */
const SINGLE = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards'] as const;

interface Head {
  start: StartLineResult;
  headers: SipHeaders;
  sectionProblem?: string;
}

function readHead(data: Buffer, from: number, to: number): Head {
  const section = readHeaderSection(data.toString('utf8', from, to));
  const headers = new SipHeaders(section.fields);
  return { start: parseStartLine(section.startLine), headers, sectionProblem: section.problem };
}

function partialOf(head: Head): SipParsePartial {
  const line = head.start.line;
  const partial: { -readonly [K in keyof SipParsePartial]: SipParsePartial[K] } = { headers: head.headers };
  if (line === undefined) return partial;
  partial.kind = line.kind;
  if ('method' in line && line.method !== undefined) partial.method = line.method;
  if ('uri' in line && line.uri !== undefined) partial.uri = line.uri;
  if ('status' in line && line.status !== undefined) partial.status = line.status;
  return partial;
}

/** The checks that make a message processable: required, single and well-formed core header fields. */
function headerProblem(head: Head): SipParseError | undefined {
  const h = head.headers;
  for (const name of REQUIRED) if (!h.has(name)) return new SipParseError(`missing ${name} header field`);
  for (const name of SINGLE) if (h.getAll(name).length > 1) return new SipParseError(`more than one ${name}`);
  try {
    for (const v of h.getAll('Via')) parseVia(v);
    for (const name of ['From', 'To']) {
      if (parseNameAddrList(h.get(name) ?? '').length !== 1) throw new SipParseError('more than one address');
    }
    const cseq = parseCSeq(h.get('CSeq') ?? '');
    const line = head.start.line;
    if (line?.kind === 'request' && 'method' in line && cseq.method !== line.method) {
      return new SipParseError(`CSeq method ${cseq.method} does not match ${line.method} (RFC 3261 §8.1.1.5)`);
    }
  } catch (err) {
    if (err instanceof SipParseError) return err;
    throw err;
  }
  const maxForwards = h.get('Max-Forwards');
  // RFC 3261 §20.22 / §25.1: Max-Forwards = 1*DIGIT (leading zeros allowed, RFC 4475 wsinv has "0068");
  // anything else makes loop protection meaningless.
  if (maxForwards !== undefined && !/^[ \t]*\d{1,10}[ \t]*$/.test(maxForwards)) {
    return new SipParseError(`bad Max-Forwards "${maxForwards.slice(0, 20)}"`);
  }
  const callId = h.get('Call-ID') ?? '';
  for (let i = 0; i < callId.length; i++) {
    if (isWsp(callId.charCodeAt(i))) return new SipParseError('whitespace in Call-ID');
  }
  return callId === '' ? new SipParseError('empty Call-ID') : undefined;
}

function fail(problem: SipParseError | string, head: Head): never {
  const err = typeof problem === 'string' ? new SipParseError(problem) : problem;
  throw err.withPartial(partialOf(head));
}

export function parseSipMessage(data: Buffer, options: ParseSipMessageOptions = {}): SipMessage {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (data.length > maxBytes) {
    const start = skipLineEnds(data, 0, maxBytes);
    const end = findBodyStart(data, start, maxBytes);
    const head = readHead(data, start, end < 0 ? maxBytes : end);
    fail(new SipParseError(`message of ${data.length} bytes exceeds ${maxBytes}`, { tooLarge: true }), head);
  }
  const from = skipLineEnds(data, 0, data.length);
  if (from === data.length) throw new SipParseError('empty message');
  const bodyStart = findBodyStart(data, from, data.length);
  const head = readHead(data, from, bodyStart < 0 ? data.length : bodyStart);
  const { line, problem } = head.start;
  if (problem) fail(problem, head);
  if (line === undefined) fail('malformed start line', head);
  if (head.sectionProblem) fail(head.sectionProblem, head);
  if (bodyStart < 0) fail('header section not ended by an empty line', head);
  const headerFault = headerProblem(head);
  if (headerFault) fail(headerFault, head);

  const lengths = head.headers.getAll('Content-Length');
  if (lengths.length > 1) fail('more than one Content-Length (RFC 4475 §3.3.9)', head);
  let bodyEnd = data.length;
  if (lengths.length === 1) {
    const length = parseContentLength(lengths[0]);
    if (length === undefined) fail(`bad Content-Length "${lengths[0]}"`, head);
    // RFC 3261 §18.3: octets past Content-Length in a datagram are discarded; fewer octets are an error.
    if (length > data.length - bodyStart) fail('body shorter than Content-Length', head);
    bodyEnd = bodyStart + length;
  }
  const body = Buffer.from(data.subarray(bodyStart, bodyEnd));
  if (line.kind === 'request') {
    return { kind: 'request', method: line.method ?? '', uri: line.uri ?? '', headers: head.headers, body };
  }
  return { kind: 'response', status: line.status ?? 0, reason: line.reason ?? '', headers: head.headers, body };
}
