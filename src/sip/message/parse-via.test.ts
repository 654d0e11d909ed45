import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatVia, parseVia } from './parse-via.js';
import { SipParseError } from './sip-parse-error.js';

test('a plain Via with port, branch and a valueless rport', () => {
  const [via] = parseVia('SIP/2.0/udp pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport');
  assert.equal(via.protocol, 'SIP/2.0');
  assert.equal(via.transport, 'UDP');
  assert.equal(via.host, 'pc33.atlanta.example.com');
  assert.equal(via.port, 5066);
  assert.deepEqual([...via.params], [['branch', 'z9hG4bK776asdhds'], ['rport', '']]);
});

test('several via-parms in one header value, commas separating them', () => {
  const vias = parseVia('SIP/2.0/TCP a.example.com;branch=z9hG4bK1, SIP/2.0/TLS b.example.com:5061;branch=z9hG4bK2');
  assert.deepEqual(vias.map((v) => [v.transport, v.host, v.port]), [['TCP', 'a.example.com', undefined], ['TLS', 'b.example.com', 5061]]);
});

test('LWS around "/", ":", ";" and "=" is allowed (RFC 4475 §3.1.1.1)', () => {
  const vias = parseVia('SIP  / 2.0  / TCP     spindle.example.com   :  5070 ;\t branch  =   z9hG4bK9ikj8  ,'
    + ' SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239');
  assert.equal(vias.length, 2);
  assert.equal(vias[0].port, 5070);
  assert.equal(vias[0].params.get('branch'), 'z9hG4bK9ikj8');
  assert.equal(vias[1].host, '192.168.255.111');
  assert.equal(vias[1].params.get('branch'), 'z9hG4bK30239');
});

test('IPv6 sent-by and an IPv6 received parameter', () => {
  const [via] = parseVia('SIP/2.0/UDP [2001:db8::9:1]:5060;received=2001:db8::9:255;branch=z9hG4bKas3-111');
  assert.equal(via.host, '[2001:db8::9:1]');
  assert.equal(via.port, 5060);
  assert.equal(via.params.get('received'), '2001:db8::9:255');
});

test('unknown transports and protocol versions are kept as written', () => {
  const [via] = parseVia('SIP/7.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en');
  assert.equal(via.protocol, 'SIP/7.0');
  assert.equal(via.transport, 'UNKNOWN');
});

test('malformed Via values are rejected', () => {
  for (const bad of ['', 'SIP/2.0/UDP', 'SIP/2.0 192.0.2.1', 'SIP/2.0/UDP192.0.2.1', 'SIP/2.0/UDP 192.0.2.15;;,;,,',
    'SIP/2.0/UDP host;branch=', 'SIP/2.0/UDP host:70000', 'SIP/2.0/UDP [::1', 'SIP/2.0/UDP host extra',
    'SIP/2.0/UDP a.example.com,', 'SIP/2.0/UDP 999.1.1.1']) {
    assert.throws(() => parseVia(bad), SipParseError, bad);
  }
});

test('formatVia writes the canonical form that parses back to the same Via', () => {
  const text = 'SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK1;rport;received=192.0.2.1';
  const [via] = parseVia(text);
  assert.equal(formatVia(via), text);
  const [spaced] = parseVia('SIP / 2.0 / udp host.example.com ; branch = z9hG4bK2');
  assert.equal(formatVia(spaced), 'SIP/2.0/UDP host.example.com;branch=z9hG4bK2');
});
