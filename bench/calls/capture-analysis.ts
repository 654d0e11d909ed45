/**
 * What the bench reads from its captures: INVITE→200 per call (sip.pcap, as analyze.py does), and from the RTP of
 * the captured calls the delay from the caller's DTMF to the first packet of prompt 2 and the spacing of the
 * server's packets.
 */
import type { UdpDatagram } from '../../test/support/pcap/index.js';

/** First INVITE → first 200 for CSeq INVITE, per Call-ID, in ms (analyze.py `sip_times`). */
export function inviteTo200Ms(datagrams: readonly UdpDatagram[]): number[] {
  const invite = new Map<string, number>();
  const ok = new Map<string, number>();
  for (const d of datagrams) {
    const text = d.payload.toString('latin1');
    const lines = text.split('\r\n');
    let callId: string | undefined;
    let cseq: string | undefined;
    for (const line of lines) {
      const l = line.toLowerCase();
      // RFC 3261 §7.3.3: `i` is the compact form of Call-ID.
      if (l.startsWith('call-id:') || l.startsWith('i:')) callId = line.slice(line.indexOf(':') + 1).trim();
      else if (l.startsWith('cseq:')) cseq = line.slice(line.indexOf(':') + 1).trim();
    }
    if (!callId || !cseq || !cseq.endsWith('INVITE')) continue;
    if (lines[0].startsWith('INVITE ')) {
      if (!invite.has(callId)) invite.set(callId, d.timeSec);
    } else if (lines[0].startsWith('SIP/2.0 200') && !ok.has(callId)) {
      ok.set(callId, d.timeSec);
    }
  }
  const out: number[] = [];
  for (const [callId, t] of ok) {
    const t0 = invite.get(callId);
    if (t0 !== undefined) out.push((t - t0) * 1000);
  }
  return out;
}

/** RFC 3550 §5.1 fixed header plus CSRCs and the §5.3.1 extension; undefined when not RTP version 2. */
function rtpHeader(b: Buffer): { payloadType: number; timestamp: number; ssrc: number; payloadOffset: number } | undefined {
  if (b.length < 12 || b[0] >> 6 !== 2) return undefined;
  let offset = 12 + 4 * (b[0] & 0x0f);
  if (b[0] & 0x10) {
    if (b.length < offset + 4) return undefined;
    offset += 4 + 4 * b.readUInt16BE(offset + 2);
  }
  if (offset > b.length) return undefined;
  return { payloadType: b[1] & 0x7f, timestamp: b.readUInt32BE(4), ssrc: b.readUInt32BE(8), payloadOffset: offset };
}

export interface RtpAnalysisOptions {
  /** The first 160-byte frame of prompt 2, as the server sends it. */
  prompt2Frame0: Buffer;
  /** The server's RTP port range, to tell its packets from the caller's. */
  serverPortMin: number;
  serverPortMax: number;
  /** Packet interval the server should keep. */
  ptimeMs?: number;
  /** A prompt-2 packet later than this after the digit is not counted as its answer. */
  maxAnswerMs?: number;
}

export interface RtpAnalysis {
  /** Per digit: its first end packet (the one Rfc4733Receiver acts on) → first server packet carrying frame 0 of prompt 2. */
  dtmfEndToPromptMs: number[];
  /** Per digit: its first packet (key down) → the same prompt-2 packet. */
  dtmfStartToPromptMs: number[];
  digits: number;
  /** Digits with no prompt-2 packet within maxAnswerMs. */
  unanswered: number;
  /** |Δt − ptime| between consecutive server packets of each stream. */
  jitterMs: number[];
  serverStreams: number;
  serverPackets: number;
}

interface DigitEvent {
  startSec: number;
  endSec: number | undefined;
}

/**
 * Streams are keyed by ports (server port ↔ SIPp media port) and, for the server's, by SSRC too: SIPp reuses a
 * media port every 2500 calls and the server reuses its ports after release, but never with the same SSRC.
 */
export function analyzeRtp(datagrams: readonly UdpDatagram[], options: RtpAnalysisOptions): RtpAnalysis {
  const ptimeMs = options.ptimeMs ?? 20;
  const maxAnswerSec = (options.maxAnswerMs ?? 2000) / 1000;
  const frame0 = options.prompt2Frame0;
  const isServerPort = (p: number): boolean => p >= options.serverPortMin && p <= options.serverPortMax;
  const digits = new Map<string, Map<number, DigitEvent>>();
  const promptStarts = new Map<string, number[]>();
  const lastSent = new Map<string, number>();
  const jitterMs: number[] = [];
  let serverPackets = 0;

  for (const d of datagrams) {
    const h = rtpHeader(d.payload);
    if (!h) continue;
    if (isServerPort(d.dstPort) && d.payload.length - h.payloadOffset === 4) {
      // RFC 4733 §2.3: event (8 bits), E bit, R, volume (6 bits), duration (16 bits); all packets of one event
      // share the event's RTP timestamp.
      const end = (d.payload[h.payloadOffset + 1] & 0x80) !== 0;
      const key = `${d.srcPort}>${d.dstPort}`;
      let events = digits.get(key);
      if (!events) digits.set(key, (events = new Map()));
      let ev = events.get(h.timestamp);
      if (!ev) events.set(h.timestamp, (ev = { startSec: d.timeSec, endSec: undefined }));
      if (end && ev.endSec === undefined) ev.endSec = d.timeSec;
    } else if (isServerPort(d.srcPort)) {
      serverPackets++;
      const stream = `${d.srcPort}/${h.ssrc}`;
      const prev = lastSent.get(stream);
      if (prev !== undefined) jitterMs.push(Math.abs((d.timeSec - prev) * 1000 - ptimeMs));
      lastSent.set(stream, d.timeSec);
      const payload = d.payload.subarray(h.payloadOffset);
      if (payload.equals(frame0)) {
        const key = `${d.dstPort}>${d.srcPort}`;
        let starts = promptStarts.get(key);
        if (!starts) promptStarts.set(key, (starts = []));
        starts.push(d.timeSec);
      }
    }
  }

  const dtmfEndToPromptMs: number[] = [];
  const dtmfStartToPromptMs: number[] = [];
  let count = 0;
  let unanswered = 0;
  for (const [key, events] of digits) {
    const starts = promptStarts.get(key) ?? [];
    for (const ev of events.values()) {
      count++;
      const from = ev.endSec ?? ev.startSec;
      const answer = starts.find((t) => t >= from && t - from <= maxAnswerSec);
      if (answer === undefined) {
        unanswered++;
        continue;
      }
      if (ev.endSec !== undefined) dtmfEndToPromptMs.push((answer - ev.endSec) * 1000);
      dtmfStartToPromptMs.push((answer - ev.startSec) * 1000);
    }
  }
  return { dtmfEndToPromptMs, dtmfStartToPromptMs, digits: count, unanswered, jitterMs, serverStreams: lastSent.size, serverPackets };
}
