/**
 * RTP fixed header codec (RFC 3550 §5.1). Parsing fills a caller-owned, reused {@link RtpPacketView} and returns a
 * status constant, so the receive path allocates nothing and throws nothing per packet; `parseRtpPacket` wraps it
 * with a named error for tools and tests.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  defined by profile (X=1)     |           length              |  RFC 3550 §5.3.1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 payload ...   | padding ...   | pad count (P) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { SwitchboardError } from '../../common/index.js';

export const RTP_HEADER_BYTES = 12;
export const RTP_VERSION = 2;
const MAX_CSRC = 15;

/** Parse outcomes. `RTP_PARSE_OK` is the only success; the others name what was wrong. */
export const RTP_PARSE_OK = 'ok';
export type RtpParseFailure =
  | 'header-too-short'
  | 'bad-version'
  | 'csrc-past-end'
  | 'extension-past-end'
  | 'padding-zero'
  | 'padding-too-large';
export type RtpParseStatus = typeof RTP_PARSE_OK | RtpParseFailure;

export class RtpParseError extends SwitchboardError {
  constructor(readonly reason: RtpParseFailure) {
    super('SWB_ERR_RTP_PARSE', `malformed RTP packet: ${reason}`);
    this.name = 'RtpParseError';
  }
}

/**
 * The fields of one parsed packet. One instance is reused for every packet a socket receives: it refers to the
 * datagram's bytes (`buffer` plus offsets) instead of copying them, and is only valid until the next parse.
 */
export class RtpPacketView {
  buffer: Uint8Array = new Uint8Array(0);
  version = 0;
  padding = false;
  extension = false;
  csrcCount = 0;
  marker = false;
  payloadType = 0;
  sequenceNumber = 0;
  timestamp = 0;
  ssrc = 0;
  readonly csrc = new Uint32Array(MAX_CSRC);
  extensionProfile = 0;
  /** Offset and byte length of the extension data after its 4-byte preamble (RFC 3550 §5.3.1). */
  extensionOffset = 0;
  extensionLength = 0;
  payloadOffset = 0;
  payloadLength = 0;
  paddingLength = 0;

  /** Parses `length` bytes of `buf` (default: all of it) into this view; returns a status, never throws. */
  parse(buf: Uint8Array, length: number = buf.length): RtpParseStatus {
    if (length < RTP_HEADER_BYTES || buf.length < length) return 'header-too-short';
    const b0 = buf[0];
    if (b0 >> 6 !== RTP_VERSION) return 'bad-version';
    const cc = b0 & 0x0f;
    let offset = RTP_HEADER_BYTES + cc * 4;
    if (offset > length) return 'csrc-past-end';
    const hasExtension = (b0 & 0x10) !== 0;
    let extProfile = 0;
    let extOffset = 0;
    let extLength = 0;
    if (hasExtension) {
      if (offset + 4 > length) return 'extension-past-end';
      extProfile = (buf[offset] << 8) | buf[offset + 1];
      extLength = ((buf[offset + 2] << 8) | buf[offset + 3]) * 4;
      extOffset = offset + 4;
      offset = extOffset + extLength;
      if (offset > length) return 'extension-past-end';
    }
    let paddingLength = 0;
    const hasPadding = (b0 & 0x20) !== 0;
    if (hasPadding) {
      // RFC 3550 §5.1: the last octet counts the padding octets including itself, so it is at least 1.
      paddingLength = buf[length - 1];
      if (paddingLength === 0) return 'padding-zero';
      if (paddingLength > length - offset) return 'padding-too-large';
    }
    const b1 = buf[1];
    this.buffer = buf;
    this.version = RTP_VERSION;
    this.padding = hasPadding;
    this.extension = hasExtension;
    this.csrcCount = cc;
    this.marker = (b1 & 0x80) !== 0;
    this.payloadType = b1 & 0x7f;
    this.sequenceNumber = (buf[2] << 8) | buf[3];
    this.timestamp = ((buf[4] << 24) | (buf[5] << 16) | (buf[6] << 8) | buf[7]) >>> 0;
    this.ssrc = ((buf[8] << 24) | (buf[9] << 16) | (buf[10] << 8) | buf[11]) >>> 0;
    for (let i = 0; i < cc; i++) {
      const o = RTP_HEADER_BYTES + i * 4;
      this.csrc[i] = ((buf[o] << 24) | (buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]) >>> 0;
    }
    this.extensionProfile = extProfile;
    this.extensionOffset = extOffset;
    this.extensionLength = extLength;
    this.payloadOffset = offset;
    this.paddingLength = paddingLength;
    this.payloadLength = length - offset - paddingLength;
    return RTP_PARSE_OK;
  }
}

/** Parses one packet into a fresh view, throwing {@link RtpParseError}; for tools and tests, not the hot path. */
export function parseRtpPacket(buf: Uint8Array, length: number = buf.length): RtpPacketView {
  const view = new RtpPacketView();
  const status = view.parse(buf, length);
  if (status !== RTP_PARSE_OK) throw new RtpParseError(status);
  return view;
}

/**
 * Writes a 12-byte header with V=2, no padding, no extension, no CSRC at `offset`; returns the payload offset.
 * This is the only per-packet work on the send path besides copying the payload.
 */
export function writeRtpHeader(
  buf: Uint8Array,
  offset: number,
  payloadType: number,
  marker: boolean,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
): number {
  buf[offset] = 0x80;
  buf[offset + 1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  buf[offset + 2] = (sequenceNumber >>> 8) & 0xff;
  buf[offset + 3] = sequenceNumber & 0xff;
  buf[offset + 4] = timestamp >>> 24;
  buf[offset + 5] = (timestamp >>> 16) & 0xff;
  buf[offset + 6] = (timestamp >>> 8) & 0xff;
  buf[offset + 7] = timestamp & 0xff;
  buf[offset + 8] = ssrc >>> 24;
  buf[offset + 9] = (ssrc >>> 16) & 0xff;
  buf[offset + 10] = (ssrc >>> 8) & 0xff;
  buf[offset + 11] = ssrc & 0xff;
  return offset + RTP_HEADER_BYTES;
}

export interface RtpPacketFields {
  payloadType: number;
  marker?: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrc?: readonly number[];
  extension?: { profile: number; data: Uint8Array };
  payload: Uint8Array;
  /** Total padding octets including the count octet (RFC 3550 §5.1), 0 for none. */
  paddingLength?: number;
}

/** Serializes a complete packet into a new Buffer; for tests, tools and rare packets, not the per-frame path. */
export function encodeRtpPacket(fields: RtpPacketFields): Buffer {
  const csrc = fields.csrc ?? [];
  if (csrc.length > MAX_CSRC) throw new RangeError('at most 15 CSRC identifiers fit the CC field');
  const ext = fields.extension;
  if (ext && ext.data.length % 4 !== 0) throw new RangeError('header extension data must be a multiple of 4 bytes');
  const padding = fields.paddingLength ?? 0;
  if (padding < 0 || padding > 255) throw new RangeError('padding length must be 0..255');
  const size = RTP_HEADER_BYTES + csrc.length * 4 + (ext ? 4 + ext.data.length : 0) + fields.payload.length + padding;
  const buf = Buffer.alloc(size);
  writeRtpHeader(buf, 0, fields.payloadType, fields.marker ?? false, fields.sequenceNumber, fields.timestamp, fields.ssrc);
  buf[0] = 0x80 | (padding > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | csrc.length;
  let offset = RTP_HEADER_BYTES;
  for (const id of csrc) offset = buf.writeUInt32BE(id >>> 0, offset);
  if (ext) {
    offset = buf.writeUInt16BE(ext.profile, offset);
    offset = buf.writeUInt16BE(ext.data.length / 4, offset);
    buf.set(ext.data, offset);
    offset += ext.data.length;
  }
  buf.set(fields.payload, offset);
  if (padding > 0) buf[size - 1] = padding;
  return buf;
}
