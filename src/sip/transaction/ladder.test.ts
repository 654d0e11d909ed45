import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../common/index.js';
import { SipHeaders, createResponse, getToTag, type SipRequest, type SipResponse } from '../message/index.js';
import { FakeSipTransport } from '../transport/index.js';
import { RecordingUser, makeRequest, recordingHandlers } from './transaction-fixtures.js';
import { TransactionLayer } from './transaction-layer.js';

/** Two transaction layers back to back over linked fake transports; each test reads like a ladder diagram. */
function pair() {
  const clock = new FakeClock();
  const aliceWire = new FakeSipTransport({ host: '192.0.2.2', port: 5060 });
  const ivrWire = new FakeSipTransport({ host: '192.0.2.1', port: 5060 });
  FakeSipTransport.link(aliceWire, ivrWire);
  const aliceUser = new RecordingUser();
  const ivrUser = new RecordingUser();
  const alice = new TransactionLayer(aliceWire, clock, aliceUser);
  const ivr = new TransactionLayer(ivrWire, clock, ivrUser);
  const step = (ms: number): void => {
    clock.advance(ms);
    aliceWire.flush();
  };
  return { clock, aliceWire, ivrWire, aliceUser, ivrUser, alice, ivr, step };
}

const IVR = { transport: 'udp', host: '192.0.2.1', port: 5060 } as const;

function ackFor(invite: SipRequest, ok: SipResponse): SipRequest {
  const headers = new SipHeaders([
    ['Via', 'SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bKack2xx'],
    ['Max-Forwards', '70'],
    ['From', invite.headers.get('From') ?? ''],
    ['To', ok.headers.get('To') ?? ''],
    ['Call-ID', invite.headers.get('Call-ID') ?? ''],
    ['CSeq', '1 ACK'],
  ]);
  return { kind: 'request', method: 'ACK', uri: 'sip:ivr@192.0.2.1', headers, body: Buffer.alloc(0) };
}

describe('INVITE ladder over a lossy UDP wire', () => {
  it('recovers a lost INVITE by Timer A; the IVR sees one INVITE, 100/180/200 reach Alice, her ACK reaches the IVR', () => {
    const t = pair();
    let invitesOnWire = 0;
    t.aliceWire.deliverFilter = (msg) => !(msg.kind === 'request' && msg.method === 'INVITE' && invitesOnWire++ === 0);
    const handlers = recordingHandlers();
    const invite = makeRequest('INVITE', { noVia: true });
    t.alice.sendRequest(invite, IVR, handlers);
    // Alice -> IVR: INVITE (lost)
    t.step(0);
    assert.equal(t.ivrUser.requests.length, 0);
    // Timer A: Alice -> IVR: INVITE
    t.step(500);
    assert.equal(t.ivrUser.requests.length, 1);
    const { tx, request } = t.ivrUser.requests[0];
    // IVR -> Alice: 100 Trying (by the transaction after 200 ms)
    t.step(200);
    // IVR -> Alice: 180 Ringing
    tx.respond(createResponse(request, 180, undefined, { toTag: 'ivr1' }));
    t.step(0);
    // Alice's INVITE retransmission was stopped by the 100; nothing more reaches the IVR.
    t.step(5_000);
    assert.equal(t.ivrUser.requests.length, 1);
    // IVR -> Alice: 200 OK
    const ok = createResponse(request, 200, undefined, { toTag: 'ivr1' });
    tx.respond(ok);
    t.step(0);
    assert.deepEqual(handlers.events, ['provisional 100', 'provisional 180', 'final 200']);
    assert.equal(getToTag(handlers.finals[0]), 'ivr1');
    // Alice -> IVR: ACK (a transaction of its own, §17.1.1.3)
    t.alice.sendStateless(ackFor(invite, handlers.finals[0]), IVR);
    t.step(0);
    assert.equal(t.ivrUser.acks.length, 1);
    t.step(40_000);
    assert.deepEqual(t.alice.stats(), { clientTransactions: 0, serverTransactions: 0 });
    assert.deepEqual(t.ivr.stats(), { clientTransactions: 0, serverTransactions: 0 });
    assert.equal(t.clock.pendingTimers(), 0);
  });

  it('recovers a lost 486 by Timer G; the IVR transaction ends on the retransmitted ACK path', () => {
    const t = pair();
    let finalsOnWire = 0;
    t.ivrWire.deliverFilter = (msg) => !(msg.kind === 'response' && msg.status === 486 && finalsOnWire++ === 0);
    t.ivrUser.whenRequest = (tx, req) => tx.respond(createResponse(req, 486, undefined, { toTag: 'busy' }));
    const handlers = recordingHandlers();
    t.alice.sendRequest(makeRequest('INVITE', { noVia: true }), IVR, handlers);
    t.step(0);
    assert.deepEqual(handlers.events, []);
    // Alice's Timer A (500 ms) and the IVR's Timer G (500 ms) both fire; either brings the 486 over.
    t.step(500);
    assert.deepEqual(handlers.events, ['final 486']);
    const ivrTx = t.ivrUser.requests[0].tx;
    assert.equal(ivrTx.state, 'Confirmed', 'the ACK built by Alice\'s transaction reached the IVR');
    assert.equal(t.ivrUser.requests.length, 1);
    assert.equal(t.ivrUser.acks.length, 0);
    t.step(5_000);
    assert.equal(ivrTx.state, 'Terminated');
  });

  it('answers OPTIONS over TCP with no retransmissions at all', () => {
    const t = pair();
    t.ivrUser.whenRequest = (tx, req) => tx.respond(createResponse(req, 200, undefined, { toTag: 'o1' }));
    const handlers = recordingHandlers();
    t.alice.sendRequest(makeRequest('OPTIONS', { noVia: true }), { ...IVR, transport: 'tcp' }, handlers);
    t.step(0);
    t.step(40_000);
    assert.deepEqual(handlers.events, ['final 200']);
    assert.equal(t.aliceWire.sent.length, 1);
    assert.equal(t.ivrWire.sent.length, 1);
    assert.equal(t.ivrUser.requests[0].source.transport, 'tcp');
    assert.equal(t.clock.pendingTimers(), 0);
  });
});
