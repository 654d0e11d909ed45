/** UAS behaviour of SipUserAgent, message by message, on a FakeSipTransport and FakeClock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SipDialog } from '../dialog/index.js';
import { getToTag, type SipResponse } from '../message/index.js';
import { FakeUa, rawRequest, requestsOf, responsesOf } from '../../../test/support/sip-fake-ua.js';
import type { IncomingInvite } from './ua-types.js';

const SDP = 'v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const ANSWER = Buffer.from(SDP.replace('192.0.2.9', '192.0.2.1'));

function only(msgs: ReturnType<FakeUa['deliver']>): SipResponse {
  const res = responsesOf(msgs);
  assert.equal(res.length, 1, `expected one response, got ${res.map((r) => r.status).join(',')}`);
  return res[0];
}

/** INVITE → 200 → ACK; returns the UAS dialog and the To tag the UA chose. */
async function confirmedCall(f: FakeUa): Promise<{ dialog: SipDialog; tag: string }> {
  let invite!: IncomingInvite;
  f.ua.onInvite = (i) => {
    invite = i;
  };
  f.deliver(rawRequest('INVITE', { body: SDP }));
  const accepted = invite.accept(ANSWER);
  const ok = only(f.taken());
  assert.equal(ok.status, 200);
  const tag = getToTag(ok) ?? '';
  f.deliver(rawRequest('ACK', { toTag: tag }));
  return { dialog: (await accepted).dialog, tag };
}

test('requests needing a dialog get 481 without one; so does an unmatched CANCEL (§12.2.2, §9.2)', async () => {
  const f = await new FakeUa().start();
  assert.equal(only(f.deliver(rawRequest('BYE'))).status, 481);
  assert.equal(only(f.deliver(rawRequest('INFO', { toTag: 'nosuchdialog' }))).status, 481);
  assert.equal(only(f.deliver(rawRequest('OPTIONS', { toTag: 'nosuchdialog' }))).status, 481);
  assert.equal(only(f.deliver(rawRequest('CANCEL'))).status, 481);
  assert.equal(f.ua.stats().rejectedRequests, 4);
});

test('§8.2 checks through the UA: 416, 420 with Unsupported, 483, 501, 405, and 400 for an INVITE without Contact', async () => {
  const f = await new FakeUa().start();
  let invites = 0;
  f.ua.onInvite = () => invites++;
  const im = rawRequest('INVITE');
  im.uri = 'im:ivr@192.0.2.1';
  assert.equal(only(f.deliver(im)).status, 416);
  const r420 = only(f.deliver(rawRequest('INVITE', { headers: ['Require: 100rel'] })));
  assert.equal(r420.status, 420);
  assert.equal(r420.headers.get('Unsupported'), '100rel');
  const spent = rawRequest('INVITE');
  spent.headers.set('Max-Forwards', '0');
  assert.equal(only(f.deliver(spent)).status, 483);
  assert.equal(only(f.deliver(rawRequest('FOO'))).status, 501);
  const r405 = only(f.deliver(rawRequest('SUBSCRIBE')));
  assert.equal(r405.status, 405);
  assert.match(r405.headers.get('Allow') ?? '', /INVITE/);
  assert.equal(only(f.deliver(rawRequest('INVITE', { noContact: true, callId: 'c-nocontact' }))).status, 400);
  assert.equal(invites, 0);
  assert.ok(getToTag(r405), 'a response to a request without To tag gets one (§8.2.6.2)');
});

test('merged request (§8.2.2.2): same From tag, Call-ID and CSeq on another branch → 482', async () => {
  const f = await new FakeUa().start();
  let invites = 0;
  f.ua.onInvite = () => invites++;
  f.deliver(rawRequest('INVITE', { branch: 'z9hG4bKfork1', body: SDP }));
  const merged = only(f.deliver(rawRequest('INVITE', { branch: 'z9hG4bKfork2', body: SDP })));
  assert.equal(merged.status, 482);
  assert.equal(invites, 1);
});

test('100 Trying after 200 ms, 180 with the To tag of the later 200, CANCEL → 200 + 487 and onCancel', async () => {
  const f = await new FakeUa().start();
  let invite!: IncomingInvite;
  f.ua.onInvite = (i) => {
    invite = i;
  };
  f.deliver(rawRequest('INVITE', { branch: 'z9hG4bKinv', body: SDP }));
  assert.equal(invite.offer?.toString(), SDP);
  f.clock.advance(200);
  assert.equal(only(f.taken()).status, 100);
  invite.progress(180);
  const ringing = only(f.taken());
  assert.equal(ringing.status, 180);
  assert.ok(getToTag(ringing), 'the 180 creates the early dialog (§12.1.1)');
  let cancelled = 0;
  invite.onCancel = () => cancelled++;
  const sent = f.deliver(rawRequest('CANCEL', { branch: 'z9hG4bKinv' }));
  assert.deepEqual(responsesOf(sent).map((r) => `${r.status} ${r.headers.get('CSeq')}`), ['200 1 CANCEL', '487 1 INVITE']);
  assert.equal(getToTag(responsesOf(sent)[1]), getToTag(ringing));
  assert.equal(cancelled, 1);
  assert.equal(f.ua.stats().pendingIncoming, 0);
});

test('BYE on the early dialog of an unanswered INVITE: 200, and 487 to the INVITE (§15.1.2)', async () => {
  const f = await new FakeUa().start();
  let invite!: IncomingInvite;
  f.ua.onInvite = (i) => {
    invite = i;
  };
  f.deliver(rawRequest('INVITE', { body: SDP }));
  invite.progress(183, ANSWER);
  const early = only(f.taken());
  assert.equal(early.headers.get('Content-Type'), 'application/sdp');
  let cancelled = false;
  invite.onCancel = () => {
    cancelled = true;
  };
  const sent = f.deliver(rawRequest('BYE', { toTag: getToTag(early), cseq: 2 }));
  assert.deepEqual(responsesOf(sent).map((r) => r.status).sort(), [200, 487]);
  assert.equal(cancelled, true);
});

test('200 retransmitted at T1, 3*T1, 7*T1 until the ACK, which carries no body', async () => {
  const f = await new FakeUa().start();
  let invite!: IncomingInvite;
  f.ua.onInvite = (i) => {
    invite = i;
  };
  f.deliver(rawRequest('INVITE', { body: SDP }));
  const accepted = invite.accept(ANSWER);
  const tag = getToTag(only(f.taken())) ?? '';
  f.clock.advance(500);
  assert.equal(only(f.taken()).status, 200);
  f.clock.advance(1000);
  assert.equal(only(f.taken()).status, 200);
  f.clock.advance(1999);
  assert.equal(f.taken().length, 0);
  f.clock.advance(1);
  assert.equal(only(f.taken()).status, 200);
  assert.equal(f.deliver(rawRequest('ACK', { toTag: tag, cseq: 1 })).length, 0);
  const { ackBody, dialog } = await accepted;
  assert.equal(ackBody, undefined);
  assert.equal(dialog.remoteTarget, 'sip:peer@192.0.2.9:5060');
  f.clock.advance(10_000);
  assert.equal(f.taken().length, 0, 'no retransmission after the ACK');
});

test('in-dialog: out-of-order CSeq → 500; REFER without handler → 603; NOTIFY → 200; OPTIONS → 200', async () => {
  const f = await new FakeUa().start();
  const { tag } = await confirmedCall(f);
  assert.equal(only(f.deliver(rawRequest('INFO', { toTag: tag, cseq: 5 }))).status, 200);
  assert.equal(only(f.deliver(rawRequest('INFO', { toTag: tag, cseq: 4 }))).status, 500);
  assert.equal(only(f.deliver(rawRequest('REFER', { toTag: tag, cseq: 6 }))).status, 603);
  assert.equal(only(f.deliver(rawRequest('NOTIFY', { toTag: tag, cseq: 7 }))).status, 200);
  const options = only(f.deliver(rawRequest('OPTIONS', { toTag: tag, cseq: 8 })));
  assert.equal(options.status, 200);
  assert.match(options.headers.get('Allow') ?? '', /UPDATE/);
});

test('re-INVITE without SDP: the layer above offers in the 200, the answer comes in the ACK', async () => {
  const f = await new FakeUa().start();
  const { dialog, tag } = await confirmedCall(f);
  let reply!: Promise<Buffer | undefined>;
  dialog.onReinvite = (req, send) => {
    assert.equal(req.body.length, 0);
    reply = send(200, ANSWER);
  };
  const ok = only(f.deliver(rawRequest('INVITE', {
    toTag: tag, cseq: 2, noContact: true, headers: ['Contact: <sip:peer@192.0.2.99>'],
  })));
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, ANSWER);
  assert.match(ok.headers.get('Contact') ?? '', /^<sip:ivr@192\.0\.2\.1:5060>$/);
  assert.equal(dialog.remoteTarget, 'sip:peer@192.0.2.99', 'target refresh (§12.2.2)');
  assert.equal(dialog.serverInvitePending, true);
  f.deliver(rawRequest('ACK', { toTag: tag, cseq: 2, body: SDP }));
  assert.equal((await reply)?.toString(), SDP);
  assert.equal(dialog.serverInvitePending, false);
});

test('second re-INVITE before the first is answered → 500 with Retry-After 0–10 (§14.2); CANCEL → 487', async () => {
  const f = await new FakeUa().start();
  const { dialog, tag } = await confirmedCall(f);
  let handed = 0;
  dialog.onReinvite = () => handed++;
  assert.equal(f.deliver(rawRequest('INVITE', { toTag: tag, cseq: 2, body: SDP, branch: 'z9hG4bKre1' })).length, 0);
  const second = only(f.deliver(rawRequest('INVITE', { toTag: tag, cseq: 3, body: SDP })));
  assert.equal(second.status, 500);
  const retry = Number(second.headers.get('Retry-After'));
  assert.ok(retry >= 0 && retry <= 10);
  assert.equal(handed, 1);
  const cancel = f.deliver(rawRequest('CANCEL', { toTag: tag, cseq: 2, branch: 'z9hG4bKre1' }));
  assert.deepEqual(responsesOf(cancel).map((r) => r.status), [200, 487]);
  assert.equal(dialog.serverInvitePending, false);
});

test('re-INVITE without a handler → 488; UPDATE: refresh 200 with Contact, offer to onUpdate', async () => {
  const f = await new FakeUa().start();
  const { dialog, tag } = await confirmedCall(f);
  assert.equal(only(f.deliver(rawRequest('INVITE', { toTag: tag, cseq: 2, body: SDP }))).status, 488);
  f.deliver(rawRequest('ACK', { toTag: tag, cseq: 2 }));
  const refresh = only(f.deliver(rawRequest('UPDATE', { toTag: tag, cseq: 3 })));
  assert.equal(refresh.status, 200);
  assert.ok(refresh.headers.get('Contact'));
  assert.equal(only(f.deliver(rawRequest('UPDATE', { toTag: tag, cseq: 4, body: SDP }))).status, 488);
  dialog.onUpdate = (req, reply) => {
    void reply(200, req.body.length > 0 ? ANSWER : undefined);
  };
  const answered = only(f.deliver(rawRequest('UPDATE', { toTag: tag, cseq: 5, body: SDP })));
  assert.equal(answered.status, 200);
  assert.deepEqual(answered.body, ANSWER);
});

test('BYE in dialog: 200 first, then onBye, then onTerminated("remote-bye")', async () => {
  const f = await new FakeUa().start();
  const { dialog, tag } = await confirmedCall(f);
  const order: string[] = [];
  dialog.onBye = () => order.push('bye');
  dialog.onTerminated = (r) => order.push(r);
  const res = only(f.deliver(rawRequest('BYE', { toTag: tag, cseq: 2 })));
  assert.equal(res.status, 200);
  assert.deepEqual(order, ['bye', 'remote-bye']);
  assert.equal(only(f.deliver(rawRequest('BYE', { toTag: tag, cseq: 3 }))).status, 481);
});

test('stop(): 503 to an unanswered INVITE, BYE to a confirmed dialog', async () => {
  const f = await new FakeUa().start();
  const { dialog } = await confirmedCall(f);
  f.ua.onInvite = () => undefined;
  f.deliver(rawRequest('INVITE', { callId: 'call-2', fromTag: 'other', body: SDP }));
  const stopping = f.ua.stop();
  const sent = f.taken();
  assert.deepEqual(responsesOf(sent).map((r) => r.status), [503]);
  const bye = requestsOf(sent, 'BYE');
  assert.equal(bye.length, 1);
  assert.equal(bye[0].uri, 'sip:peer@192.0.2.9:5060');
  assert.equal(dialog.endReason, 'ua-stop');
  f.clock.advance(2000);
  await stopping;
  assert.throws(() => f.ua.invite({ target: 'sip:x@192.0.2.9' }), /not started/);
});
