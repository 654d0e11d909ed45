import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../common/index.js';
import { fixtureNames, readFixture } from './fixtures/read-fixture.js';
import { parseSdp } from './sdp-parser.js';
import { serializeSdp } from './sdp-serializer.js';
import {
  connectionHost, getAttribute, getConnection, getDirection, getFmtp, getMaxptime, getPtime, getRtcp, getRtpmap,
  getRtpmaps, hasAttribute, isHoldConnection,
} from './session-description.js';

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

test('SIPp offer parses into the typed model', () => {
  const sd = parseSdp(readFixture('sipp-offer.sdp'));
  assert.equal(sd.version, 0);
  assert.deepEqual(sd.origin, {
    username: 'user1', sessId: '53655765', sessVersion: '2353687637', netType: 'IN', addrType: 'IP4',
    address: '127.0.0.1',
  });
  assert.equal(sd.sessionName, '-');
  assert.deepEqual(sd.connection, { netType: 'IN', addrType: 'IP4', address: '127.0.0.1' });
  assert.deepEqual(sd.timing, [{ start: 0, stop: 0, repeat: [] }]);
  assert.equal(sd.media.length, 1);
  const m = sd.media[0];
  assert.equal(m.media, 'audio');
  assert.equal(m.port, 6000);
  assert.equal(m.numberOfPorts, undefined);
  assert.equal(m.proto, 'RTP/AVP');
  assert.deepEqual(m.formats, ['0', '101']);
  assert.deepEqual(m.attributes, [
    { name: 'rtpmap', value: '0 PCMU/8000' },
    { name: 'rtpmap', value: '101 telephone-event/8000' },
    { name: 'fmtp', value: '101 0-16' },
    { name: 'ptime', value: '20' },
    { name: 'sendrecv' },
  ]);
});

test('every fixture round-trips byte for byte', () => {
  const names = fixtureNames();
  assert.ok(names.length >= 12, `found ${names.length} fixtures`);
  for (const name of names) {
    const text = readFixture(name);
    assert.ok(text.includes('\r\n'), `${name} is CRLF`);
    assert.equal(serializeSdp(parseSdp(text)), text, name);
  }
});

test('bare LF, a Buffer and blank lines are accepted; output is CRLF', () => {
  const canonical = readFixture('baresip-1.0.0-offer.sdp');
  const lf = canonical.replace(/\r\n/g, '\n');
  assert.equal(serializeSdp(parseSdp(lf)), canonical);
  assert.equal(serializeSdp(parseSdp(Buffer.from(`${lf}\n\n`, 'utf8'))), canonical);
  assert.equal(serializeSdp(parseSdp(lf.replace('t=0 0\n', 't=0 0\n\n'))), canonical);
});

test('lines without a typed field are kept in place (i u e p b r z k, extra c, unknown letters)', () => {
  const text = crlf([
    'v=0',
    'o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1',
    's= ',
    'i=A Seminar on the session description protocol',
    'u=http://www.example.com/seminars/sdp.pdf',
    'e=j.doe@example.com (Jane Doe)',
    'p=+1 617 555-6011',
    'c=IN IP4 233.252.0.1/127',
    'b=CT:1000',
    't=3724394400 3724398000',
    'r=604800 3600 0 90000',
    't=0 0',
    'z=2882844526 -1h 2898848070 0',
    'k=prompt',
    'a=recvonly',
    'y=0100000001',
    'm=audio 49170/2 RTP/AVP 0',
    'i=main audio',
    'c=IN IP4 233.252.0.1/127/2',
    'c=IN IP4 233.252.0.9/127',
    'b=AS:64',
    'k=prompt',
    'a=rtpmap:0 PCMU/8000',
    'a=fmtp:0',
    'a=x-empty:',
    'f=v/2/25',
  ]);
  const sd = parseSdp(text);
  assert.equal(serializeSdp(sd), text);
  assert.equal(sd.sessionName, ' ');
  assert.deepEqual(sd.timing[0], { start: 3724394400, stop: 3724398000, repeat: ['604800 3600 0 90000'] });
  assert.deepEqual(sd.bandwidth, [{ type: 'CT', value: 1000 }]);
  assert.deepEqual(sd.otherLines.map((l) => l.type), ['i', 'u', 'e', 'p', 'z', 'k', 'y']);
  const m = sd.media[0];
  assert.equal(m.numberOfPorts, 2);
  assert.equal(m.connection?.address, '233.252.0.1/127/2');
  assert.equal(connectionHost(m.connection!), '233.252.0.1');
  assert.deepEqual(m.otherLines, [
    { type: 'i', value: 'main audio' },
    { type: 'c', value: 'IN IP4 233.252.0.9/127' },
    { type: 'k', value: 'prompt' },
    { type: 'f', value: 'v/2/25' },
  ]);
  assert.equal(getAttribute(m, 'x-empty'), '');
  assert.equal(hasAttribute(m, 'x-empty'), true);
});

test('64-bit session ids and attribute values with leading spaces survive', () => {
  const sd = parseSdp(readFixture('chrome-webrtc-offer.sdp'));
  assert.equal(sd.origin.sessId, '4611731400430051336');
  assert.equal(getAttribute(sd, 'msid-semantic'), ' WMS stream1');
  assert.equal(sd.connection, undefined);
  assert.deepEqual(getConnection(sd, sd.media[0]), { netType: 'IN', addrType: 'IP4', address: '0.0.0.0' });
});

test('typed helpers: rtpmap, fmtp, ptime, maxptime, rtcp', () => {
  const chrome = parseSdp(readFixture('chrome-like-rtp-avp-offer.sdp')).media[0];
  assert.deepEqual(getRtpmap(chrome, 111), {
    payloadType: 111, encodingName: 'opus', clockRate: 48000, encodingParameters: 2,
  });
  assert.deepEqual(getRtpmap(chrome, 0), { payloadType: 0, encodingName: 'PCMU', clockRate: 8000 });
  assert.equal(getRtpmap(chrome, 96), undefined);
  assert.equal(getRtpmaps(chrome).length, 8);
  assert.equal(getFmtp(chrome, 111), 'minptime=10;useinbandfec=1');
  assert.equal(getFmtp(chrome, '63'), '111/111');
  assert.equal(getFmtp(chrome, 11), undefined);
  assert.deepEqual(getRtcp(chrome), {
    port: 40001, connection: { netType: 'IN', addrType: 'IP4', address: '203.0.113.5' },
  });
  assert.equal(getPtime(chrome), undefined);

  const asterisk = parseSdp(readFixture('asterisk-offer.sdp')).media[0];
  assert.equal(getPtime(asterisk), 20);
  assert.equal(getMaxptime(asterisk), 150);
  assert.equal(getRtcp(asterisk), undefined);
  assert.equal(getRtcp(parseSdp(crlf(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'm=audio 5000 RTP/AVP 0',
    'a=rtcp:5009'])).media[0])?.port, 5009);
});

test('direction: media level overrides session level, default sendrecv', () => {
  const inactive = parseSdp(readFixture('hold-inactive-offer.sdp'));
  assert.equal(getDirection(inactive, inactive.media[0]), 'inactive');
  const withMediaLevel = readFixture('hold-inactive-offer.sdp').replace('a=ptime:20', 'a=ptime:20\r\na=sendonly');
  const overridden = parseSdp(withMediaLevel);
  assert.equal(getDirection(overridden, overridden.media[0]), 'sendonly');
  const none = parseSdp(readFixture('g729-only-offer.sdp'));
  assert.equal(getDirection(none, none.media[0]), 'sendrecv');
  const sendonly = parseSdp(readFixture('hold-sendonly-offer.sdp'));
  assert.equal(getDirection(sendonly, sendonly.media[0]), 'sendonly');
});

test('c=0.0.0.0 is recognised as connection hold', () => {
  const sd = parseSdp(readFixture('hold-c0-rfc2543-offer.sdp'));
  assert.equal(isHoldConnection(getConnection(sd, sd.media[0])), true);
  const live = parseSdp(readFixture('sipp-offer.sdp'));
  assert.equal(isHoldConnection(getConnection(live, live.media[0])), false);
});

test('IPv6 connection', () => {
  const sd = parseSdp(readFixture('ipv6-offer.sdp'));
  assert.deepEqual(sd.connection, { netType: 'IN', addrType: 'IP6', address: '::1' });
  assert.equal(sd.origin.addrType, 'IP6');
});

const head = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0'];

const garbage: Array<[string, string, RegExp]> = [
  ['empty body', '', /missing v=/],
  ['missing v=', crlf(head.slice(1)), /line 1 .*must begin with v=/],
  ['v= not first', crlf([head[1], head[0], ...head.slice(2)]), /line 1/],
  ['unsupported version', crlf(['v=1', ...head.slice(1)]), /line 1 "v=1"/],
  ['duplicate v=', crlf([...head, 'v=0']), /line 6 .*duplicate v=/],
  ['line without =', crlf([...head, 'm audio 5000 RTP/AVP 0']), /line 6 .*<type>=<value>/],
  ['m= with too few fields', crlf([...head, 'm=audio 5000']), /line 6 "m=audio 5000"/],
  ['m= with a non-numeric port', crlf([...head, 'm=audio five RTP/AVP 0']), /line 6 .*port "five"/],
  ['m= port out of range', crlf([...head, 'm=audio 70000 RTP/AVP 0']), /line 6 .*out of range/],
  ['m= zero number of ports', crlf([...head, 'm=audio 5000/0 RTP/AVP 0']), /line 6 .*number of ports/],
  ['o= with 5 fields', crlf(['v=0', 'o=- 1 1 IN IP4', ...head.slice(2)]), /line 2 .*6 fields/],
  ['missing o=', crlf(['v=0', 's=-', 't=0 0']), /missing o=/],
  ['missing s=', crlf(['v=0', head[1], 't=0 0']), /missing s=/],
  ['o= inside a media section', crlf([...head, 'm=audio 5000 RTP/AVP 0', head[1]]), /line 7 .*session level/],
  ['bad c=', crlf([...head, 'm=audio 5000 RTP/AVP 0', 'c=IN IP4']), /line 7 .*c= needs 3 fields/],
  ['bad b=', crlf([...head, 'b=AS64']), /line 6 .*b= must be/],
  ['bad t=', crlf([...head.slice(0, 4), 't=now']), /line 5 .*t= must be/],
  ['r= before t=', crlf([...head.slice(0, 4), 'r=7d 1h 0 25h', 't=0 0']), /line 5 .*r= must follow/],
];

for (const [name, text, message] of garbage) {
  test(`garbage is rejected with SWB_ERR_SDP_PARSE: ${name}`, () => {
    assert.throws(() => parseSdp(text), (e: unknown) => {
      assert.ok(isSwitchboardError(e, 'SWB_ERR_SDP_PARSE'), `code of ${String(e)}`);
      assert.match(e.message, message);
      return true;
    });
  });
}

test('serializer writes a model built in code in RFC 8866 §5 order', () => {
  const text = serializeSdp({
    version: 0,
    origin: { username: '-', sessId: '7', sessVersion: '8', netType: 'IN', addrType: 'IP4', address: '192.0.2.9' },
    sessionName: '-',
    connection: { netType: 'IN', addrType: 'IP4', address: '192.0.2.9' },
    bandwidth: [],
    timing: [{ start: 0, stop: 0, repeat: [] }],
    attributes: [{ name: 'sendonly' }],
    otherLines: [{ type: 'k', value: 'prompt' }, { type: 'i', value: 'info' }],
    media: [{
      media: 'audio', port: 4000, proto: 'RTP/AVP', formats: ['8'], bandwidth: [{ type: 'AS', value: 80 }],
      attributes: [{ name: 'rtpmap', value: '8 PCMA/8000' }], otherLines: [],
      connection: { netType: 'IN', addrType: 'IP4', address: '192.0.2.10' },
    }],
  });
  assert.equal(text, crlf([
    'v=0', 'o=- 7 8 IN IP4 192.0.2.9', 's=-', 'i=info', 'c=IN IP4 192.0.2.9', 't=0 0', 'k=prompt', 'a=sendonly',
    'm=audio 4000 RTP/AVP 8', 'c=IN IP4 192.0.2.10', 'b=AS:80', 'a=rtpmap:8 PCMA/8000',
  ]));
});
