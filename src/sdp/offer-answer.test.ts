import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../common/index.js';
import { readFixture } from './fixtures/read-fixture.js';
import { acceptAnswer, answerOffer, createOffer } from './offer-answer.js';
import type { AnswerOfferOptions, LocalAudioCapabilities, NegotiatedAudio } from './offer-answer.js';
import { parseSdp } from './sdp-parser.js';
import { serializeSdp } from './sdp-serializer.js';
import type { SessionDescription } from './session-description.js';

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

const LOCAL: LocalAudioCapabilities = {
  address: '192.0.2.100', port: 20000, codecs: ['PCMU', 'PCMA'], telephoneEvent: true, ptimeMs: 20,
  sessionId: '4242', sessionVersion: 1, username: 'switchboard',
};

function answered(offerText: string, local = LOCAL, opts: AnswerOfferOptions = {}) {
  const result = answerOffer(parseSdp(offerText), local, opts);
  if ('error' in result) assert.fail(`expected an answer, got ${result.error}: ${result.reason}`);
  return { ...result, text: serializeSdp(result.answer) };
}

function refused(offerText: string, local = LOCAL) {
  const result = answerOffer(parseSdp(offerText), local);
  if (!('error' in result)) assert.fail(`expected an error, got an answer:\n${serializeSdp(result.answer)}`);
  return result;
}

test('SIPp offer: golden answer and negotiated audio', () => {
  const { text, audio } = answered(readFixture('sipp-offer.sdp'));
  assert.equal(text, crlf([
    'v=0',
    'o=switchboard 4242 1 IN IP4 192.0.2.100',
    's=-',
    'c=IN IP4 192.0.2.100',
    't=0 0',
    'm=audio 20000 RTP/AVP 0 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    'a=sendrecv',
  ]));
  assert.deepEqual(audio, {
    remoteAddress: '127.0.0.1', remotePort: 6000, remoteRtcpPort: 6001, codec: 'pcmu', payloadType: 0,
    telephoneEventPt: 101, ptimeMs: 20, direction: 'sendrecv', onHold: false,
  } satisfies NegotiatedAudio);
});

test('baresip 1.0.0 offer: PCMU first, telephone-event 0-15 echoed, rtcp-mux and ssrc not echoed', () => {
  const { text, audio } = answered(readFixture('baresip-1.0.0-offer.sdp'));
  assert.equal(audio.codec, 'pcmu');
  assert.equal(audio.payloadType, 0);
  assert.equal(audio.telephoneEventPt, 101);
  assert.equal(audio.remoteAddress, '192.0.2.10');
  assert.equal(audio.remotePort, 16796);
  // RFC 5761 §5.1.1: without a=rtcp-mux in the answer, RTCP goes to its own port.
  assert.equal(audio.remoteRtcpPort, 16797);
  assert.match(text, /\r\nm=audio 20000 RTP\/AVP 0 101\r\n/);
  assert.match(text, /\r\na=fmtp:101 0-15\r\n/);
  assert.doesNotMatch(text, /rtcp-mux|ssrc|label|tool/);
});

test('Chrome-like offer: opus and G722 skipped for PCMU, telephone-event/8000 preferred over /48000', () => {
  const { answer, audio } = answered(readFixture('chrome-like-rtp-avp-offer.sdp'));
  assert.equal(audio.codec, 'pcmu');
  assert.equal(audio.payloadType, 0);
  assert.equal(audio.telephoneEventPt, 126);
  assert.deepEqual(answer.media[0].formats, ['0', '126']);
  assert.equal(answer.media[0].attributes.some((a) => a.name === 'fmtp'), false);
  assert.equal(audio.remoteAddress, '203.0.113.5');
  assert.equal(audio.remoteRtcpPort, 40001);
});

test('WebRTC offer (UDP/TLS/RTP/SAVPF) has no audio we can use', () => {
  const r = refused(readFixture('chrome-webrtc-offer.sdp'));
  assert.equal(r.error, 'no-audio');
  assert.match(r.reason, /UDP\/TLS\/RTP\/SAVPF/);
});

test('Asterisk offer: the offer order wins (PCMA), ptime kept under maxptime', () => {
  const { audio } = answered(readFixture('asterisk-offer.sdp'));
  assert.equal(audio.codec, 'pcma');
  assert.equal(audio.payloadType, 8);
  assert.equal(audio.ptimeMs, 20);
  const pcmuOnly = answered(readFixture('asterisk-offer.sdp'), { ...LOCAL, codecs: ['PCMU'] });
  assert.equal(pcmuOnly.audio.codec, 'pcmu');
  assert.equal(pcmuOnly.audio.payloadType, 0);
});

test('IPv6 offer and IPv6 local address', () => {
  const { text, audio } = answered(readFixture('ipv6-offer.sdp'), { ...LOCAL, address: '2001:db8::5' });
  assert.equal(audio.remoteAddress, '::1');
  assert.equal(audio.ptimeMs, 30);
  assert.match(text, /\r\no=switchboard 4242 1 IN IP6 2001:db8::5\r\n/);
  assert.match(text, /\r\nc=IN IP6 2001:db8::5\r\n/);
  assert.match(text, /\r\na=ptime:30\r\n/);
});

test('video + audio: same m-lines in the same order, video rejected with port 0', () => {
  const { answer, audio, text } = answered(readFixture('video-and-audio-offer.sdp'));
  assert.equal(answer.media.length, 2);
  assert.deepEqual(
    answer.media.map((m) => [m.media, m.port, m.formats.join(' ')]),
    [['video', 0, '96'], ['audio', 20000, '8 101']],
  );
  assert.equal(audio.codec, 'pcma');
  assert.equal(audio.remoteAddress, '192.0.2.31');
  assert.match(text, /\r\nm=video 0 RTP\/AVP 96\r\nm=audio 20000 /);
});

test('audio on port 0 → no-audio', () => {
  const r = refused(readFixture('audio-port-zero-offer.sdp'));
  assert.equal(r.error, 'no-audio');
  assert.match(r.reason, /port 0/);
});

test('G729-only offer → no-common-codec naming what was offered', () => {
  const r = refused(readFixture('g729-only-offer.sdp'));
  assert.equal(r.error, 'no-common-codec');
  assert.match(r.reason, /18 G729\/8000/);
});

test('an offer whose only audio codec we do not enable → no-common-codec', () => {
  const pcmaOnly = readFixture('asterisk-offer.sdp').replace(' 8 0 3 101', ' 8 3 101');
  const r = refused(pcmaOnly, { ...LOCAL, codecs: ['PCMU'] });
  assert.equal(r.error, 'no-common-codec');
});

test('hold: sendonly → recvonly, on hold', () => {
  const { audio, text } = answered(readFixture('hold-sendonly-offer.sdp'));
  assert.equal(audio.direction, 'recvonly');
  assert.equal(audio.onHold, true);
  assert.match(text, /\r\na=recvonly\r\n$/);
});

test('hold: session-level inactive → inactive, on hold', () => {
  const { audio, text } = answered(readFixture('hold-inactive-offer.sdp'));
  assert.equal(audio.direction, 'inactive');
  assert.equal(audio.onHold, true);
  assert.match(text, /\r\na=inactive\r\n$/);
});

test('hold: RFC 2543 c=0.0.0.0 is hold even without a direction attribute', () => {
  const { audio, text } = answered(readFixture('hold-c0-rfc2543-offer.sdp'));
  assert.equal(audio.onHold, true);
  assert.equal(audio.direction, 'recvonly');
  assert.equal(audio.remoteAddress, '0.0.0.0');
  assert.match(text, /\r\na=recvonly\r\n$/);
});

test('recvonly offer → we are sendonly and not on hold; sendrecv offer stays sendrecv', () => {
  const recvonly = answered(readFixture('sipp-offer.sdp').replace('a=sendrecv', 'a=recvonly'));
  assert.equal(recvonly.audio.direction, 'sendonly');
  assert.equal(recvonly.audio.onHold, false);
  assert.equal(answered(readFixture('sipp-offer.sdp')).audio.direction, 'sendrecv');
});

test('localDirection combines with the offer (we put the peer on hold)', () => {
  const holding = answered(readFixture('sipp-offer.sdp'), LOCAL, { localDirection: 'sendonly' });
  assert.equal(holding.audio.direction, 'sendonly');
  assert.equal(
    answered(readFixture('hold-sendonly-offer.sdp'), LOCAL, { localDirection: 'sendonly' }).audio.direction,
    'inactive',
  );
});

test('ptime: multiples of 10 within 10-60 are honoured, others fall back to ours; maxptime caps ours', () => {
  const withPtime = (p: string) => readFixture('sipp-offer.sdp').replace('a=ptime:20', p);
  assert.equal(answered(withPtime('a=ptime:40')).audio.ptimeMs, 40);
  assert.equal(answered(withPtime('a=ptime:25')).audio.ptimeMs, 20);
  assert.equal(answered(withPtime('a=ptime:90'), { ...LOCAL, ptimeMs: 30 }).audio.ptimeMs, 30);
  assert.equal(answered(withPtime('a=maxptime:10'), { ...LOCAL, ptimeMs: 30 }).audio.ptimeMs, 10);
  assert.equal(answered(withPtime('a=rtcp-mux'), { ...LOCAL, ptimeMs: 30 }).audio.ptimeMs, 30);
});

test('dynamic payload types mapped to PCMA/8000 are accepted with the offer\'s number', () => {
  const offer = crlf([
    'v=0', 'o=- 5 5 IN IP4 192.0.2.60', 's=-', 'c=IN IP4 192.0.2.60', 't=0 0',
    'm=audio 7000 RTP/AVP 96 97 98', 'a=rtpmap:96 opus/48000/2', 'a=rtpmap:97 pcma/8000', 'a=rtpmap:98 PCMU/16000',
  ]);
  const { audio, answer } = answered(offer);
  assert.equal(audio.codec, 'pcma');
  assert.equal(audio.payloadType, 97);
  assert.equal(audio.telephoneEventPt, undefined);
  assert.deepEqual(answer.media[0].attributes[0], { name: 'rtpmap', value: '97 PCMA/8000' });
});

test('an rtpmap overrides the static meaning of payload type 0', () => {
  const offer = readFixture('sipp-offer.sdp').replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:0 G729/8000');
  assert.equal(refused(offer).error, 'no-common-codec');
});

test('telephone-event is left out when we do not support it', () => {
  const { audio, text } = answered(readFixture('sipp-offer.sdp'), { ...LOCAL, telephoneEvent: false });
  assert.equal(audio.telephoneEventPt, undefined);
  assert.match(text, /\r\nm=audio 20000 RTP\/AVP 0\r\n/);
  assert.doesNotMatch(text, /telephone-event/);
});

test('two audio m-lines: the first without a common codec is rejected, the second accepted', () => {
  const offer = crlf([
    'v=0', 'o=- 5 5 IN IP4 192.0.2.60', 's=-', 'c=IN IP4 192.0.2.60', 't=0 0',
    'm=audio 7000 RTP/AVP 18', 'a=rtpmap:18 G729/8000',
    'm=audio 7002 RTP/AVP 0',
  ]);
  const { answer, audio } = answered(offer);
  assert.deepEqual(answer.media.map((m) => m.port), [0, 20000]);
  assert.equal(audio.remotePort, 7002);
});

test('an audio m-line with no connection address → bad-offer', () => {
  const offer = crlf(['v=0', 'o=- 5 5 IN IP4 192.0.2.60', 's=-', 't=0 0', 'm=audio 7000 RTP/AVP 0']);
  const r = refused(offer);
  assert.equal(r.error, 'bad-offer');
  assert.match(r.reason, /no c= line/);
});

test('createOffer: golden late-offer SDP in our codec preference order', () => {
  const offer = createOffer({ ...LOCAL, codecs: ['PCMA', 'PCMU'] });
  assert.equal(serializeSdp(offer), crlf([
    'v=0',
    'o=switchboard 4242 1 IN IP4 192.0.2.100',
    's=-',
    'c=IN IP4 192.0.2.100',
    't=0 0',
    'm=audio 20000 RTP/AVP 8 0 101',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    'a=sendrecv',
  ]));
  assert.throws(() => createOffer({ ...LOCAL, codecs: [] }), (e) => isSwitchboardError(e));
});

/** Our offer, answered by a peer with its own capabilities, read back by acceptAnswer. */
function negotiate(peer: LocalAudioCapabilities, edit: (answer: string) => string = (a) => a) {
  const offer = parseSdp(serializeSdp(createOffer(LOCAL)));
  const peerSide = answerOffer(offer, peer);
  if ('error' in peerSide) assert.fail(peerSide.reason);
  const answer: SessionDescription = parseSdp(edit(serializeSdp(peerSide.answer)));
  return { offer, answer, peerAudio: peerSide.audio, ours: acceptAnswer(offer, answer) };
}

const PEER: LocalAudioCapabilities = {
  address: '198.51.100.50', port: 30000, codecs: ['PCMA'], telephoneEvent: true, ptimeMs: 30,
};

test('acceptAnswer: both sides agree on codec, payload type, events and ptime', () => {
  const { ours, peerAudio } = negotiate(PEER);
  assert.deepEqual(ours, {
    remoteAddress: '198.51.100.50', remotePort: 30000, remoteRtcpPort: 30001, codec: 'pcma', payloadType: 8,
    telephoneEventPt: 101, ptimeMs: 20, direction: 'sendrecv', onHold: false,
  } satisfies NegotiatedAudio);
  assert.equal(peerAudio.codec, 'pcma');
  assert.equal(peerAudio.remoteAddress, LOCAL.address);
});

test('acceptAnswer: recvonly answer makes us sendonly; c=0.0.0.0 answer is hold', () => {
  const recvonly = negotiate(PEER, (a) => a.replace('a=sendrecv', 'a=recvonly')).ours;
  assert.ok(!('error' in recvonly));
  assert.equal(recvonly.direction, 'sendonly');
  assert.equal(recvonly.onHold, false);
  const held = negotiate(PEER, (a) => a.replace('c=IN IP4 198.51.100.50', 'c=IN IP4 0.0.0.0')).ours;
  assert.ok(!('error' in held));
  assert.equal(held.onHold, true);
  assert.equal(held.direction, 'recvonly');
});

test('acceptAnswer: rejected audio, wrong m-line count, codec not offered', () => {
  const rejected = negotiate(PEER, (a) => a.replace('m=audio 30000', 'm=audio 0')).ours;
  assert.equal('error' in rejected && rejected.error, 'no-audio');
  const extra = negotiate(PEER, (a) => `${a}m=video 0 RTP/AVP 96\r\n`).ours;
  assert.equal('error' in extra && extra.error, 'bad-answer');
  const g729 = negotiate(PEER, (a) => a.replace('RTP/AVP 8 101', 'RTP/AVP 18 101').replace('8 PCMA', '18 G729')).ours;
  assert.equal('error' in g729 && g729.error, 'no-common-codec');
});
