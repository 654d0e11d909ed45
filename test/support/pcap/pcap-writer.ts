/**
 * Classic libpcap files (not pcapng) with link type Ethernet, which is what SIPp's `play_pcap_audio` reads: it
 * skips the Ethernet header, takes the IPv4/UDP payload and rewrites only addresses and ports, so the RTP inside
 * is sent exactly as written here.
 *
 *   global header (24 bytes, little-endian)
 *   +------------+-------+-------+----------+---------+---------+----------+
 *   | a1b2c3d4   | 2     | 4     | thiszone | sigfigs | snaplen | linktype |
 *   +------------+-------+-------+----------+---------+---------+----------+
 *   per packet: ts_sec, ts_usec, incl_len, orig_len (4 × u32 LE), then the frame:
 *   Ethernet (14) | IPv4 (20, no options, DF) | UDP (8, checksum over the pseudo-header) | payload
 */

const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const ETHERTYPE_IPV4 = 0x0800;
const IPPROTO_UDP = 17;

export interface UdpEndpoints {
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
}

function ipv4Bytes(ip: string): Buffer {
  const parts = ip.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return Buffer.from(parts);
}

/** RFC 1071 ones' complement sum, folded. */
export function internetChecksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (data.length % 2 === 1) sum += data[data.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export class PcapWriter {
  private readonly chunks: Buffer[] = [];
  private readonly src: Buffer;
  private readonly dst: Buffer;
  private ipId = 0;
  private count = 0;

  constructor(private readonly endpoints: UdpEndpoints = { srcIp: '127.0.0.1', dstIp: '127.0.0.1', srcPort: 6000, dstPort: 6000 }) {
    this.src = ipv4Bytes(endpoints.srcIp);
    this.dst = ipv4Bytes(endpoints.dstIp);
    const header = Buffer.alloc(24);
    header.writeUInt32LE(PCAP_MAGIC, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeInt32LE(0, 8);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    this.chunks.push(header);
  }

  get packetCount(): number {
    return this.count;
  }

  /** Appends one Ethernet/IPv4/UDP frame carrying `payload`, stamped `timeSec` (seconds since the epoch). */
  writeUdp(timeSec: number, payload: Uint8Array): void {
    const udpLength = 8 + payload.length;
    const udp = Buffer.alloc(udpLength);
    udp.writeUInt16BE(this.endpoints.srcPort, 0);
    udp.writeUInt16BE(this.endpoints.dstPort, 2);
    udp.writeUInt16BE(udpLength, 4);
    Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(udp, 8);
    // RFC 768: the checksum covers a pseudo-header of addresses, protocol and length; 0 is sent as 0xffff.
    const pseudo = Buffer.alloc(12);
    this.src.copy(pseudo, 0);
    this.dst.copy(pseudo, 4);
    pseudo.writeUInt8(IPPROTO_UDP, 9);
    pseudo.writeUInt16BE(udpLength, 10);
    udp.writeUInt16BE(internetChecksum(Buffer.concat([pseudo, udp])) || 0xffff, 6);

    const ip = Buffer.alloc(20);
    this.ipId = (this.ipId + 1) & 0xffff;
    ip.writeUInt8(0x45, 0);
    ip.writeUInt16BE(20 + udpLength, 2);
    ip.writeUInt16BE(this.ipId, 4);
    ip.writeUInt16BE(0x4000, 6);
    ip.writeUInt8(64, 8);
    ip.writeUInt8(IPPROTO_UDP, 9);
    this.src.copy(ip, 12);
    this.dst.copy(ip, 16);
    ip.writeUInt16BE(internetChecksum(ip), 10);

    const eth = Buffer.from([0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, ETHERTYPE_IPV4 >> 8, ETHERTYPE_IPV4 & 0xff]);
    const frameLength = eth.length + ip.length + udp.length;
    const record = Buffer.alloc(16);
    let sec = Math.floor(timeSec);
    let usec = Math.round((timeSec - sec) * 1e6);
    if (usec >= 1_000_000) {
      sec += 1;
      usec -= 1_000_000;
    }
    record.writeUInt32LE(sec, 0);
    record.writeUInt32LE(usec, 4);
    record.writeUInt32LE(frameLength, 8);
    record.writeUInt32LE(frameLength, 12);
    this.chunks.push(record, eth, ip, udp);
    this.count++;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
