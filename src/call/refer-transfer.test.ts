import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSipMessage, type SipMessage, type SipRequest } from '../sip/index.js';
import { requestsOf, responsesOf } from '../../test/support/sip-fake-ua.js';
import type { TransferRequest, TransferResult } from './call-control.js';
import { REFER_MARGIN_MS, referNotifyStatus } from './refer-transfer.js';
import { TARGET_SDP, TransferScene, flush } from './transfer-scene.js';

const TARGET = 'sip:agent@192.0.2.20:5070';

function referTo(extra: Partial<TransferRequest> = {}): TransferRequest {
  return { target: TARGET, headers: [['X-Switchboard-Department', 'sales & support']], ringTimeoutMs: 20_000, method: 'refer', ...extra };
}

/**
 * A NOTIFY of the REFER's implicit subscription (RFC 3515 §2.4.4) from the caller, carrying `statusLine`; returns
 * our answer's status and everything we sent meanwhile.
 */
async function notify(scene: TransferScene, statusLine: string, state = 'active;expires=60'): Promise<{ status: number | undefined; sent: SipMessage[] }> {
  const sent = scene.fromCaller('NOTIFY', {
    body: `${statusLine}\r\n`, contentType: 'message/sipfrag', headers: ['Event: refer', `Subscription-State: ${state}`],
  });
  sent.push(...await scene.sent());
  return { status: responsesOf(sent)[0]?.status, sent };
}

function rawNotify(headers: string[], body: string): SipRequest {
  const text = ['NOTIFY sip:ivr@192.0.2.1 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKn1', 'From: <sip:a@b>;tag=1',
    'To: <sip:c@d>;tag=2', 'Call-ID: x', 'CSeq: 2 NOTIFY', ...headers, `Content-Length: ${body.length}`, '', body].join('\r\n');
  return parseSipMessage(Buffer.from(text)) as SipRequest;
}

test('sipfrag NOTIFYs: the status line counts, other events do not, a terminated subscription without a final is 0', () => {
  const frag = ['Event: refer', 'Content-Type: message/sipfrag'];
  assert.equal(referNotifyStatus(rawNotify(frag, 'SIP/2.0 100 Trying\r\n')), 100);
  assert.equal(referNotifyStatus(rawNotify([...frag, 'Subscription-State: terminated;reason=noresource'], 'SIP/2.0 200 OK\r\n')), 200);
  assert.equal(referNotifyStatus(rawNotify(['Event: refer;id=93809824', 'Content-Type: message/sipfrag;version=2.0'], 'SIP/2.0 486 Busy Here\r\n')), 486);
  assert.equal(referNotifyStatus(rawNotify(['Event: presence', 'Content-Type: message/sipfrag'], 'SIP/2.0 200 OK\r\n')), undefined);
  assert.equal(referNotifyStatus(rawNotify([...frag, 'Subscription-State: terminated;reason=timeout'], 'SIP/2.0 180 Ringing\r\n')), 0);
});

test('REFER accepted and the caller reaches the target: Refer-To with escaped headers, 1xx ignored, 2xx → referred and our BYE', async () => {
  const scene = await TransferScene.start({ allow: 'INVITE, ACK, BYE, CANCEL, REFER, NOTIFY' });
  const result = scene.call.transfer(referTo());
  const refer = await scene.sentRequest('REFER');
  assert.equal(refer.headers.get('Refer-To'), `<${TARGET}?X-Switchboard-Department=sales%20%26%20support>`);
  assert.equal(refer.headers.get('Referred-By'), '<sip:ivr@192.0.2.1>');
  assert.equal(refer.headers.get('Call-ID'), 'call-1@192.0.2.9', 'in the caller dialog');
  scene.respond(refer, 202);
  assert.equal((await notify(scene, 'SIP/2.0 100 Trying')).status, 200);
  assert.equal((await notify(scene, 'SIP/2.0 180 Ringing')).status, 200);
  let settled: TransferResult | undefined;
  void result.then((r) => { settled = r; });
  await flush();
  assert.equal(settled, undefined, '1xx sipfrags are only progress');
  const final = await notify(scene, 'SIP/2.0 200 OK', 'terminated;reason=noresource');
  assert.deepEqual(await result, { outcome: 'referred' });
  assert.ok(scene.call.ended);
  const after = [...final.sent, ...await scene.sent()];
  assert.deepEqual(after.map((m) => (m.kind === 'response' ? m.status : m.method)), [200, 'BYE'], 'the NOTIFY is answered, then our side ends');
  assert.equal(requestsOf(await scene.sent(), 'INVITE').length, 0);
  assert.equal(scene.legs().length, 0, 'no media was set up');
  assert.equal(scene.f.ua.stats().dialogs, 0);
});

test('a NOTIFY with the final 2xx before the 202 is kept until the REFER is accepted', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(referTo());
  const refer = await scene.sentRequest('REFER');
  assert.equal((await notify(scene, 'SIP/2.0 200 OK', 'terminated')).status, 200);
  scene.respond(refer, 202);
  assert.deepEqual(await result, { outcome: 'referred' });
});

for (const status of [603, 405, 501]) {
  test(`REFER refused with ${status} → bridged instead`, async () => {
    const scene = await TransferScene.start();
    const result = scene.call.transfer(referTo());
    scene.respond(await scene.sentRequest('REFER'), status);
    const invite = await scene.sentRequest('INVITE');
    assert.equal(invite.uri, TARGET);
    assert.equal(invite.headers.get('X-Switchboard-Department'), 'sales & support');
    scene.respond(invite, 200, 'agent1', TARGET_SDP);
    await flush();
    scene.targetBye(invite, 'agent1');
    const r = await result;
    assert.equal(r.outcome, 'bridged');
    assert.equal(scene.call.ended, false);
    assert.equal(scene.legs().filter((s) => !s.closed).length, 0);
  });
}

test('a failure sipfrag after the 202 falls back to bridging', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(referTo());
  scene.respond(await scene.sentRequest('REFER'), 202);
  await notify(scene, 'SIP/2.0 100 Trying');
  const [invite] = requestsOf((await notify(scene, 'SIP/2.0 486 Busy Here', 'terminated;reason=noresource')).sent, 'INVITE');
  assert.ok(invite, 'bridging instead');
  scene.respond(invite, 486, 'agent1');
  assert.equal((await result).outcome, 'busy');
});

test('no final NOTIFY within ring timeout + margin falls back to bridging', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(referTo({ ringTimeoutMs: 10_000 }));
  scene.respond(await scene.sentRequest('REFER'), 202);
  await notify(scene, 'SIP/2.0 100 Trying');
  scene.f.clock.advance(10_000 + REFER_MARGIN_MS - 1);
  assert.equal(requestsOf(await scene.sent(), 'INVITE').length, 0);
  scene.f.clock.advance(1);
  const invite = await scene.sentRequest('INVITE');
  scene.respond(invite, 480, 'agent1');
  assert.equal((await result).outcome, 'no-answer');
  assert.equal((await notify(scene, 'SIP/2.0 200 OK', 'terminated')).status, 200, 'a late NOTIFY is still answered');
});

test('a caller whose Allow omits REFER is bridged without trying', async () => {
  const scene = await TransferScene.start({ allow: 'INVITE, ACK, BYE, CANCEL, OPTIONS' });
  const result = scene.call.transfer(referTo());
  const msgs = await scene.sent();
  assert.equal(requestsOf(msgs, 'REFER').length, 0);
  const [invite] = requestsOf(msgs, 'INVITE');
  assert.ok(invite);
  scene.respond(invite, 603, 'agent1');
  assert.equal((await result).outcome, 'busy');
});

test('the caller hanging up while the REFER is pending ends the transfer without bridging', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(referTo());
  scene.respond(await scene.sentRequest('REFER'), 202);
  scene.fromCaller('BYE');
  assert.deepEqual(await result, { outcome: 'failed', reason: 'caller hung up' });
  assert.equal(requestsOf(await scene.sent(), 'INVITE').length, 0);
});
