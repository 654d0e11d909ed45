import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcapWriter, readPcapUdp, type UdpDatagram } from '../../test/support/pcap/index.js';
import { analyzeRtp, inviteTo200Ms } from './capture-analysis.js';

function sip(firstLine: string, callId: string, cseq: string, compact = false): Buffer {
  const id = compact ? `i: ${callId}` : `Call-ID: ${callId}`;
  return Buffer.from(`${firstLine}\r\nVia: SIP/2.0/UDP 127.0.0.1:5070\r\n${id}\r\nCSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n`, 'latin1');
}

test('INVITE→200 is first INVITE to first 200 of CSeq INVITE per Call-ID, read back from a pcap', () => {
  const w = new PcapWriter({ srcIp: '127.0.0.1', dstIp: '127.0.0.1', srcPort: 5070, dstPort: 5080 });
  w.writeUdp(100.0, sip('INVITE sip:ivr@127.0.0.1:5080 SIP/2.0', 'a', '1 INVITE'));
  w.writeUdp(100.5, sip('INVITE sip:ivr@127.0.0.1:5080 SIP/2.0', 'a', '1 INVITE')); // retransmission
  w.writeUdp(100.001, sip('SIP/2.0 100 Trying', 'a', '1 INVITE'));
  w.writeUdp(100.0025, sip('SIP/2.0 200 OK', 'a', '1 INVITE'));
  w.writeUdp(100.01, sip('SIP/2.0 200 OK', 'a', '1 INVITE')); // retransmitted 200
  w.writeUdp(101.0, sip('INVITE sip:ivr@127.0.0.1:5080 SIP/2.0', 'b', '1 INVITE', true));
  w.writeUdp(101.004, sip('SIP/2.0 200 OK', 'b', '1 INVITE', true));
  w.writeUdp(107.0, sip('SIP/2.0 200 OK', 'b', '2 BYE'));
  w.writeUdp(102.0, sip('INVITE sip:ivr@127.0.0.1:5080 SIP/2.0', 'c', '1 INVITE')); // never answered
  const ms = inviteTo200Ms(readPcapUdp(w.toBuffer())).sort((x, y) => x - y);
  assert.equal(ms.length, 2);
  assert.ok(Math.abs(ms[0] - 2.5) < 0.01, `got ${ms[0]}`);
  assert.ok(Math.abs(ms[1] - 4) < 0.01, `got ${ms[1]}`);
});

const SERVER_PORT = 30000;
const SIPP_PORT = 20644;

function rtp(pt: number, seq: number, timestamp: number, ssrc: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = pt;
  h.writeUInt16BE(seq, 2);
  h.writeUInt32BE(timestamp, 4);
  h.writeUInt32BE(ssrc, 8);
  return Buffer.concat([h, payload]);
}

function event(digit: number, end: boolean, duration: number): Buffer {
  return Buffer.from([digit, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
}

function dgram(timeSec: number, fromServer: boolean, payload: Buffer, sippPort = SIPP_PORT): UdpDatagram {
  return fromServer
    ? { timeSec, srcIp: '127.0.0.1', srcPort: SERVER_PORT, dstIp: '127.0.0.2', dstPort: sippPort, payload }
    : { timeSec, srcIp: '127.0.0.2', srcPort: sippPort, dstIp: '127.0.0.1', dstPort: SERVER_PORT, payload };
}

test('DTMF→prompt runs from the first end packet to the first server packet carrying frame 0 of prompt 2', () => {
  const frame0 = Buffer.alloc(160, 0x42);
  const other = Buffer.alloc(160, 0x17);
  const d: UdpDatagram[] = [];
  const t0 = 50;
  // Server sends every 20 ms; from packet 10 on it plays prompt 2.
  for (let i = 0; i < 20; i++) d.push(dgram(t0 + i * 0.02, true, rtp(0, i, i * 160, 7, i >= 10 ? frame0 : other)));
  // Caller's digit: key down at 0.045, updates, three end packets at 0.185 (one prompt-2 packet follows at 0.2).
  for (let k = 0; k < 7; k++) d.push(dgram(t0 + 0.045 + k * 0.02, false, rtp(101, 100 + k, 9999, 5, event(1, false, (k + 1) * 160))));
  for (let k = 0; k < 3; k++) d.push(dgram(t0 + 0.185, false, rtp(101, 107 + k, 9999, 5, event(1, true, 1120))));
  d.sort((a, b) => a.timeSec - b.timeSec);
  const r = analyzeRtp(d, { prompt2Frame0: frame0, serverPortMin: 30000, serverPortMax: 39999 });
  assert.equal(r.digits, 1);
  assert.equal(r.unanswered, 0);
  assert.equal(r.dtmfEndToPromptMs.length, 1);
  assert.ok(Math.abs(r.dtmfEndToPromptMs[0] - 15) < 1e-6, `end→prompt ${r.dtmfEndToPromptMs[0]}`);
  assert.ok(Math.abs(r.dtmfStartToPromptMs[0] - 155) < 1e-6, `start→prompt ${r.dtmfStartToPromptMs[0]}`);
  assert.equal(r.serverStreams, 1);
  assert.equal(r.serverPackets, 20);
  assert.equal(r.jitterMs.length, 19);
  assert.ok(r.jitterMs.every((j) => j < 1e-6));
});

test('jitter is |Δt − 20 ms| per server stream; a digit with no prompt 2 is unanswered', () => {
  const frame0 = Buffer.alloc(160, 0x42);
  const other = Buffer.alloc(160, 0x17);
  const times = [0, 0.02, 0.043, 0.06, 0.1];
  const d: UdpDatagram[] = times.map((t, i) => dgram(10 + t, true, rtp(0, i, i * 160, 1, other)));
  // A second stream (other SSRC, same ports, e.g. a reused port) must not be chained to the first.
  d.push(dgram(30, true, rtp(0, 0, 0, 2, other)));
  d.push(dgram(30.021, true, rtp(0, 1, 160, 2, other)));
  d.push(dgram(10.05, false, rtp(101, 1, 500, 9, event(1, true, 800))));
  d.sort((a, b) => a.timeSec - b.timeSec);
  const r = analyzeRtp(d, { prompt2Frame0: frame0, serverPortMin: 30000, serverPortMax: 39999 });
  assert.equal(r.serverStreams, 2);
  const got = r.jitterMs.map((j) => Math.round(j * 1000) / 1000).sort((a, b) => a - b);
  assert.deepEqual(got, [0, 1, 3, 3, 20]);
  assert.equal(r.digits, 1);
  assert.equal(r.unanswered, 1);
  assert.equal(r.dtmfEndToPromptMs.length, 0);
});
