/** Building blocks for the RFC 4475 corpus: the RFC writes non-ASCII octets as <hex> and long runs as <repeat>. */
export type Part = string | Buffer;

export function hex(h: string): Buffer {
  return Buffer.from(h.replace(/\s+/g, ''), 'hex');
}

function bytes(p: Part): Buffer {
  return typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
}

/** Header lines each ended by CRLF, the empty line, then the body. A line may mix text and <hex> octets. */
export function msg(head: Array<Part | Part[]>, ...body: Part[]): Buffer {
  const out: Buffer[] = [];
  for (const line of head) {
    for (const p of Array.isArray(line) ? line : [line]) out.push(bytes(p));
    out.push(Buffer.from('\r\n'));
  }
  out.push(Buffer.from('\r\n'));
  for (const p of body) out.push(bytes(p));
  return Buffer.concat(out);
}

/** The SDP body most RFC 4475 messages carry (CRLF after every line). */
export function sdp(origin: string, conn = origin, time = '0 0'): string {
  return [
    'v=0', `o=mhandley 29739 7272939 IN IP4 ${origin}`, 's=-', `c=IN IP4 ${conn}`, `t=${time}`,
    'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', '',
  ].join('\r\n');
}

export const r = (s: string, n: number): string => s.repeat(n);
