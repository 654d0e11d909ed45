/** UAC behaviour of SipUserAgent, message by message, on a FakeSipTransport and FakeClock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipFailureError } from '../../common/index.js';
import { DialogState, type SipDialog } from '../dialog/index.js';
import { getTopVia, type SipRequest } from '../message/index.js';
import { FakeUa, rawResponse, requestsOf } from '../../../test/support/sip-fake-ua.js';

const OFFER = Buffer.from('v=0\r\n');
const TARGET = 'sip:100@192.0.2.9:5070';

function failsWith(status: number): (e: unknown) => boolean {
  return (e) => e instanceof SipFailureError && e.status === status;
}

function sentInvite(f: FakeUa): SipRequest {
  const [invite] = requestsOf(f.taken(), 'INVITE');
  assert.ok(invite, 'an INVITE was sent');
  return invite;
}

test('the INVITE goes to the target host and port with Contact, Allow and a Via with branch and rport', async () => {
  const f = await new FakeUa().start();
  f.ua.invite({ target: TARGET, body: OFFER, headers: [['X-Call-Ref', '42']] });
  const [{ msg, dest }] = f.transport.takeSent();
  assert.deepEqual(dest, { transport: 'udp', host: '192.0.2.9', port: 5070 });
  assert.equal(msg.kind === 'request' && msg.uri, TARGET);
  assert.equal(msg.headers.get('Contact'), '<sip:ivr@192.0.2.1:5060>');
  assert.equal(msg.headers.get('X-Call-Ref'), '42');
  assert.equal(msg.headers.get('Content-Type'), 'application/sdp');
  const via = getTopVia(msg);
  assert.match(via?.params.get('branch') ?? '', /^z9hG4bK/);
  assert.equal(via?.params.get('rport'), '');
});

test('early dialog on 180, confirmed by the 200 with the same tag; the ACK goes to the Contact via the route set', async () => {
  const f = await new FakeUa().start();
  const early: (SipDialog | undefined)[] = [];
  const call = f.ua.invite({ target: TARGET, body: OFFER, onProgress: (_r, d) => early.push(d) });
  const invite = sentInvite(f);
  f.deliver(rawResponse(invite, 100));
  f.deliver(rawResponse(invite, 180, 'bobtag'));
  assert.equal(early[0], undefined, '100 carries no tag: no dialog');
  assert.equal(early[1]?.state, DialogState.Early);
  const sent = f.deliver(rawResponse(invite, 200, 'bobtag', [['Record-Route', '<sip:192.0.2.50:5060;lr>']], 'v=0\r\n'));
  const { dialog } = await call.result;
  assert.equal(dialog, early[1]);
  assert.equal(dialog.state, DialogState.Confirmed);
  const [ack] = requestsOf(sent, 'ACK');
  assert.equal(ack.uri, 'sip:peer@192.0.2.9:5060');
  assert.equal(ack.headers.get('Route'), '<sip:192.0.2.50:5060;lr>');
  assert.equal(ack.headers.get('CSeq'), '1 ACK');
  assert.notEqual(getTopVia(ack)?.params.get('branch'), getTopVia(invite)?.params.get('branch'), '§17.1.1.3: new branch');
  assert.deepEqual(f.transport.sent.length, 0);
});

test('retransmitted 200 gets the same ACK again; a 200 from another fork gets an ACK and a BYE (§13.2.2.4)', async () => {
  const f = await new FakeUa().start();
  const call = f.ua.invite({ target: TARGET, body: OFFER });
  const invite = sentInvite(f);
  const firstAck = requestsOf(f.deliver(rawResponse(invite, 200, 'forkA', [], 'v=0\r\n')), 'ACK')[0];
  await call.result;
  const again = requestsOf(f.deliver(rawResponse(invite, 200, 'forkA', [], 'v=0\r\n')), 'ACK')[0];
  assert.equal(again, firstAck, 'the stored ACK is re-sent unchanged');
  const fork = f.deliver(rawResponse(invite, 200, 'forkB', [], 'v=0\r\n'));
  assert.deepEqual(requestsOf(fork).map((r) => r.method), ['ACK', 'BYE']);
  assert.match(requestsOf(fork, 'BYE')[0].headers.get('To') ?? '', /tag=forkB/);
  assert.equal(f.ua.stats().dialogs, 1);
});

test('CANCEL waits for a provisional (§9.1), copies the INVITE branch and CSeq; 487 fails the call', async () => {
  const f = await new FakeUa().start();
  const call = f.ua.invite({ target: TARGET, body: OFFER });
  const invite = sentInvite(f);
  call.cancel();
  assert.equal(f.taken().length, 0, 'no CANCEL before a provisional');
  const [cancel] = requestsOf(f.deliver(rawResponse(invite, 180, 'bobtag')), 'CANCEL');
  assert.ok(cancel);
  assert.equal(getTopVia(cancel)?.params.get('branch'), getTopVia(invite)?.params.get('branch'));
  assert.equal(cancel.headers.get('CSeq'), '1 CANCEL');
  assert.equal(cancel.headers.get('To'), invite.headers.get('To'));
  f.deliver(rawResponse(cancel, 200, 'bobtag'));
  const acked = requestsOf(f.deliver(rawResponse(invite, 487, 'bobtag')), 'ACK');
  assert.equal(acked.length, 1, 'the transaction ACKs the 487 (§17.1.1.3)');
  await assert.rejects(call.result, failsWith(487));
});

test('CANCEL without any final response: the INVITE counts as cancelled after 64*T1', async () => {
  const f = await new FakeUa().start();
  const call = f.ua.invite({ target: TARGET, body: OFFER });
  const invite = sentInvite(f);
  f.deliver(rawResponse(invite, 180, 'bobtag'));
  call.cancel();
  assert.equal(requestsOf(f.taken(), 'CANCEL').length, 1);
  f.clock.advance(32_000);
  await assert.rejects(call.result, failsWith(487));
  assert.equal(f.ua.stats().pendingOutgoing, 0);
  assert.equal(f.ua.stats().clientTransactions, 0, 'neither the INVITE nor the CANCEL transaction is left behind');
});

test('no response at all: Timer B → 408', async () => {
  const f = await new FakeUa().start();
  const call = f.ua.invite({ target: TARGET, body: OFFER });
  f.clock.advance(32_000);
  await assert.rejects(call.result, failsWith(408));
  assert.equal(requestsOf(f.taken(), 'INVITE').length, 7, 'Timer A retransmissions at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s');
});

test('407: one retry with Proxy-Authorization, CSeq 2, new branch; a second 407 fails the call', async () => {
  const f = await new FakeUa().start();
  const call = f.ua.invite({ target: TARGET, body: OFFER, credentials: { username: 'u', password: 'p' } });
  const first = sentInvite(f);
  const challenge: [string, string] = ['Proxy-Authenticate', 'Digest realm="proxy", nonce="n1", qop="auth"'];
  const retry = requestsOf(f.deliver(rawResponse(first, 407, 'p1', [challenge])), 'INVITE')[0];
  assert.equal(retry.headers.get('CSeq'), '2 INVITE');
  assert.equal(retry.headers.get('Call-ID'), first.headers.get('Call-ID'));
  assert.notEqual(getTopVia(retry)?.params.get('branch'), getTopVia(first)?.params.get('branch'));
  assert.match(retry.headers.get('Proxy-Authorization') ?? '', /^Digest username="u", realm="proxy", nonce="n1", uri="sip:100@192\.0\.2\.9:5070"/);
  f.deliver(rawResponse(retry, 407, 'p1', [challenge]));
  await assert.rejects(call.result, failsWith(407));
});

test('a failure response rejects with SipFailureError and ends the early dialog', async () => {
  const f = await new FakeUa().start();
  let early: SipDialog | undefined;
  const call = f.ua.invite({ target: TARGET, body: OFFER, onProgress: (_r, d) => { early = d; } });
  const invite = sentInvite(f);
  f.deliver(rawResponse(invite, 183, 'bobtag', [], 'v=0\r\n'));
  f.deliver(rawResponse(invite, 486, 'bobtag'));
  await assert.rejects(call.result, failsWith(486));
  assert.equal(early?.state, DialogState.Terminated);
  assert.equal(early?.endReason, 'rejected');
});

test('in-dialog requests go to the remote target; OPTIONS resolves with the final response', async () => {
  const f = await new FakeUa().start();
  const call = f.ua.invite({ target: TARGET, body: OFFER });
  f.deliver(rawResponse(sentInvite(f), 200, 'bobtag', [], 'v=0\r\n'));
  const { dialog } = await call.result;
  const info = dialog.request('INFO', { body: Buffer.from('Signal=1\r\n'), contentType: 'application/dtmf-relay' });
  const [{ msg, dest }] = f.transport.takeSent();
  assert.deepEqual(dest, { transport: 'udp', host: '192.0.2.9', port: 5060 });
  f.deliver(rawResponse(msg as SipRequest, 200));
  assert.equal((await info).status, 200);
  const options = f.ua.options('sip:192.0.2.9');
  const probe = requestsOf(f.taken(), 'OPTIONS')[0];
  assert.equal(probe.headers.get('Accept'), 'application/sdp');
  f.deliver(rawResponse(probe, 404, 'x'));
  assert.equal((await options).status, 404);
});
