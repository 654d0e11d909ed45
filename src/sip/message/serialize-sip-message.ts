import type { SipMessage } from './types.js';
import { headerKey } from './headers.js';
import { isToken } from './sip-chars.js';

function checkLine(text: string, what: string): void {
  if (text.includes('\r') || text.includes('\n')) throw new TypeError(`${what} contains CR or LF`);
}

/**
 * Writes a message with CRLF line endings and the header names as stored (canonical long forms for known
 * headers). Content-Length is always written, computed from the body (RFC 3261 §18.3 makes it mandatory on
 * streams), in place of a stored Content-Length or last. Values holding CR or LF are refused: they would let a
 * value inject header lines.
 */
export function serializeSipMessage(msg: SipMessage): Buffer {
  let head: string;
  if (msg.kind === 'request') {
    checkLine(msg.method + msg.uri, 'Request-Line');
    head = `${msg.method} ${msg.uri} SIP/2.0\r\n`;
  } else {
    checkLine(msg.reason, 'Reason-Phrase');
    head = `SIP/2.0 ${msg.status} ${msg.reason}\r\n`;
  }
  const contentLength = `Content-Length: ${msg.body.length}\r\n`;
  let wroteLength = false;
  for (const field of msg.headers.entries()) {
    if (headerKey(field.name) === 'content-length') {
      if (!wroteLength) head += contentLength;
      wroteLength = true;
      continue;
    }
    if (!isToken(field.name)) throw new TypeError(`bad header name ${JSON.stringify(field.name)}`);
    checkLine(field.value, `header ${field.name}`);
    head += field.value === '' ? `${field.name}:\r\n` : `${field.name}: ${field.value}\r\n`;
  }
  if (!wroteLength) head += contentLength;
  head += '\r\n';
  return Buffer.concat([Buffer.from(head, 'utf8'), msg.body]);
}
