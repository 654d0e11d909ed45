import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture } from './fixtures/read-fixture.js';
import { answerOffer, createOffer } from './offer-answer.js';
import type { LocalAudioCapabilities } from './offer-answer.js';
import { parseSdp } from './sdp-parser.js';
import { SdpSessionState } from './sdp-session-state.js';
import type { SessionDescription } from './session-description.js';

const LOCAL: LocalAudioCapabilities = {
  address: '192.0.2.100', port: 20000, codecs: ['PCMU', 'PCMA'], telephoneEvent: true, ptimeMs: 20,
};

function answer(state: SdpSessionState, fixture: string, local = LOCAL): SessionDescription {
  const r = answerOffer(parseSdp(readFixture(fixture)), local, { state });
  if ('error' in r) assert.fail(r.reason);
  return r.answer;
}

test('re-INVITE: o= keeps the session id; the version moves only when our answer changes (RFC 3264 §8)', () => {
  const state = new SdpSessionState();
  const initial = answer(state, 'sipp-offer.sdp');
  assert.match(initial.origin.sessId, /^\d+$/);
  assert.equal(initial.origin.username, '-');
  assert.equal(state.sessionId, initial.origin.sessId);
  const v0 = BigInt(initial.origin.sessVersion);

  const refresh = answer(state, 'sipp-offer.sdp');
  assert.equal(refresh.origin.sessId, initial.origin.sessId);
  assert.equal(BigInt(refresh.origin.sessVersion), v0);

  const hold = answer(state, 'hold-sendonly-offer.sdp');
  assert.equal(hold.origin.sessId, initial.origin.sessId);
  assert.equal(BigInt(hold.origin.sessVersion), v0 + 1n);
  assert.equal(state.sessionVersion, String(v0 + 1n));

  const holdAgain = answer(state, 'hold-sendonly-offer.sdp');
  assert.equal(BigInt(holdAgain.origin.sessVersion), v0 + 1n);

  const resume = answer(state, 'sipp-offer.sdp');
  assert.equal(BigInt(resume.origin.sessVersion), v0 + 2n);
});

test('identity comes from the constructor first, then from the first local capabilities', () => {
  const fixed = new SdpSessionState({ sessionId: '111', sessionVersion: 5, username: 'ivr' });
  const a = answer(fixed, 'sipp-offer.sdp', { ...LOCAL, sessionId: '999', sessionVersion: 77, username: 'other' });
  assert.deepEqual([a.origin.username, a.origin.sessId, a.origin.sessVersion], ['ivr', '111', '5']);

  const lazy = new SdpSessionState();
  const b = answer(lazy, 'sipp-offer.sdp', { ...LOCAL, sessionId: '999', sessionVersion: 77, username: 'other' });
  assert.deepEqual([b.origin.username, b.origin.sessId, b.origin.sessVersion], ['other', '999', '77']);
  const c = answer(lazy, 'asterisk-offer.sdp', { ...LOCAL, sessionId: '1', sessionVersion: 1, username: 'x' });
  assert.deepEqual([c.origin.username, c.origin.sessId, c.origin.sessVersion], ['other', '999', '78']);
});

test('versions past 2^53 increment exactly', () => {
  const state = new SdpSessionState({ sessionId: '1', sessionVersion: Number.MAX_SAFE_INTEGER });
  answer(state, 'sipp-offer.sdp');
  assert.equal(answer(state, 'asterisk-offer.sdp').origin.sessVersion, '9007199254740992');
  assert.equal(answer(state, 'sipp-offer.sdp').origin.sessVersion, '9007199254740993');
});

test('our offer and a later answer of the same call share one o= line', () => {
  const state = new SdpSessionState({ sessionId: '31', sessionVersion: 1 });
  const offer = createOffer(LOCAL, state);
  assert.equal(offer.origin.sessVersion, '1');
  assert.equal(createOffer(LOCAL, state).origin.sessVersion, '1');
  const hold = createOffer(LOCAL, state, { localDirection: 'sendonly' });
  assert.equal(hold.origin.sessVersion, '2');
  assert.equal(hold.media[0].attributes.at(-1)?.name, 'sendonly');
  const reAnswer = answer(state, 'sipp-offer.sdp');
  assert.equal(reAnswer.origin.sessId, '31');
  assert.equal(reAnswer.origin.sessVersion, '3');
});

test('separate calls get separate random session ids', () => {
  const ids = new Set([1, 2, 3, 4].map(() => answer(new SdpSessionState(), 'sipp-offer.sdp').origin.sessId));
  assert.equal(ids.size, 4);
});
