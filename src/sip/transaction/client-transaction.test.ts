import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchboardError, isSwitchboardError } from '../../common/index.js';
import { getCSeq, getToTag, getTopVia, type SipRequest } from '../message/index.js';
import {
  PEER_TCP,
  PEER_UDP,
  harness,
  makeRequest,
  makeResponse,
  recordingHandlers,
  sendTimes,
} from './transaction-fixtures.js';
import { TransactionState } from './transaction-types.js';

describe('INVITE client transaction (RFC 3261 §17.1.1)', () => {
  it('retransmits over UDP with Timer A doubling from T1 until Timer B = 64*T1 reports a timeout', () => {
    const h = harness();
    const handlers = recordingHandlers();
    const tx = h.layer.sendRequest(makeRequest('INVITE'), PEER_UDP, handlers);
    assert.equal(h.transport.sent.length, 1);
    assert.equal(tx.state, TransactionState.Calling);
    const times = sendTimes(h, 40_000);
    assert.deepEqual(times, [500, 1500, 3500, 7500, 15_500, 31_500]);
    assert.deepEqual(handlers.events, ['timeout']);
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(h.layer.stats().clientTransactions, 0);
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('honours a configured T1', () => {
    const h = harness({ t1Ms: 100 });
    const handlers = recordingHandlers();
    h.layer.sendRequest(makeRequest('INVITE'), PEER_UDP, handlers);
    assert.deepEqual(sendTimes(h, 7_000, 10), [100, 300, 700, 1500, 3100, 6300]);
    assert.deepEqual(handlers.events, ['timeout']);
  });

  it('stops retransmitting on a provisional response and passes 1xx and the 2xx up once (Accepted, RFC 6026)', () => {
    const h = harness();
    const handlers = recordingHandlers({ with2xxHandler: true });
    const invite = makeRequest('INVITE');
    const tx = h.layer.sendRequest(invite, PEER_UDP, handlers);
    h.clock.advance(500);
    assert.equal(h.transport.sent.length, 2);
    h.transport.inject(makeResponse(invite, 180), PEER_UDP);
    assert.equal(tx.state, TransactionState.Proceeding);
    h.clock.advance(60_000);
    assert.equal(h.transport.sent.length, 2, 'no retransmission and no Timer B in Proceeding');
    h.transport.inject(makeResponse(invite, 200), PEER_UDP);
    h.transport.inject(makeResponse(invite, 200), PEER_UDP);
    assert.deepEqual(handlers.events, ['provisional 180', 'final 200', 'retransmitted 200']);
    assert.equal(tx.state, TransactionState.Accepted);
    assert.equal(h.transport.sent.length, 2, 'the transaction never ACKs a 2xx (§17.1.1.3)');
    h.clock.advance(32_000);
    assert.equal(tx.state, TransactionState.Terminated, 'Timer M = 64*T1');
    h.transport.inject(makeResponse(invite, 200), PEER_UDP);
    assert.equal(h.user.stray2xx.length, 1, 'a 2xx after the transaction ended goes to the UA core');
  });

  it('without onRetransmitted2xx, 2xx retransmissions in Accepted go to TransactionUser.onStray2xx', () => {
    const h = harness();
    const handlers = recordingHandlers();
    const invite = makeRequest('INVITE');
    h.layer.sendRequest(invite, PEER_UDP, handlers);
    h.transport.inject(makeResponse(invite, 200), PEER_UDP);
    h.transport.inject(makeResponse(invite, 200, 'other-fork'), PEER_UDP);
    assert.deepEqual(handlers.events, ['final 200']);
    assert.equal(h.user.stray2xx.length, 1);
    assert.equal(getToTag(h.user.stray2xx[0]), 'other-fork');
  });

  it('ACKs a non-2xx final response itself (§17.1.1.3) and re-sends that ACK for each retransmission', () => {
    const h = harness();
    const handlers = recordingHandlers();
    const invite = makeRequest('INVITE', { branch: 'z9hG4bKinv1', cseq: 7 });
    invite.headers.append('Route', '<sip:proxy.example.com;lr>');
    const tx = h.layer.sendRequest(invite, PEER_UDP, handlers);
    h.transport.takeSent();
    h.transport.inject(makeResponse(invite, 486, 'busy-tag'), PEER_UDP);
    assert.equal(tx.state, TransactionState.Completed);
    const [ack] = h.transport.takeSent();
    const ackRequest = ack.msg as SipRequest;
    assert.equal(ackRequest.method, 'ACK');
    assert.equal(ackRequest.uri, invite.uri);
    assert.deepEqual(getCSeq(ackRequest), { seq: 7, method: 'ACK' });
    assert.equal(getToTag(ackRequest), 'busy-tag');
    assert.equal(getTopVia(ackRequest)?.params.get('branch'), 'z9hG4bKinv1');
    assert.equal(ackRequest.headers.getAll('Via').length, 1);
    assert.equal(ackRequest.headers.get('Route'), '<sip:proxy.example.com;lr>');
    assert.equal(ackRequest.headers.get('Call-ID'), invite.headers.get('Call-ID'));
    h.transport.inject(makeResponse(invite, 486, 'busy-tag'), PEER_UDP);
    assert.equal(h.transport.takeSent().length, 1, 'ACK retransmitted');
    assert.deepEqual(handlers.events, ['final 486'], 'the retransmitted final is not passed up');
    h.clock.advance(31_999);
    assert.equal(tx.state, TransactionState.Completed);
    h.clock.advance(1);
    assert.equal(tx.state, TransactionState.Terminated, 'Timer D = 32 s');
  });

  it('over TCP sends once, still times out by Timer B, and ends at once after a non-2xx (Timer D = 0)', () => {
    const h = harness();
    const handlers = recordingHandlers();
    h.layer.sendRequest(makeRequest('INVITE', { transport: 'TCP' }), PEER_TCP, handlers);
    h.clock.advance(31_999);
    assert.equal(h.transport.sent.length, 1);
    assert.deepEqual(handlers.events, []);
    h.clock.advance(1);
    assert.deepEqual(handlers.events, ['timeout']);

    const invite = makeRequest('INVITE', { transport: 'TCP', branch: 'z9hG4bKtcp2' });
    const tx = h.layer.sendRequest(invite, PEER_TCP, recordingHandlers());
    h.transport.inject(makeResponse(invite, 603), PEER_TCP);
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(h.transport.sent.at(-1)?.msg.kind, 'request');
    assert.equal((h.transport.sent.at(-1)?.msg as SipRequest).method, 'ACK');
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('reports a transport failure and terminates (§17.1.4)', () => {
    const h = harness();
    const handlers = recordingHandlers();
    h.transport.failOnSend = new SwitchboardError('SWB_ERR_SIP_TRANSPORT', 'connection refused');
    const tx = h.layer.sendRequest(makeRequest('INVITE'), PEER_UDP, handlers);
    assert.deepEqual(handlers.events, ['transport error: connection refused']);
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(h.layer.stats().clientTransactions, 0);
  });

  it('throws a synchronous transport failure to the caller and keeps no transaction', () => {
    const h = harness();
    h.transport.throwOnSend = new SwitchboardError('SWB_ERR_SIP_TRANSPORT', 'not listening');
    assert.throws(
      () => h.layer.sendRequest(makeRequest('INVITE'), PEER_UDP, recordingHandlers()),
      (err) => isSwitchboardError(err, 'SWB_ERR_SIP_TRANSPORT'),
    );
    assert.equal(h.layer.stats().clientTransactions, 0);
    assert.equal(h.clock.pendingTimers(), 0);
  });
});

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('retransmits over UDP with Timer E doubling up to T2 until Timer F = 64*T1', () => {
    const h = harness();
    const handlers = recordingHandlers();
    const tx = h.layer.sendRequest(makeRequest('OPTIONS'), PEER_UDP, handlers);
    const times = sendTimes(h, 33_000);
    assert.deepEqual(times, [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    assert.deepEqual(handlers.events, ['timeout']);
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('in Proceeding retransmits every T2, and a final response stops it; Timer K = T4 then ends it', () => {
    const h = harness();
    const handlers = recordingHandlers();
    const bye = makeRequest('BYE', { toTag: 'to1' });
    const tx = h.layer.sendRequest(bye, PEER_UDP, handlers);
    h.clock.advance(500);
    h.transport.inject(makeResponse(bye, 100), PEER_UDP);
    assert.equal(tx.state, TransactionState.Proceeding);
    assert.deepEqual(sendTimes(h, 9_000), [1500, 5500, 9500]);
    h.transport.inject(makeResponse(bye, 200), PEER_UDP);
    h.transport.inject(makeResponse(bye, 200), PEER_UDP);
    assert.deepEqual(handlers.events, ['provisional 100', 'final 200'], 'the retransmitted 200 is absorbed');
    assert.equal(tx.state, TransactionState.Completed);
    const sent = h.transport.sent.length;
    h.clock.advance(4_999);
    assert.equal(tx.state, TransactionState.Completed);
    assert.equal(h.transport.sent.length, sent);
    h.clock.advance(1);
    assert.equal(tx.state, TransactionState.Terminated);
  });

  it('over TCP never retransmits and ends as soon as the final response arrives (Timer K = 0)', () => {
    const h = harness();
    const handlers = recordingHandlers();
    const options = makeRequest('OPTIONS', { transport: 'TCP' });
    const tx = h.layer.sendRequest(options, PEER_TCP, handlers);
    h.clock.advance(20_000);
    assert.equal(h.transport.sent.length, 1);
    h.transport.inject(makeResponse(options, 200), PEER_TCP);
    assert.deepEqual(handlers.events, ['final 200']);
    assert.equal(tx.state, TransactionState.Terminated);
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('keeps a CANCEL apart from its INVITE: same branch, different method (§17.1.3)', () => {
    const h = harness();
    const inviteHandlers = recordingHandlers();
    const cancelHandlers = recordingHandlers();
    const invite = makeRequest('INVITE', { branch: 'z9hG4bKshared' });
    h.layer.sendRequest(invite, PEER_UDP, inviteHandlers);
    const cancel = makeRequest('CANCEL', { branch: 'z9hG4bKshared' });
    h.layer.sendRequest(cancel, PEER_UDP, cancelHandlers);
    assert.equal(h.layer.stats().clientTransactions, 2);
    h.transport.inject(makeResponse(cancel, 200), PEER_UDP);
    h.transport.inject(makeResponse(invite, 487), PEER_UDP);
    assert.deepEqual(cancelHandlers.events, ['final 200']);
    assert.deepEqual(inviteHandlers.events, ['final 487']);
  });

  it('adds a Via with our sent-by, a new magic-cookie branch and rport when the request has none', () => {
    const h = harness();
    const request = makeRequest('REGISTER', { noVia: true });
    h.layer.sendRequest(request, PEER_UDP, recordingHandlers());
    const via = getTopVia(h.transport.sent[0].msg);
    assert.equal(via?.host, '192.0.2.1');
    assert.equal(via?.port, 5060);
    assert.equal(via?.transport, 'UDP');
    assert.match(via?.params.get('branch') ?? '', /^z9hG4bK.{8,}/);
    assert.equal(via?.params.get('rport'), '');
  });

  it('refuses ACK (sent with sendStateless) and a branch already in use', () => {
    const h = harness();
    assert.throws(
      () => h.layer.sendRequest(makeRequest('ACK'), PEER_UDP, recordingHandlers()),
      (err) => isSwitchboardError(err, 'SWB_ERR_SIP_TRANSACTION_STATE'),
    );
    h.layer.sendRequest(makeRequest('OPTIONS'), PEER_UDP, recordingHandlers());
    assert.throws(
      () => h.layer.sendRequest(makeRequest('OPTIONS'), PEER_UDP, recordingHandlers()),
      (err) => isSwitchboardError(err, 'SWB_ERR_SIP_TRANSACTION_STATE'),
    );
    h.layer.sendStateless(makeRequest('ACK', { branch: 'z9hG4bKack' }), PEER_UDP);
    assert.equal((h.transport.sent.at(-1)?.msg as SipRequest).method, 'ACK');
  });
});
