import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../common/index.js';
import { SipHeaders, getTopVia, parseVia, type SipRequest } from '../message/index.js';
import { normalizeHost, responseDestination, stampInboundVia } from './inbound-via.js';
import { SipTransportLayer } from './sip-transport-layer.js';

function requestWithVia(...vias: string[]): SipRequest {
  const headers = new SipHeaders([['Max-Forwards', '70']]);
  for (const v of vias) headers.append('Via', v);
  headers.append('CSeq', '1 OPTIONS');
  return { kind: 'request', method: 'OPTIONS', uri: 'sip:ivr@example.com', headers, body: Buffer.alloc(0) };
}

describe('stampInboundVia (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it('adds received when the sent-by host differs from the packet source', () => {
    const req = requestWithVia('SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK1');
    assert.equal(stampInboundVia(req, '192.0.2.4', 5060), true);
    assert.equal(getTopVia(req)?.params.get('received'), '192.0.2.4');
    assert.equal(getTopVia(req)?.params.has('rport'), false);
  });

  it('leaves a Via alone when its sent-by is the source address and it asks for no rport', () => {
    const req = requestWithVia('SIP/2.0/UDP 192.0.2.4:5070;branch=z9hG4bK1');
    assert.equal(stampInboundVia(req, '192.0.2.4', 40_000), false);
    assert.equal(req.headers.get('Via'), 'SIP/2.0/UDP 192.0.2.4:5070;branch=z9hG4bK1');
  });

  it('fills an empty rport with the source port and then always adds received', () => {
    const req = requestWithVia('SIP/2.0/UDP 192.0.2.4:5060;rport;branch=z9hG4bK1');
    stampInboundVia(req, '192.0.2.4', 40_123);
    const via = getTopVia(req);
    assert.equal(via?.params.get('rport'), '40123');
    assert.equal(via?.params.get('received'), '192.0.2.4');
  });

  it('touches only the top Via, keeping the other fields and their order', () => {
    const req = requestWithVia(
      'SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKtop;rport, SIP/2.0/UDP 10.2.2.2;branch=z9hG4bKsecond',
      'SIP/2.0/TCP 10.3.3.3;branch=z9hG4bKthird',
    );
    stampInboundVia(req, '::ffff:198.51.100.7', 1024);
    const fields = req.headers.getAll('Via');
    assert.equal(fields.length, 2);
    assert.equal(fields[1], 'SIP/2.0/TCP 10.3.3.3;branch=z9hG4bKthird');
    const first = parseVia(fields[0]);
    assert.equal(first[0].params.get('received'), '198.51.100.7');
    assert.equal(first[0].params.get('rport'), '1024');
    assert.equal(first[1].params.has('received'), false);
    assert.equal(req.headers.entries()[0].name, 'Max-Forwards');
  });
});

describe('responseDestination (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  const via = (text: string) => parseVia(text)[0];
  it('uses received and rport when present', () => {
    assert.deepEqual(responseDestination(via('SIP/2.0/UDP 10.0.0.1:5070;received=192.0.2.9;rport=6000'), false), {
      host: '192.0.2.9',
      port: 6000,
    });
  });
  it('uses received with the sent-by port, or 5060 without one', () => {
    assert.deepEqual(responseDestination(via('SIP/2.0/UDP 10.0.0.1:5070;received=192.0.2.9'), false), { host: '192.0.2.9', port: 5070 });
    assert.deepEqual(responseDestination(via('SIP/2.0/UDP 10.0.0.1;received=192.0.2.9'), false), { host: '192.0.2.9', port: 5060 });
  });
  it('uses maddr for unreliable transports only', () => {
    const v = via('SIP/2.0/UDP 10.0.0.1:5070;maddr=239.255.255.1;received=192.0.2.9');
    assert.deepEqual(responseDestination(v, false), { host: '239.255.255.1', port: 5070 });
    assert.deepEqual(responseDestination(v, true), { host: '192.0.2.9', port: 5070 });
  });
  it('falls back to the sent-by, without IPv6 brackets', () => {
    assert.deepEqual(responseDestination(via('SIP/2.0/TCP [2001:db8::1]:5080;branch=z9hG4bK1'), true), { host: '2001:db8::1', port: 5080 });
  });
  it('ignores an rport that is no port number', () => {
    assert.deepEqual(responseDestination(via('SIP/2.0/UDP 10.0.0.1:5070;received=192.0.2.9;rport=99999'), false), { host: '192.0.2.9', port: 5070 });
  });
});

describe('addresses', () => {
  it('normalizes brackets, case and IPv4-mapped sources', () => {
    assert.equal(normalizeHost('[2001:DB8::1]'), '2001:db8::1');
    assert.equal(normalizeHost('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(normalizeHost('PC33.Example.COM'), 'pc33.example.com');
  });
  it('advertises publicAddress instead of the bound host', () => {
    const layer = new SipTransportLayer({
      host: '0.0.0.0', port: 5060, transports: ['udp'], maxMessageBytes: 4096, clock: new FakeClock(), publicAddress: 'sip.example.com',
    });
    assert.deepEqual(layer.localAddress('udp'), { host: 'sip.example.com', port: 5060 });
  });
});
