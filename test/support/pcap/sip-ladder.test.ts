import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UdpDatagram } from './pcap-reader.js';
import { sipLadder } from './sip-ladder.js';

const dg = (t: number, srcPort: number, dstPort: number, text: string): UdpDatagram =>
  ({ timeSec: t, srcIp: '127.0.0.1', dstIp: '127.0.0.1', srcPort, dstPort, payload: Buffer.from(text) });

test('sipLadder lists requests and responses on the SIP port in time order, with CSeq', () => {
  const ladder = sipLadder([
    dg(2, 5060, 5061, 'SIP/2.0 200 OK\r\nVia: x\r\ncseq:  2   INVITE\r\n\r\n'),
    dg(1, 5061, 5060, 'INVITE sip:demo@127.0.0.1 SIP/2.0\r\nCSeq: 2 INVITE\r\n\r\n'),
    dg(1.5, 16000, 20000, '\x80\x00rtp'),
    dg(3, 5061, 5060, '\r\n\r\n'),
  ], 5060);
  assert.deepEqual(ladder.map((e) => [e.timeSec, e.method ?? e.status, e.cseq]), [[1, 'INVITE', '2 INVITE'], [2, 200, '2 INVITE']]);
});
