import { decodeG711, type G711Law } from '../../../src/media/codec/index.js';
import type { UdpDatagram } from './pcap-reader.js';
import { DTMF_EVENT_CODES, SAMPLE_RATE } from './rtp-stream-builder.js';

/** Turns captured RTP back into audio placed on the capture's time line, plus the RFC 4733 digits it carried. */

export interface RtpPacketView {
  marker: boolean;
  payloadType: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

const EVENT_NAMES = Object.fromEntries(Object.entries(DTMF_EVENT_CODES).map(([k, v]) => [v, k])) as Record<number, string>;

/** RFC 3550 §5.1 header with CSRCs, extension (§5.3.1) and padding skipped; undefined if not RTP version 2. */
export function parseRtp(p: Buffer): RtpPacketView | undefined {
  if (p.length < 12 || p[0] >> 6 !== 2) return undefined;
  const pt = p[1] & 0x7f;
  // RFC 5761 §4: payload types 64-95 on a shared port are RTCP, not RTP.
  if (pt >= 64 && pt <= 95) return undefined;
  let headerLength = 12 + 4 * (p[0] & 0x0f);
  if (p[0] & 0x10) {
    if (p.length < headerLength + 4) return undefined;
    headerLength += 4 + 4 * p.readUInt16BE(headerLength + 2);
  }
  let end = p.length;
  if (p[0] & 0x20 && end > headerLength) end -= p[end - 1];
  if (end < headerLength) return undefined;
  return {
    marker: (p[1] & 0x80) !== 0,
    payloadType: pt,
    seq: p.readUInt16BE(2),
    timestamp: p.readUInt32BE(4),
    ssrc: p.readUInt32BE(8),
    payload: p.subarray(headerLength, end),
  };
}

export interface RtpSelector {
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
}

export interface DecodeRtpOptions extends RtpSelector {
  dtmfPayloadType?: number;
  /** Audio payload types to decode; default the static G.711 ones. */
  audioPayloadTypes?: Readonly<Record<number, G711Law>>;
  /** Time zero of the result in seconds since the epoch; default the first selected packet. */
  originSec?: number;
}

export interface DecodedDigit {
  digit: string;
  /** Arrival of the event's first packet, seconds after the origin. */
  atSec: number;
}

export interface DecodedRtp {
  sampleRate: 8000;
  /** 8 kHz audio, each packet placed at its arrival time after the origin; silence where nothing arrived. */
  samples: Int16Array;
  originSec: number;
  packets: number;
  audioPackets: number;
  /** Arrival time of every selected packet, seconds after the origin. */
  arrivalsSec: number[];
  ssrcs: number[];
  digits: DecodedDigit[];
}

export function selectDatagrams(datagrams: readonly UdpDatagram[], s: RtpSelector): UdpDatagram[] {
  return datagrams.filter((d) =>
    (s.srcIp === undefined || d.srcIp === s.srcIp) && (s.srcPort === undefined || d.srcPort === s.srcPort)
    && (s.dstIp === undefined || d.dstIp === s.dstIp) && (s.dstPort === undefined || d.dstPort === s.dstPort));
}

export function decodeRtp(datagrams: readonly UdpDatagram[], options: DecodeRtpOptions = {}): DecodedRtp {
  const dtmfPt = options.dtmfPayloadType ?? 101;
  const audioTypes = options.audioPayloadTypes ?? { 0: 'pcmu', 8: 'pcma' };
  const selected: { d: UdpDatagram; rtp: RtpPacketView }[] = [];
  for (const d of selectDatagrams(datagrams, options)) {
    const rtp = parseRtp(d.payload);
    if (rtp) selected.push({ d, rtp });
  }
  selected.sort((a, b) => a.d.timeSec - b.d.timeSec);
  const originSec = options.originSec ?? (selected.length > 0 ? selected[0].d.timeSec : 0);
  const lastSec = selected.length > 0 ? selected[selected.length - 1].d.timeSec : originSec;
  const samples = new Int16Array(Math.max(0, Math.ceil((lastSec - originSec + 0.1) * SAMPLE_RATE)));
  const ssrcs = new Set<number>();
  const digits: DecodedDigit[] = [];
  const seenEvents = new Set<string>();
  const arrivalsSec: number[] = [];
  let audioPackets = 0;
  for (const { d, rtp } of selected) {
    const at = d.timeSec - originSec;
    arrivalsSec.push(at);
    ssrcs.add(rtp.ssrc);
    if (rtp.payloadType === dtmfPt && rtp.payload.length >= 4) {
      // RFC 4733 §2.5.1.2: all packets of one event share its start timestamp.
      const key = `${rtp.ssrc}/${rtp.timestamp}`;
      if (!seenEvents.has(key)) {
        seenEvents.add(key);
        digits.push({ digit: EVENT_NAMES[rtp.payload[0]] ?? String(rtp.payload[0]), atSec: at });
      }
      continue;
    }
    const law = audioTypes[rtp.payloadType];
    if (!law || at < 0) continue;
    audioPackets++;
    const pos = Math.round(at * SAMPLE_RATE);
    const pcm = decodeG711(law, rtp.payload);
    samples.set(pcm.subarray(0, Math.max(0, Math.min(pcm.length, samples.length - pos))), pos);
  }
  return { sampleRate: SAMPLE_RATE, samples, originSec, packets: selected.length, audioPackets, arrivalsSec, ssrcs: [...ssrcs], digits };
}
