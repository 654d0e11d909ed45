/**
 * RTCP packet codec (RFC 3550 §6.4–§6.6): SR, RR, SDES and BYE, and compound packets (§6.1). Other packet types
 * (APP, XR, feedback) are kept as opaque bodies so a compound packet still round-trips.
 *
 * Common header of every RTCP packet (length = 32-bit words minus one):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   RC/SC |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * SR (PT=200, §6.4.1): SSRC | NTP timestamp (2 words) | RTP timestamp | packet count | octet count | blocks
 * RR (PT=201, §6.4.2): SSRC | blocks
 * report block (§6.4.1), 6 words:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 SSRC_n (source this block is about)           |
 * | fraction lost |       cumulative number of packets lost       |
 * |           extended highest sequence number received           |
 * |                      interarrival jitter                      |
 * |                         last SR (LSR)                         |
 * |                   delay since last SR (DLSR)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * SDES (PT=202, §6.5): per chunk SSRC, items (type, length, text), a null octet, zero-padded to a word.
 * BYE (PT=203, §6.6): SSRC list, optional reason (length, text), zero-padded to a word.
 */
import { SwitchboardError } from '../../common/index.js';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const SDES_CNAME = 1;

export type RtcpParseFailure =
  | 'header-too-short'
  | 'bad-version'
  | 'length-past-end'
  | 'count-past-end'
  | 'sdes-item-past-end'
  | 'bye-reason-past-end'
  | 'padding-too-large';

export class RtcpParseError extends SwitchboardError {
  constructor(readonly reason: RtcpParseFailure) {
    super('SWB_ERR_RTP_PARSE', `malformed RTCP packet: ${reason}`);
    this.name = 'RtcpParseError';
  }
}

export interface RtcpReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, in 1/256 (§6.4.1). */
  fractionLost: number;
  /** Signed 24-bit: duplicates can make it negative (§6.4.1). */
  cumulativeLost: number;
  highestSeq: number;
  /** In timestamp units. */
  jitter: number;
  lastSr: number;
  /** In 1/65536 s. */
  delaySinceLastSr: number;
}

export interface RtcpSenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
}

export interface RtcpReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
}

export interface RtcpSdesChunk {
  ssrc: number;
  items: Array<{ type: number; text: string }>;
}

export interface RtcpSourceDescription {
  type: 'sdes';
  chunks: RtcpSdesChunk[];
}

export interface RtcpBye {
  type: 'bye';
  ssrcs: number[];
  reason?: string;
}

export interface RtcpOther {
  type: 'other';
  packetType: number;
  count: number;
  body: Buffer;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpBye | RtcpOther;

const REPORT_BLOCK_BYTES = 24;

/** NTP time (RFC 3550 §4: seconds since 1900 and a 32-bit fraction) of a Unix-epoch millisecond time. */
export function wallMsToNtp(wallMs: number): { seconds: number; fraction: number } {
  const seconds = Math.floor(wallMs / 1000) + 2_208_988_800;
  const fraction = Math.floor(((wallMs % 1000) / 1000) * 0x100000000) >>> 0;
  return { seconds: seconds >>> 0, fraction };
}

/** The middle 32 bits of an NTP timestamp, the unit of LSR (§6.4.1). */
export function ntpMiddle32(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

function parseReportBlocks(buf: Buffer, offset: number, count: number, end: number): RtcpReportBlock[] {
  if (offset + count * REPORT_BLOCK_BYTES > end) throw new RtcpParseError('count-past-end');
  const reports: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++, offset += REPORT_BLOCK_BYTES) {
    const lostWord = buf.readUInt32BE(offset + 4);
    reports.push({
      ssrc: buf.readUInt32BE(offset),
      fractionLost: lostWord >>> 24,
      cumulativeLost: (lostWord << 8) >> 8,
      highestSeq: buf.readUInt32BE(offset + 8),
      jitter: buf.readUInt32BE(offset + 12),
      lastSr: buf.readUInt32BE(offset + 16),
      delaySinceLastSr: buf.readUInt32BE(offset + 20),
    });
  }
  return reports;
}

function parseSdes(buf: Buffer, offset: number, count: number, end: number): RtcpSourceDescription {
  const chunks: RtcpSdesChunk[] = [];
  for (let c = 0; c < count; c++) {
    if (offset + 4 > end) throw new RtcpParseError('count-past-end');
    const chunk: RtcpSdesChunk = { ssrc: buf.readUInt32BE(offset), items: [] };
    offset += 4;
    for (;;) {
      if (offset >= end) throw new RtcpParseError('sdes-item-past-end');
      const type = buf[offset];
      if (type === 0) break;
      if (offset + 2 > end || offset + 2 + buf[offset + 1] > end) throw new RtcpParseError('sdes-item-past-end');
      const length = buf[offset + 1];
      chunk.items.push({ type, text: buf.toString('utf8', offset + 2, offset + 2 + length) });
      offset += 2 + length;
    }
    // §6.5: the item list ends with null octets up to the next 32-bit boundary (at least one).
    offset = (offset + 4) & ~3;
    chunks.push(chunk);
  }
  return { type: 'sdes', chunks };
}

function parseBye(buf: Buffer, offset: number, count: number, end: number): RtcpBye {
  if (offset + count * 4 > end) throw new RtcpParseError('count-past-end');
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++, offset += 4) ssrcs.push(buf.readUInt32BE(offset));
  if (offset < end) {
    const length = buf[offset];
    if (offset + 1 + length > end) throw new RtcpParseError('bye-reason-past-end');
    if (length > 0) return { type: 'bye', ssrcs, reason: buf.toString('utf8', offset + 1, offset + 1 + length) };
  }
  return { type: 'bye', ssrcs };
}

/** Parses a compound RTCP packet (or a single one); throws {@link RtcpParseError}. */
export function parseRtcpCompound(buf: Buffer, length: number = buf.length): RtcpPacket[] {
  const packets: RtcpPacket[] = [];
  let offset = 0;
  if (length < 4) throw new RtcpParseError('header-too-short');
  while (offset < length) {
    if (offset + 4 > length) throw new RtcpParseError('header-too-short');
    const b0 = buf[offset];
    if (b0 >> 6 !== 2) throw new RtcpParseError('bad-version');
    const count = b0 & 0x1f;
    const packetType = buf[offset + 1];
    const packetEnd = offset + (buf.readUInt16BE(offset + 2) + 1) * 4;
    if (packetEnd > length) throw new RtcpParseError('length-past-end');
    let end = packetEnd;
    if (b0 & 0x20) {
      const padding = buf[packetEnd - 1];
      if (padding === 0 || padding > packetEnd - offset - 4) throw new RtcpParseError('padding-too-large');
      end -= padding;
    }
    const body = offset + 4;
    switch (packetType) {
      case RTCP_SR: {
        if (body + 24 > end) throw new RtcpParseError('count-past-end');
        packets.push({
          type: 'sr',
          ssrc: buf.readUInt32BE(body),
          ntpSeconds: buf.readUInt32BE(body + 4),
          ntpFraction: buf.readUInt32BE(body + 8),
          rtpTimestamp: buf.readUInt32BE(body + 12),
          packetCount: buf.readUInt32BE(body + 16),
          octetCount: buf.readUInt32BE(body + 20),
          reports: parseReportBlocks(buf, body + 24, count, end),
        });
        break;
      }
      case RTCP_RR: {
        if (body + 4 > end) throw new RtcpParseError('count-past-end');
        packets.push({ type: 'rr', ssrc: buf.readUInt32BE(body), reports: parseReportBlocks(buf, body + 4, count, end) });
        break;
      }
      case RTCP_SDES:
        packets.push(parseSdes(buf, body, count, end));
        break;
      case RTCP_BYE:
        packets.push(parseBye(buf, body, count, end));
        break;
      default:
        packets.push({ type: 'other', packetType, count, body: Buffer.from(buf.subarray(body, end)) });
    }
    offset = packetEnd;
  }
  return packets;
}

/** Bytes `packet` takes on the wire. */
export function rtcpPacketBytes(packet: RtcpPacket): number {
  switch (packet.type) {
    case 'sr': return 28 + packet.reports.length * REPORT_BLOCK_BYTES;
    case 'rr': return 8 + packet.reports.length * REPORT_BLOCK_BYTES;
    case 'sdes': {
      let n = 4;
      for (const chunk of packet.chunks) {
        let items = 0;
        for (const item of chunk.items) items += 2 + Buffer.byteLength(item.text, 'utf8');
        n += 4 + ((items + 4) & ~3);
      }
      return n;
    }
    case 'bye': {
      const reason = packet.reason === undefined ? 0 : 1 + Buffer.byteLength(packet.reason, 'utf8');
      return 4 + packet.ssrcs.length * 4 + ((reason + 3) & ~3);
    }
    case 'other': return 4 + ((packet.body.length + 3) & ~3);
  }
}

function writeHeader(buf: Buffer, offset: number, count: number, packetType: number, bytes: number): void {
  if (count > 31) throw new RangeError('at most 31 report blocks, chunks or sources fit one RTCP packet');
  buf[offset] = 0x80 | count;
  buf[offset + 1] = packetType;
  buf.writeUInt16BE(bytes / 4 - 1, offset + 2);
}

function writeReportBlocks(buf: Buffer, offset: number, reports: readonly RtcpReportBlock[]): number {
  for (const r of reports) {
    buf.writeUInt32BE(r.ssrc >>> 0, offset);
    buf.writeUInt32BE((((r.fractionLost & 0xff) << 24) | (r.cumulativeLost & 0xffffff)) >>> 0, offset + 4);
    buf.writeUInt32BE(r.highestSeq >>> 0, offset + 8);
    buf.writeUInt32BE(r.jitter >>> 0, offset + 12);
    buf.writeUInt32BE(r.lastSr >>> 0, offset + 16);
    buf.writeUInt32BE(r.delaySinceLastSr >>> 0, offset + 20);
    offset += REPORT_BLOCK_BYTES;
  }
  return offset;
}

/** Writes one packet at `offset` (the caller sized `buf` with rtcpPacketBytes); returns the offset after it. */
export function writeRtcpPacket(buf: Buffer, offset: number, packet: RtcpPacket): number {
  const bytes = rtcpPacketBytes(packet);
  if (offset + bytes > buf.length) throw new RangeError('RTCP packet does not fit the buffer');
  buf.fill(0, offset, offset + bytes);
  switch (packet.type) {
    case 'sr':
      writeHeader(buf, offset, packet.reports.length, RTCP_SR, bytes);
      buf.writeUInt32BE(packet.ssrc >>> 0, offset + 4);
      buf.writeUInt32BE(packet.ntpSeconds >>> 0, offset + 8);
      buf.writeUInt32BE(packet.ntpFraction >>> 0, offset + 12);
      buf.writeUInt32BE(packet.rtpTimestamp >>> 0, offset + 16);
      buf.writeUInt32BE(packet.packetCount >>> 0, offset + 20);
      buf.writeUInt32BE(packet.octetCount >>> 0, offset + 24);
      writeReportBlocks(buf, offset + 28, packet.reports);
      break;
    case 'rr':
      writeHeader(buf, offset, packet.reports.length, RTCP_RR, bytes);
      buf.writeUInt32BE(packet.ssrc >>> 0, offset + 4);
      writeReportBlocks(buf, offset + 8, packet.reports);
      break;
    case 'sdes': {
      writeHeader(buf, offset, packet.chunks.length, RTCP_SDES, bytes);
      let o = offset + 4;
      for (const chunk of packet.chunks) {
        buf.writeUInt32BE(chunk.ssrc >>> 0, o);
        o += 4;
        const itemsStart = o;
        for (const item of chunk.items) {
          const length = buf.write(item.text, o + 2, 'utf8');
          if (length > 255) throw new RangeError('an SDES item holds at most 255 octets');
          buf[o] = item.type;
          buf[o + 1] = length;
          o += 2 + length;
        }
        o = itemsStart + (((o - itemsStart) + 4) & ~3);
      }
      break;
    }
    case 'bye': {
      writeHeader(buf, offset, packet.ssrcs.length, RTCP_BYE, bytes);
      let o = offset + 4;
      for (const ssrc of packet.ssrcs) o = buf.writeUInt32BE(ssrc >>> 0, o);
      if (packet.reason !== undefined) {
        const length = buf.write(packet.reason, o + 1, 'utf8');
        if (length > 255) throw new RangeError('a BYE reason holds at most 255 octets');
        buf[o] = length;
      }
      break;
    }
    case 'other':
      writeHeader(buf, offset, packet.count, packet.packetType, bytes);
      packet.body.copy(buf, offset + 4);
      break;
  }
  return offset + bytes;
}

/** Serializes packets into one compound packet (§6.1 wants an SR or RR first; the caller orders them). */
export function encodeRtcpCompound(packets: readonly RtcpPacket[]): Buffer {
  let size = 0;
  for (const p of packets) size += rtcpPacketBytes(p);
  const buf = Buffer.alloc(size);
  let offset = 0;
  for (const p of packets) offset = writeRtcpPacket(buf, offset, p);
  return buf;
}
