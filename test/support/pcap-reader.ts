/**
 * A minimal reader for classic libpcap files (not pcapng) that yields the UDP datagrams of IPv4 frames, so tests
 * can use real captured RTP bytes. Link types: Ethernet (1), raw IP (101/228), Linux cooked (113), BSD loopback (0).
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CapturedDatagram {
  timeMs: number;
  srcAddress: string;
  srcPort: number;
  dstAddress: string;
  dstPort: number;
  payload: Buffer;
}

function ipv4(buf: Buffer, o: number): string {
  return `${buf[o]}.${buf[o + 1]}.${buf[o + 2]}.${buf[o + 3]}`;
}

function linkHeaderBytes(linkType: number, frame: Buffer): number {
  switch (linkType) {
    case 0: return 4;
    case 1: return frame.readUInt16BE(12) === 0x8100 ? 18 : 14;
    case 101: case 228: return 0;
    case 113: return 16;
    default: throw new Error(`pcap link type ${linkType} not supported`);
  }
}

export function readPcapUdp(bytes: Buffer): CapturedDatagram[] {
  const magic = bytes.readUInt32LE(0);
  let little: boolean;
  let nanos = false;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) little = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) little = false;
  else throw new Error('not a classic pcap file');
  if (magic === 0xa1b23c4d || magic === 0x4d3cb2a1) nanos = true;
  const u32 = (o: number): number => (little ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
  const linkType = u32(20);
  const out: CapturedDatagram[] = [];
  for (let o = 24; o + 16 <= bytes.length;) {
    const sec = u32(o);
    const frac = u32(o + 4);
    const captured = u32(o + 8);
    const frame = bytes.subarray(o + 16, o + 16 + captured);
    o += 16 + captured;
    const ip = linkHeaderBytes(linkType, frame);
    if (frame.length < ip + 20 || frame[ip] >> 4 !== 4 || frame[ip + 9] !== 17) continue;
    const udp = ip + (frame[ip] & 0x0f) * 4;
    const udpLength = frame.readUInt16BE(udp + 4);
    out.push({
      timeMs: sec * 1000 + (nanos ? frac / 1e6 : frac / 1e3),
      srcAddress: ipv4(frame, ip + 12),
      srcPort: frame.readUInt16BE(udp),
      dstAddress: ipv4(frame, ip + 16),
      dstPort: frame.readUInt16BE(udp + 2),
      payload: Buffer.from(frame.subarray(udp + 8, udp + udpLength)),
    });
  }
  return out;
}

/** Reads test/fixtures/pcap/<name>, found by walking up from the compiled test file to the repository root. */
export function readPcapFixture(name: string): CapturedDatagram[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'test', 'fixtures', 'pcap', name);
    if (existsSync(candidate)) return readPcapUdp(readFileSync(candidate));
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`pcap fixture ${name} not found`);
    dir = parent;
  }
}
