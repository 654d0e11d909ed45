/**
 * Ladder tests: two SipUserAgents back to back over real UDP/TCP sockets on 127.0.0.1, timers on a FakeClock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipFailureError, isSwitchboardError } from '../../common/index.js';
import { DialogState, type SipDialog } from '../dialog/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { startUaPair, type UaPair } from '../../../test/support/sip-ua-pair.js';
import { formatDigestChallenge, parseDigestCredentials, verifyDigestCredentials } from './digest.js';
import type { IncomingInvite } from './ua-types.js';

const OFFER = Buffer.from('v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n');
const ANSWER = Buffer.from('v=0\r\no=bob 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n');
const HOLD = Buffer.from(`${OFFER.toString()}a=sendonly\r\n`);

function nextInvite(pair: UaPair): Promise<IncomingInvite> {
  return new Promise((resolve) => {
    pair.bob.onInvite = resolve;
  });
}

function failsWith(status: number): (e: unknown) => boolean {
  return (e) => e instanceof SipFailureError && e.status === status;
}

async function establish(pair: UaPair): Promise<{ alice: SipDialog; bob: SipDialog }> {
  const incoming = nextInvite(pair);
  const call = pair.alice.invite({ target: pair.bobUri('ivr'), body: OFFER });
  const accepted = (await incoming).accept(ANSWER);
  const [{ dialog: alice }, { dialog: bob }] = await Promise.all([call.result, accepted]);
  return { alice, bob };
}

for (const transport of ['udp', 'tcp'] as const) {
  test(`${transport}: INVITE → 100 → 180 → 200 → ACK → BYE → 200`, async () => {
    const pair = await startUaPair(transport);
    try {
      const progress: number[] = [];
      const incoming = nextInvite(pair);
      const call = pair.alice.invite({
        target: pair.bobUri('ivr'), body: OFFER, fromDisplay: 'Alice', onProgress: (r) => progress.push(r.status),
      });
      const invite = await incoming;
      assert.equal(invite.requestUser, 'ivr');
      assert.deepEqual(invite.offer, OFFER);
      assert.match(invite.fromUri, /^sip:alice@127\.0\.0\.1:\d+$/);
      assert.equal(invite.request.headers.get('CSeq'), '1 INVITE');
      assert.equal(invite.source.transport, transport);
      // §17.2.1: with no answer from the TU within 200 ms the transaction sends 100 Trying.
      pair.clock.advance(200);
      invite.progress(180);
      const accepted = invite.accept(ANSWER);
      const { dialog: alice, response } = await call.result;
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, ANSWER);
      assert.match(response.headers.get('Contact') ?? '', transport === 'tcp' ? /;transport=tcp>$/ : /^<sip:bob@/);
      const { dialog: bob, ackBody } = await accepted;
      assert.equal(ackBody, undefined);
      assert.deepEqual(progress, [100, 180]);
      assert.equal(alice.state, DialogState.Confirmed);
      assert.equal(bob.state, DialogState.Confirmed);
      assert.equal(alice.id.callId, bob.id.callId);
      assert.equal(alice.id.remoteTag, bob.id.localTag);
      assert.equal(pair.alice.stats().dialogs, 1);
      assert.equal(pair.bob.stats().dialogs, 1);

      const byeSeen = new Promise<SipRequest>((resolve) => {
        bob.onBye = resolve;
      });
      const bobEnded = new Promise<string>((resolve) => {
        bob.onTerminated = resolve;
      });
      await alice.bye();
      assert.equal((await byeSeen).method, 'BYE');
      assert.equal(await bobEnded, 'remote-bye');
      assert.equal(alice.endReason, 'local-bye');
      assert.equal(pair.alice.stats().dialogs, 0);
      assert.equal(pair.bob.stats().dialogs, 0);
    } finally {
      await pair.close();
    }
  });

  test(`${transport}: CANCEL after 180 → 200 to CANCEL, 487 to the INVITE`, async () => {
    const pair = await startUaPair(transport);
    try {
      const incoming = nextInvite(pair);
      let ringing!: () => void;
      const rang = new Promise<void>((resolve) => {
        ringing = resolve;
      });
      const call = pair.alice.invite({
        target: pair.bobUri('ivr'), body: OFFER, onProgress: (r) => r.status === 180 && ringing(),
      });
      const invite = await incoming;
      const cancelled = new Promise<void>((resolve) => {
        invite.onCancel = resolve;
      });
      invite.progress(180);
      await rang;
      call.cancel();
      await assert.rejects(call.result, failsWith(487));
      await cancelled;
      await assert.rejects(invite.accept(ANSWER), failsWith(487));
      assert.equal(pair.bob.stats().pendingIncoming, 0);
      assert.equal(pair.alice.stats().pendingOutgoing, 0);
    } finally {
      await pair.close();
    }
  });
}

test('tcp: the callee hangs up; its BYE reaches the caller', async () => {
  const pair = await startUaPair('tcp');
  try {
    const { alice, bob } = await establish(pair);
    const ended = new Promise<string>((resolve) => {
      alice.onTerminated = resolve;
    });
    await bob.bye();
    assert.equal(await ended, 'remote-bye');
    assert.equal(pair.alice.stats().dialogs, 0);
  } finally {
    await pair.close();
  }
});

test('401 challenge: one retry with credentials, same Call-ID and From tag, CSeq + 1', async () => {
  const pair = await startUaPair('udp');
  try {
    const seen: SipRequest[] = [];
    const accepted = new Promise<SipDialog>((resolve) => {
      pair.bob.onInvite = (invite) => {
        seen.push(invite.request);
        const auth = invite.request.headers.get('Authorization');
        if (auth === undefined) {
          invite.reject(401, 'Unauthorized', [['WWW-Authenticate', formatDigestChallenge({
            realm: 'switchboard', nonce: 'abc123', algorithm: 'SHA-256', qop: ['auth'], stale: false,
          })]]);
          return;
        }
        const ok = verifyDigestCredentials(parseDigestCredentials(auth), { method: 'INVITE', password: 'secret' });
        if (!ok) {
          invite.reject(403);
          return;
        }
        void invite.accept(ANSWER).then((a) => resolve(a.dialog));
      };
    });
    const call = pair.alice.invite({ target: pair.bobUri('ivr'), body: OFFER, credentials: { username: 'alice', password: 'secret' } });
    const { response } = await call.result;
    await accepted;
    assert.equal(response.status, 200);
    assert.equal(seen.length, 2);
    assert.equal(seen[1].headers.get('Call-ID'), seen[0].headers.get('Call-ID'));
    assert.equal(seen[1].headers.get('From'), seen[0].headers.get('From'));
    assert.equal(seen[0].headers.get('CSeq'), '1 INVITE');
    assert.equal(seen[1].headers.get('CSeq'), '2 INVITE');
    assert.match(seen[1].headers.get('Authorization') ?? '', /^Digest username="alice", realm="switchboard", .*algorithm=SHA-256/);

    const wrong = pair.alice.invite({ target: pair.bobUri('ivr'), body: OFFER, credentials: { username: 'alice', password: 'nope' } });
    await assert.rejects(wrong.result, failsWith(403));
  } finally {
    await pair.close();
  }
});

test('lost ACK: the UAS retransmits the 200 after T1 and the UAC ACKs it again (§13.3.1.4, §13.2.2.4)', async () => {
  const pair = await startUaPair('udp');
  try {
    let acks = 0;
    pair.aliceWire.drop = (m) => m.kind === 'request' && m.method === 'ACK' && acks++ === 0;
    const incoming = nextInvite(pair);
    const call = pair.alice.invite({ target: pair.bobUri('ivr'), body: OFFER });
    const accepted = (await incoming).accept(ANSWER);
    await call.result;
    assert.equal(acks, 1);
    assert.equal(pair.aliceWire.dropped.length, 1);
    pair.clock.advance(500);
    const { dialog } = await accepted;
    assert.equal(acks, 2);
    assert.equal(dialog.serverInvitePending, false);
    const okSent = pair.bobWire.sentMessages.filter((m) => m.kind === 'response' && m.status === 200);
    assert.equal(okSent.length, 2, 'the 200 went out twice');
  } finally {
    await pair.close();
  }
});

test('no ACK within 64*T1: accept() rejects and the UAS ends the call with BYE', async () => {
  const pair = await startUaPair('udp');
  try {
    pair.aliceWire.drop = (m) => m.kind === 'request' && m.method === 'ACK';
    const incoming = nextInvite(pair);
    const call = pair.alice.invite({ target: pair.bobUri('ivr'), body: OFFER });
    const accepted = (await incoming).accept(ANSWER);
    const { dialog: alice } = await call.result;
    const byeAtAlice = new Promise<void>((resolve) => {
      alice.onBye = () => resolve();
    });
    pair.clock.advance(32_000);
    await assert.rejects(accepted, (e: unknown) => isSwitchboardError(e, 'SWB_ERR_SIP_TRANSACTION_TIMEOUT'));
    await byeAtAlice;
    assert.equal(alice.state, DialogState.Terminated);
    assert.equal(pair.bob.stats().dialogs, 0);
  } finally {
    await pair.close();
  }
});

test('re-INVITE to hold: handed to onReinvite, answered, ACKed', async () => {
  const pair = await startUaPair('udp');
  try {
    const { alice, bob } = await establish(pair);
    const ackedAtBob = new Promise<Buffer | undefined>((resolve, reject) => {
      bob.onReinvite = (req, reply) => {
        assert.deepEqual(req.body, HOLD);
        reply(200, ANSWER).then(resolve, reject);
      };
    });
    const { response } = await alice.reinvite(HOLD);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, ANSWER);
    assert.equal(await ackedAtBob, undefined);
    assert.equal(alice.clientInvitePending, false);
    assert.equal(bob.serverInvitePending, false);
    assert.equal(bob.remoteSeq, alice.localSeq);
  } finally {
    await pair.close();
  }
});

test('glare: re-INVITEs crossing on the wire both get 491 (§14.2)', async () => {
  const pair = await startUaPair('udp');
  try {
    const { alice, bob } = await establish(pair);
    let handed = 0;
    alice.onReinvite = () => handed++;
    bob.onReinvite = () => handed++;
    const fromAlice = alice.reinvite(HOLD);
    const fromBob = bob.reinvite(HOLD);
    await assert.rejects(fromAlice, failsWith(491));
    await assert.rejects(fromBob, failsWith(491));
    assert.equal(handed, 0);
    assert.equal(alice.state, DialogState.Confirmed);
    assert.equal(bob.state, DialogState.Confirmed);
  } finally {
    await pair.close();
  }
});

test('OPTIONS out of dialog → 200 with Allow, Accept and Supported', async () => {
  const pair = await startUaPair('tcp', ['timer']);
  try {
    const res: SipResponse = await pair.alice.options(pair.bobUri('ivr'));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Allow') ?? '', /\bINVITE\b.*\bBYE\b.*\bOPTIONS\b/);
    assert.match(res.headers.get('Accept') ?? '', /application\/sdp/);
    assert.equal(res.headers.get('Supported'), 'timer');
    assert.equal(res.headers.get('Server'), 'bob-test');
  } finally {
    await pair.close();
  }
});

test('in-dialog: unknown method → 501, MESSAGE → 405 with Allow, INFO → onInfo status', async () => {
  const pair = await startUaPair('udp');
  try {
    const { alice, bob } = await establish(pair);
    assert.equal((await alice.request('FROBNICATE')).status, 501);
    const res405 = await alice.request('MESSAGE', { body: Buffer.from('hi'), contentType: 'text/plain' });
    assert.equal(res405.status, 405);
    assert.match(res405.headers.get('Allow') ?? '', /INVITE/);
    const infos: string[] = [];
    bob.onInfo = (req) => {
      infos.push(req.body.toString());
      return 200;
    };
    const info = await alice.request('INFO', { body: Buffer.from('Signal=5\r\nDuration=160\r\n'), contentType: 'application/dtmf-relay' });
    assert.equal(info.status, 200);
    assert.deepEqual(infos, ['Signal=5\r\nDuration=160\r\n']);
    assert.equal(alice.state, DialogState.Confirmed);
  } finally {
    await pair.close();
  }
});

test('late offer: INVITE without SDP → 200 with the offer → ACK with the answer', async () => {
  const pair = await startUaPair('udp');
  try {
    const incoming = nextInvite(pair);
    let offerSeen: Buffer | undefined;
    const call = pair.alice.invite({
      target: pair.bobUri('ivr'),
      ackBody: (res) => {
        offerSeen = res.body;
        return ANSWER;
      },
    });
    const invite = await incoming;
    assert.equal(invite.offer, undefined);
    const accepted = invite.accept(OFFER);
    await call.result;
    const { ackBody } = await accepted;
    assert.deepEqual(offerSeen, OFFER);
    assert.deepEqual(ackBody, ANSWER);
  } finally {
    await pair.close();
  }
});
