import type { UdpDatagram } from './pcap-reader.js';

/** The SIP messages of a UDP capture as a ladder (time, direction, start line, CSeq), for timing media against them. */

export interface SipLadderEntry {
  timeSec: number;
  srcPort: number;
  dstPort: number;
  /** Request method, or undefined for a response. */
  method?: string;
  /** Response status, or undefined for a request. */
  status?: number;
  /** CSeq header value, e.g. "2 INVITE". */
  cseq: string;
  startLine: string;
}

export function sipLadder(datagrams: readonly UdpDatagram[], sipPort: number): SipLadderEntry[] {
  const out: SipLadderEntry[] = [];
  for (const d of datagrams) {
    if (d.srcPort !== sipPort && d.dstPort !== sipPort) continue;
    const text = d.payload.toString('latin1');
    const startLine = text.slice(0, text.indexOf('\r\n') >= 0 ? text.indexOf('\r\n') : text.length);
    const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
    const request = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(startLine);
    if (!response && !request) continue;
    // RFC 3261 §7.3.3: "CSeq" has no compact form; header names are case-insensitive.
    const cseq = (/^cseq[ \t]*:[ \t]*([^\r\n]*)/im.exec(text)?.[1] ?? '').trim().replace(/\s+/g, ' ');
    out.push({
      timeSec: d.timeSec,
      srcPort: d.srcPort,
      dstPort: d.dstPort,
      method: request?.[1],
      status: response ? Number(response[1]) : undefined,
      cseq,
      startLine,
    });
  }
  return out.sort((a, b) => a.timeSec - b.timeSec);
}
