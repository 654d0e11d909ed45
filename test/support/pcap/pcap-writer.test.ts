import { test } from 'node:test';
import assert from 'node:assert/strict';
import { internetChecksum, PcapWriter } from './pcap-writer.js';
import { readPcapUdp } from './pcap-reader.js';

test('internetChecksum of a header carrying its own checksum is 0 (RFC 1071)', () => {
  // A textbook IPv4 header whose checksum is 0xb861; with the checksum in place the header sums to zero.
  const hdr = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
  hdr.writeUInt16BE(internetChecksum(hdr), 10);
  assert.equal(hdr.readUInt16BE(10), 0xb861);
  assert.equal(internetChecksum(hdr), 0);
});

test('a written pcap reads back: global header, Ethernet/IPv4/UDP framing, times and payloads', () => {
  const w = new PcapWriter({ srcIp: '127.0.0.1', dstIp: '127.0.0.2', srcPort: 4000, dstPort: 5000 });
  w.writeUdp(1_700_000_000.25, Buffer.from('hello'));
  w.writeUdp(1000.999_9996, Buffer.from('odd!!'));
  const buf = w.toBuffer();
  assert.equal(buf.readUInt32LE(0), 0xa1b2c3d4);
  assert.equal(buf.readUInt32LE(20), 1, 'link type Ethernet, what SIPp play_pcap_audio expects');
  assert.equal(w.packetCount, 2);
  const frame = buf.subarray(24 + 16, 24 + 16 + 14 + 20 + 8 + 5);
  assert.equal(frame.readUInt16BE(12), 0x0800);
  assert.equal(internetChecksum(frame.subarray(14, 34)), 0, 'valid IPv4 header checksum');
  const pseudo = Buffer.concat([frame.subarray(26, 34), Buffer.from([0, 17]), frame.subarray(38, 40)]);
  assert.equal(internetChecksum(Buffer.concat([pseudo, frame.subarray(34)])), 0, 'valid UDP checksum');

  const got = readPcapUdp(buf);
  assert.equal(got.length, 2);
  assert.deepEqual(
    { src: `${got[0].srcIp}:${got[0].srcPort}`, dst: `${got[0].dstIp}:${got[0].dstPort}`, p: got[0].payload.toString() },
    { src: '127.0.0.1:4000', dst: '127.0.0.2:5000', p: 'hello' },
  );
  assert.ok(Math.abs(got[0].timeSec - 1_700_000_000.25) < 1e-6);
  assert.ok(Math.abs(got[1].timeSec - 1001) < 1e-6, 'microsecond rounding carries into seconds');
  assert.equal(got[1].payload.toString(), 'odd!!');
});

test('readPcapUdp refuses pcapng and garbage with a reason', () => {
  const ng = Buffer.alloc(32);
  ng.writeUInt32BE(0x0a0d0d0a, 0);
  assert.throws(() => readPcapUdp(ng), /pcapng/);
  assert.throws(() => readPcapUdp(Buffer.alloc(30, 7)), /not a pcap/);
});

test('readPcapUdp reads big-endian nanosecond pcaps and skips non-UDP frames', () => {
  const header = Buffer.alloc(24);
  header.writeUInt32BE(0xa1b23c4d, 0);
  header.writeUInt32BE(101, 20);
  const ipUdp = Buffer.from('4500002100000000401100007f0000017f000001' + '1f4013880009000041', 'hex');
  const ipTcp = Buffer.from('4500002800000000400600007f0000017f000001' + '00'.repeat(20), 'hex');
  const rec = (t: number, ns: number, f: Buffer): Buffer => {
    const r = Buffer.alloc(16);
    r.writeUInt32BE(t, 0);
    r.writeUInt32BE(ns, 4);
    r.writeUInt32BE(f.length, 8);
    r.writeUInt32BE(f.length, 12);
    return Buffer.concat([r, f]);
  };
  const got = readPcapUdp(Buffer.concat([header, rec(10, 500_000_000, ipTcp), rec(11, 250_000_000, ipUdp)]));
  assert.equal(got.length, 1);
  assert.equal(got[0].srcPort, 8000);
  assert.equal(got[0].dstPort, 5000);
  assert.equal(got[0].payload.toString(), 'A');
  assert.ok(Math.abs(got[0].timeSec - 11.25) < 1e-9);
});
