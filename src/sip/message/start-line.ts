/**
 * Request-Line = Method SP Request-URI SP SIP-Version; Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
 * (RFC 3261 §7.1, §7.2). Runs of SP between request-line elements and trailing SP are tolerated, as RFC 4475
 * §3.1.2.9 and §3.1.2.10 allow; a request forwarded or answered is always written with single SPs.
 */
import { SipParseError } from './sip-parse-error.js';
import { isAbsoluteUri, parseUri, uriScheme } from './parse-uri.js';
import { isDigit, isToken } from './sip-chars.js';

export type StartLine =
  | { kind: 'request'; method: string; uri: string }
  | { kind: 'response'; status: number; reason: string };

export interface StartLineResult {
  /** What could be told about the start line, even when it is faulty. */
  line?: Partial<StartLine> & { kind: 'request' | 'response' };
  problem?: SipParseError;
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, case-insensitive (RFC 3261 §7.1, §25.1). */
function versionShape(v: string): 'sip2' | 'other' | 'bad' {
  if (v.length < 7 || v.slice(0, 4).toUpperCase() !== 'SIP/') return 'bad';
  const dot = v.indexOf('.', 4);
  if (dot < 5 || dot === v.length - 1) return 'bad';
  for (let i = 4; i < v.length; i++) if (i !== dot && !isDigit(v.charCodeAt(i))) return 'bad';
  return v.slice(4) === '2.0' ? 'sip2' : 'other';
}

function versionProblem(v: string): SipParseError | undefined {
  const shape = versionShape(v);
  if (shape === 'bad') return new SipParseError(`bad SIP-Version "${v}"`);
  if (shape === 'other') return new SipParseError(`SIP-Version "${v}" not supported`, { versionNotSupported: true });
  return undefined;
}

/** RFC 3261 §19.1.1: a Request-URI has no headers; other schemes are checked for well-formedness only. */
function requestUriProblem(uri: string): SipParseError | undefined {
  if (!isAbsoluteUri(uri)) return new SipParseError('malformed Request-URI');
  const scheme = uriScheme(uri);
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return undefined;
  try {
    if (parseUri(uri).headers.size > 0) return new SipParseError('headers in the Request-URI');
  } catch (err) {
    if (err instanceof SipParseError) return new SipParseError(`bad Request-URI: ${err.message}`);
    throw err;
  }
  return undefined;
}

function parseStatusLine(line: string, sp: number): StartLineResult {
  const problem = versionProblem(line.slice(0, sp));
  const code = line.slice(sp + 1, sp + 4);
  const after = line.charCodeAt(sp + 4);
  let okCode = code.length === 3 && (Number.isNaN(after) || after === 0x20);
  for (let i = 0; i < code.length; i++) if (!isDigit(code.charCodeAt(i))) okCode = false;
  const status = Number(code);
  if (!okCode || status < 100 || status > 699) {
    return { line: { kind: 'response' }, problem: problem ?? new SipParseError('bad Status-Code') };
  }
  return { line: { kind: 'response', status, reason: line.slice(sp + 5) }, problem };
}

export function parseStartLine(line: string): StartLineResult {
  const sp = line.indexOf(' ');
  if (sp > 0 && line.slice(0, 4).toUpperCase() === 'SIP/') return parseStatusLine(line, sp);
  if (sp <= 0) return { problem: new SipParseError('malformed start line') };
  const parts = line.split(' ').filter((p) => p !== '');
  const method = parts[0];
  if (!isToken(method)) return { problem: new SipParseError('malformed Request-Line method') };
  const version = parts[parts.length - 1];
  if (parts.length !== 3) {
    const looksLikeRequest = versionShape(version) !== 'bad';
    return {
      line: looksLikeRequest ? { kind: 'request', method } : undefined,
      problem: new SipParseError('Request-Line does not have three elements'),
    };
  }
  const uri = parts[1];
  return { line: { kind: 'request', method, uri }, problem: versionProblem(version) ?? requestUriProblem(uri) };
}
