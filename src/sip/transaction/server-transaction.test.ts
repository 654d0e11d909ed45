import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '../../common/index.js';
import type { SipResponse } from '../message/index.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { PEER_TCP, PEER_UDP, harness, makeRequest, makeResponse, sendTimes } from './transaction-fixtures.js';
import { TransactionState } from './transaction-types.js';

function statuses(sent: readonly { msg: { kind: string } }[]): number[] {
  return sent.filter((s) => s.msg.kind === 'response').map((s) => (s.msg as SipResponse).status);
}

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026)', () => {
  it('passes the INVITE up once, sends 100 Trying after 200 ms, and answers retransmissions with it', () => {
    const h = harness();
    const invite = makeRequest('INVITE');
    h.transport.inject(invite, PEER_UDP);
    assert.equal(h.user.requests.length, 1);
    const { tx } = h.user.requests[0];
    assert.equal(tx.state, TransactionState.Proceeding);
    h.clock.advance(199);
    assert.equal(h.transport.sent.length, 0);
    h.clock.advance(1);
    assert.deepEqual(statuses(h.transport.sent), [100]);
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    assert.deepEqual(statuses(h.transport.sent), [100, 100]);
    assert.equal(h.user.requests.length, 1, 'the retransmission never reaches the TU');
  });

  it('sends no 100 Trying when the TU answers within 200 ms, and re-sends its latest provisional', () => {
    const h = harness();
    h.user.whenRequest = (tx, req) => tx.respond(makeResponse(req, 180));
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    h.clock.advance(1_000);
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    assert.deepEqual(statuses(h.transport.sent), [180, 180]);
  });

  it('retransmits a non-2xx final by Timer G (T1 doubling, capped at T2) until the ACK; Timer I then ends it', () => {
    const h = harness();
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    const { tx, request } = h.user.requests[0];
    tx.respond(makeResponse(request, 486));
    assert.equal(tx.state, TransactionState.Completed);
    assert.deepEqual(sendTimes(h, 12_000), [500, 1500, 3500, 7500, 11_500]);
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    assert.equal(statuses(h.transport.sent).length, 7, 'a retransmitted INVITE gets the final again');
    h.transport.inject(makeRequest('ACK', { toTag: 'to1' }), PEER_UDP);
    assert.equal(tx.state, TransactionState.Confirmed);
    assert.equal(h.user.acks.length, 0, 'the ACK for a non-2xx is absorbed by the transaction');
    const sent = h.transport.sent.length;
    h.transport.inject(makeRequest('ACK', { toTag: 'to1' }), PEER_UDP);
    h.clock.advance(4_999);
    assert.equal(h.transport.sent.length, sent, 'no retransmission in Confirmed');
    assert.equal(tx.state, TransactionState.Confirmed);
    h.clock.advance(1);
    assert.equal(tx.state, TransactionState.Terminated, 'Timer I = T4');
    assert.equal(h.layer.stats().serverTransactions, 0);
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('gives up at Timer H = 64*T1 without an ACK and tells the TU', () => {
    const h = harness();
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    const { tx, request } = h.user.requests[0];
    let timedOut = 0;
    tx.onTimeout = () => timedOut++;
    let terminated = 0;
    tx.onTerminated = () => terminated++;
    tx.respond(makeResponse(request, 404));
    h.clock.advance(31_999);
    assert.equal(tx.state, TransactionState.Completed);
    h.clock.advance(1);
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(timedOut, 1);
    assert.equal(terminated, 1);
  });

  it('after a 2xx absorbs INVITE retransmissions in Accepted, passes ACKs up and ends at Timer L', () => {
    const h = harness();
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    const { tx, request } = h.user.requests[0];
    tx.respond(makeResponse(request, 200));
    assert.equal(tx.state, TransactionState.Accepted);
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    assert.deepEqual(statuses(h.transport.sent), [200], 'the retransmitted INVITE is absorbed');
    assert.equal(h.user.requests.length, 1);
    tx.respond(makeResponse(request, 200));
    assert.deepEqual(statuses(h.transport.sent), [200, 200], 'the UA core retransmits its 2xx through Accepted');
    assert.throws(() => tx.respond(makeResponse(request, 486)), (err) => isSwitchboardError(err, 'SWB_ERR_SIP_TRANSACTION_STATE'));
    h.transport.inject(makeRequest('ACK', { toTag: 'to1' }), PEER_UDP);
    assert.equal(h.user.acks.length, 1, 'an ACK with the INVITE branch reaches the TU');
    h.clock.advance(32_000);
    assert.equal(tx.state, TransactionState.Terminated);
    h.transport.inject(makeRequest('ACK', { branch: 'z9hG4bKnewack', toTag: 'to1' }), PEER_UDP);
    assert.equal(h.user.acks.length, 2, 'the ACK for a 2xx is its own transaction and goes to onAck');
  });

  it('over TCP never retransmits the final and ends on the ACK at once (Timer I = 0)', () => {
    const h = harness();
    h.transport.inject(makeRequest('INVITE', { transport: 'TCP' }), PEER_TCP);
    const { tx, request, source } = h.user.requests[0];
    assert.equal(source.transport, 'tcp');
    tx.respond(makeResponse(request, 480));
    h.clock.advance(20_000);
    assert.deepEqual(statuses(h.transport.sent), [480]);
    h.transport.inject(makeRequest('ACK', { transport: 'TCP', toTag: 'to1' }), PEER_TCP);
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(h.clock.pendingTimers(), 0);
  });
});

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('absorbs retransmissions: none reach the TU, and in Completed each gets the final again until Timer J', () => {
    const h = harness();
    h.transport.inject(makeRequest('OPTIONS'), PEER_UDP);
    const { tx, request } = h.user.requests[0];
    assert.equal(tx.state, TransactionState.Trying);
    h.transport.inject(makeRequest('OPTIONS'), PEER_UDP);
    assert.equal(h.transport.sent.length, 0, 'discarded in Trying');
    tx.respond(makeResponse(request, 200));
    assert.equal(tx.state, TransactionState.Completed);
    h.transport.inject(makeRequest('OPTIONS'), PEER_UDP);
    h.transport.inject(makeRequest('OPTIONS'), PEER_UDP);
    assert.deepEqual(statuses(h.transport.sent), [200, 200, 200]);
    assert.equal(h.user.requests.length, 1);
    assert.throws(() => tx.respond(makeResponse(request, 500)), (err) => isSwitchboardError(err, 'SWB_ERR_SIP_TRANSACTION_STATE'));
    h.clock.advance(31_999);
    assert.equal(tx.state, TransactionState.Completed);
    h.clock.advance(1);
    assert.equal(tx.state, TransactionState.Terminated, 'Timer J = 64*T1');
    h.transport.inject(makeRequest('OPTIONS'), PEER_UDP);
    assert.equal(h.user.requests.length, 2, 'after Timer J the same request is new again');
  });

  it('re-sends the latest provisional for a retransmission in Proceeding', () => {
    const h = harness();
    h.transport.inject(makeRequest('REGISTER'), PEER_UDP);
    const { tx, request } = h.user.requests[0];
    tx.respond(makeResponse(request, 100));
    assert.equal(tx.state, TransactionState.Proceeding);
    h.transport.inject(makeRequest('REGISTER'), PEER_UDP);
    assert.deepEqual(statuses(h.transport.sent), [100, 100]);
  });

  it('over TCP ends as soon as the final response is sent (Timer J = 0)', () => {
    const h = harness();
    h.transport.inject(makeRequest('BYE', { transport: 'TCP', toTag: 'to1' }), PEER_TCP);
    const { tx, request } = h.user.requests[0];
    tx.respond(makeResponse(request, 200));
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(h.layer.stats().serverTransactions, 0);
  });

  it('responds to where the request came from, using received and rport (RFC 3581)', () => {
    const h = harness();
    const options = makeRequest('OPTIONS');
    options.headers.set('Via', 'SIP/2.0/UDP 10.0.0.9:5070;branch=z9hG4bKnat;rport');
    h.transport.inject(options, { transport: 'udp', host: '192.0.2.77', port: 40_001 });
    const { tx, request } = h.user.requests[0];
    tx.respond(makeResponse(request, 200));
    assert.deepEqual(h.transport.sent[0].dest, { transport: 'udp', host: '192.0.2.77', port: 40_001, connectionId: undefined });
  });
});

describe('a failing transaction user', () => {
  it('gets a 500 sent for it when onRequest throws, so the transaction still completes', () => {
    const h = harness();
    h.user.whenRequest = () => {
      throw new Error('bug in the UA core');
    };
    h.transport.inject(makeRequest('OPTIONS'), PEER_UDP);
    assert.deepEqual(statuses(h.transport.sent), [500]);
    assert.equal(h.user.requests[0].tx.state, TransactionState.Completed);
  });

  it('cannot break a timer: a throwing onTimeout still leaves the transaction terminated', () => {
    const h = harness();
    h.transport.inject(makeRequest('INVITE'), PEER_UDP);
    const { tx, request } = h.user.requests[0];
    tx.onTimeout = () => {
      throw new Error('bug in the UA core');
    };
    tx.respond(makeResponse(request, 603));
    h.clock.advance(32_000);
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(h.layer.stats().serverTransactions, 0);
  });
});

describe('CANCEL matching (RFC 3261 §9.2)', () => {
  it('finds the INVITE server transaction by branch and sent-by; the CANCEL is a transaction of its own', () => {
    const h = harness();
    h.transport.inject(makeRequest('INVITE', { branch: 'z9hG4bKinv' }), PEER_UDP);
    const invite = h.user.requests[0];
    const cancelled: string[] = [];
    invite.tx.onCancelled = (c) => cancelled.push(c.method);
    h.user.whenRequest = (tx, req) => {
      if (req.method !== 'CANCEL') return;
      const target = h.layer.findInviteServerTransaction(req);
      assert.equal(target, invite.tx);
      tx.respond(makeResponse(req, 200));
      target?.respond(makeResponse(invite.request, 487));
    };
    h.transport.inject(makeRequest('CANCEL', { branch: 'z9hG4bKinv' }), PEER_UDP);
    assert.deepEqual(cancelled, ['CANCEL']);
    assert.deepEqual(h.user.requests.map((r) => r.request.method), ['INVITE', 'CANCEL']);
    assert.deepEqual(statuses(h.transport.sent), [200, 487]);
    assert.equal(invite.tx.state, TransactionState.Completed);
    assert.ok(invite.tx instanceof InviteServerTransaction);
  });

  it('finds nothing for a CANCEL with another branch or from another sent-by', () => {
    const h = harness();
    h.transport.inject(makeRequest('INVITE', { branch: 'z9hG4bKinv' }), PEER_UDP);
    assert.equal(h.layer.findInviteServerTransaction(makeRequest('CANCEL', { branch: 'z9hG4bKother' })), undefined);
    const elsewhere = makeRequest('CANCEL', { branch: 'z9hG4bKinv' });
    elsewhere.headers.set('Via', 'SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKinv');
    assert.equal(h.layer.findInviteServerTransaction(elsewhere), undefined);
    assert.ok(h.layer.findInviteServerTransaction(makeRequest('CANCEL', { branch: 'z9hG4bKinv' })));
  });

  it('matches RFC 2543 requests without magic cookie by Call-ID, CSeq, From tag and sent-by', () => {
    const h = harness();
    h.transport.inject(makeRequest('INVITE', { branch: 'old1' }), PEER_UDP);
    h.transport.inject(makeRequest('INVITE', { branch: 'old1' }), PEER_UDP);
    assert.equal(h.user.requests.length, 1);
    h.transport.inject(makeRequest('INVITE', { branch: 'old1', cseq: 2 }), PEER_UDP);
    assert.equal(h.user.requests.length, 2);
  });
});
