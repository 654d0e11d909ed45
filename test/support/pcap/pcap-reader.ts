/**
 * Reads the UDP datagrams of a classic pcap file, e.g. `tcpdump -i lo -w cap.pcap` (Ethernet framing on Linux
 * loopback) or one written by PcapWriter. pcapng is refused with a hint; fragments and non-UDP packets are skipped.
 */

export interface UdpDatagram {
  /** Capture time, seconds since the epoch. */
  timeSec: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  payload: Buffer;
}

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = new Set([12, 101, 228, 229]);
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_LINUX_SLL2 = 276;

function ipv6Text(b: Buffer): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(b.readUInt16BE(i).toString(16));
  return words.join(':');
}

/** Offset of the layer-3 header and its EtherType for one captured frame. */
function layer3(frame: Buffer, linkType: number): { offset: number; etherType: number } | undefined {
  if (linkType === LINKTYPE_ETHERNET) {
    if (frame.length < 14) return undefined;
    let offset = 14;
    let etherType = frame.readUInt16BE(12);
    while (etherType === 0x8100 && frame.length >= offset + 4) {
      etherType = frame.readUInt16BE(offset + 2);
      offset += 4;
    }
    return { offset, etherType };
  }
  if (linkType === LINKTYPE_LINUX_SLL) return frame.length >= 16 ? { offset: 16, etherType: frame.readUInt16BE(14) } : undefined;
  if (linkType === LINKTYPE_LINUX_SLL2) return frame.length >= 20 ? { offset: 20, etherType: frame.readUInt16BE(0) } : undefined;
  if (linkType === LINKTYPE_NULL) {
    if (frame.length < 4) return undefined;
    return { offset: 4, etherType: frame.readUInt32LE(0) === 2 ? 0x0800 : 0x86dd };
  }
  if (LINKTYPE_RAW.has(linkType)) {
    if (frame.length < 1) return undefined;
    return { offset: 0, etherType: frame[0] >> 4 === 4 ? 0x0800 : 0x86dd };
  }
  throw new Error(`unsupported pcap link type ${linkType}`);
}

function udpOf(frame: Buffer, linkType: number, timeSec: number): UdpDatagram | undefined {
  const l3 = layer3(frame, linkType);
  if (!l3) return undefined;
  let l4: number;
  let srcIp: string;
  let dstIp: string;
  const o = l3.offset;
  if (l3.etherType === 0x0800) {
    if (frame.length < o + 20) return undefined;
    const ihl = (frame[o] & 0x0f) * 4;
    const fragment = frame.readUInt16BE(o + 6) & 0x3fff;
    if (frame[o + 9] !== 17 || fragment !== 0) return undefined;
    srcIp = [...frame.subarray(o + 12, o + 16)].join('.');
    dstIp = [...frame.subarray(o + 16, o + 20)].join('.');
    l4 = o + ihl;
  } else if (l3.etherType === 0x86dd) {
    if (frame.length < o + 40 || frame[o + 6] !== 17) return undefined;
    srcIp = ipv6Text(frame.subarray(o + 8, o + 24));
    dstIp = ipv6Text(frame.subarray(o + 24, o + 40));
    l4 = o + 40;
  } else {
    return undefined;
  }
  if (frame.length < l4 + 8) return undefined;
  const udpLength = frame.readUInt16BE(l4 + 4);
  const end = Math.min(frame.length, l4 + Math.max(8, udpLength));
  return {
    timeSec,
    srcIp,
    srcPort: frame.readUInt16BE(l4),
    dstIp,
    dstPort: frame.readUInt16BE(l4 + 2),
    payload: frame.subarray(l4 + 8, end),
  };
}

export function readPcapUdp(data: Buffer): UdpDatagram[] {
  if (data.length < 24) throw new Error('too short for a pcap file');
  const magic = data.readUInt32BE(0);
  let littleEndian: boolean;
  let nano: boolean;
  if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) {
    littleEndian = true;
    nano = magic === 0x4d3cb2a1;
  } else if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) {
    littleEndian = false;
    nano = magic === 0xa1b23c4d;
  } else if (magic === 0x0a0d0d0a) {
    throw new Error('pcapng is not supported; write classic pcap (tcpdump -w, or editcap -F pcap)');
  } else {
    throw new Error('not a pcap file');
  }
  const u32 = (off: number): number => (littleEndian ? data.readUInt32LE(off) : data.readUInt32BE(off));
  const linkType = u32(20) & 0x0fffffff;
  const out: UdpDatagram[] = [];
  let off = 24;
  while (off + 16 <= data.length) {
    const sec = u32(off);
    const frac = u32(off + 4);
    const included = u32(off + 8);
    const frame = data.subarray(off + 16, Math.min(data.length, off + 16 + included));
    off += 16 + included;
    const d = udpOf(frame, linkType, sec + frac / (nano ? 1e9 : 1e6));
    if (d) out.push(d);
  }
  return out;
}
