import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCSeq, getTopVia, parseNameAddr } from '../sip/index.js';
import { requestsOf, responsesOf } from '../../test/support/sip-fake-ua.js';
import { CANCEL_GRACE_MS, outcomeOfFailure } from './bridge-transfer.js';
import type { TransferRequest, TransferResult } from './call-control.js';
import { TARGET_SDP, TransferScene, flush } from './transfer-scene.js';

const TARGET = 'sip:agent@192.0.2.20:5070';

function bridgeTo(target = TARGET, extra: Partial<TransferRequest> = {}): TransferRequest {
  return { target, headers: [['X-Switchboard-Department', 'sales']], ringTimeoutMs: 20_000, method: 'bridge', ...extra };
}

/** Nothing left behind: no leg media open, no dialog or pending INVITE in the UA but the caller's (if up). */
function assertClean(scene: TransferScene): void {
  assert.deepEqual(scene.legs().filter((s) => !s.closed).length, 0, 'every leg media session is closed');
  const stats = scene.f.ua.stats();
  assert.equal(stats.pendingOutgoing, 0, 'no INVITE pending');
  assert.equal(stats.dialogs, scene.call.ended ? 0 : 1, 'only the caller dialog, while the call is up');
}

test('failure statuses map to busy, no-answer or failed', () => {
  assert.deepEqual(outcomeOfFailure(486, 'Busy Here', false), { outcome: 'busy', status: 486, reason: 'Busy Here' });
  assert.equal(outcomeOfFailure(600, 'Busy Everywhere', false).outcome, 'busy');
  assert.equal(outcomeOfFailure(603, 'Decline', false).outcome, 'busy');
  assert.equal(outcomeOfFailure(408, 'Request Timeout', false).outcome, 'no-answer');
  assert.equal(outcomeOfFailure(480, 'Temporarily Unavailable', false).outcome, 'no-answer');
  assert.equal(outcomeOfFailure(487, 'Request Terminated', true).outcome, 'no-answer');
  assert.deepEqual(outcomeOfFailure(487, 'Request Terminated', false), { outcome: 'failed', status: 487, reason: 'Request Terminated' });
  assert.deepEqual(outcomeOfFailure(404, 'Not Found', false), { outcome: 'failed', status: 404, reason: 'Not Found' });
  assert.deepEqual(outcomeOfFailure(503, 'Service Unavailable', false), { outcome: 'failed', status: 503, reason: 'Service Unavailable' });
});

test('answered: INVITE with our offer, the headers and the caller as From; ringback until 200, then bridged; the target BYE leaves the caller up', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(bridgeTo());
  const invite = await scene.sentRequest('INVITE');
  assert.equal(invite.uri, TARGET);
  assert.equal(invite.headers.get('X-Switchboard-Department'), 'sales');
  assert.equal(parseNameAddr(invite.headers.get('From') ?? '').uri, 'sip:alice@192.0.2.1:5060');
  assert.match(invite.body.toString(), /m=audio 4000\d RTP\/AVP 0 8 101/);
  const [leg] = scene.legs();
  assert.equal(leg.near, scene.callerMedia, 'the leg lives next to the caller media, so the two can be bridged');
  assert.equal(scene.callerMedia.playing, 2, 'ringback queued back to back');
  const first = scene.callerMedia.played[0][0];
  assert.equal(first.kind === 'prompt' ? first.prompt.name : first.kind, 'ringback');
  scene.callerMedia.finishPlay('finished');
  assert.equal(scene.callerMedia.playing, 2, 'ringback loops');

  scene.respond(invite, 180, 'agent1');
  scene.callerMedia.press('5');
  assert.equal(scene.callerMedia.stops, 0, 'a key does not stop ringback');
  scene.f.clock.advance(4000);
  const ack = requestsOf(scene.respond(invite, 200, 'agent1', TARGET_SDP), 'ACK');
  assert.equal(ack.length, 1);
  await flush();
  assert.equal(scene.callerMedia.playing, 0, 'ringback stopped');
  assert.deepEqual({ address: leg.config?.remoteAddress, port: leg.config?.remotePort, codec: leg.config?.codec }, { address: '192.0.2.20', port: 5000, codec: 'pcmu' });
  assert.equal(scene.callerMedia.bridgedTo, leg);

  scene.f.clock.advance(61_000);
  const ok = scene.targetBye(invite, 'agent1');
  assert.equal(ok?.status, 200);
  const r = await result;
  assert.deepEqual(r, { outcome: 'bridged', endedBy: 'target', talkMs: 61_000 });
  assert.equal(scene.call.ended, false, 'the caller stays on');
  assert.equal(scene.callerMedia.bridgedTo, undefined);
  const keys = scene.call.collectDigits({ maxDigits: 1, firstDigitTimeoutMs: 10 });
  scene.f.clock.advance(10);
  assert.deepEqual(await keys, { digits: '', reason: 'timeout' }, 'keys pressed during the transfer are gone');
  assertClean(scene);
});

test('the caller hanging up while bridged sends BYE to the target and resolves endedBy caller', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(bridgeTo());
  const invite = await scene.sentRequest('INVITE');
  scene.respond(invite, 200, 'agent1', TARGET_SDP);
  await flush();
  scene.f.clock.advance(5000);
  const sent = scene.fromCaller('BYE');
  assert.equal(responsesOf(sent)[0]?.status, 200);
  const r = await result;
  assert.deepEqual(r, { outcome: 'bridged', endedBy: 'caller', talkMs: 5000 });
  const bye = requestsOf(await scene.sent(), 'BYE');
  assert.equal(bye.length, 1);
  assert.equal(bye[0].headers.get('Call-ID'), invite.headers.get('Call-ID'), 'the BYE is in the target leg');
  assert.ok(scene.call.ended);
  assertClean(scene);
});

test('ring timeout → CANCEL of the INVITE → 487 → no-answer', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(bridgeTo(TARGET, { ringTimeoutMs: 15_000 }));
  const invite = await scene.sentRequest('INVITE');
  scene.respond(invite, 180, 'agent1');
  scene.f.clock.advance(14_999);
  assert.equal(requestsOf(await scene.sent(), 'CANCEL').length, 0);
  scene.f.clock.advance(1);
  const cancel = await scene.sentRequest('CANCEL');
  assert.equal(getTopVia(cancel)?.params.get('branch'), getTopVia(invite)?.params.get('branch'), 'RFC 3261 §9.1: the INVITE branch');
  assert.equal(getCSeq(cancel)?.seq, getCSeq(invite)?.seq);
  scene.respond(cancel, 200);
  scene.respond(invite, 487, 'agent1');
  const r = await result;
  assert.equal(r.outcome, 'no-answer');
  assert.equal(scene.callerMedia.playing, 0, 'ringback stopped');
  assertClean(scene);
});

test('ring timeout with no answer to the CANCEL: no-answer after the grace period', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(bridgeTo(TARGET, { ringTimeoutMs: 10_000 }));
  const invite = await scene.sentRequest('INVITE');
  scene.respond(invite, 180, 'agent1');
  scene.f.clock.advance(10_000);
  await scene.sentRequest('CANCEL');
  let settled: TransferResult | undefined;
  void result.then((r) => { settled = r; });
  scene.f.clock.advance(CANCEL_GRACE_MS - 1);
  await flush();
  assert.equal(settled, undefined);
  scene.f.clock.advance(1);
  assert.deepEqual(await result, { outcome: 'no-answer', reason: 'no final response to our CANCEL' });
  assert.equal(scene.legs()[0].closed, true);
});

test('the caller hanging up while the target rings CANCELs the attempt', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(bridgeTo());
  const invite = await scene.sentRequest('INVITE');
  scene.respond(invite, 180, 'agent1');
  const [cancel] = requestsOf([...scene.fromCaller('BYE'), ...await scene.sent()], 'CANCEL');
  assert.ok(cancel, 'a CANCEL was sent');
  scene.respond(cancel, 200);
  scene.respond(invite, 487, 'agent1');
  assert.deepEqual(await result, { outcome: 'failed', reason: 'caller hung up' });
  assertClean(scene);
});

test('486, 603 and 480 from the target: busy, busy, no-answer; 404 is failed with the status', async () => {
  for (const [status, outcome] of [[486, 'busy'], [603, 'busy'], [480, 'no-answer'], [404, 'failed']] as const) {
    const scene = await TransferScene.start();
    const result = scene.call.transfer(bridgeTo());
    const invite = await scene.sentRequest('INVITE');
    scene.respond(invite, 100);
    scene.respond(invite, status, 'agent1');
    const r = await result;
    assert.equal(r.outcome, outcome, `status ${status}`);
    assert.equal('status' in r ? r.status : undefined, status);
    assert.equal(scene.call.ended, false);
    assertClean(scene);
  }
});

test('a number through a trunk: Request-URI at the trunk host with its transport, digest answered with the trunk credentials', async () => {
  const scene = await TransferScene.start({
    trunks: { pbx: { uri: 'sip:192.0.2.30:5080;transport=tcp', username: 'acct', password: 'pw', fromUser: '4420' } },
  });
  const result = scene.call.transfer(bridgeTo('+15550100#9', { trunk: 'pbx' }));
  const first = await scene.sentRequest('INVITE');
  assert.equal(first.uri, 'sip:+15550100%239@192.0.2.30:5080;transport=tcp', 'RFC 3261 §19.1.2: # is escaped in the user part');
  assert.equal(parseNameAddr(first.headers.get('From') ?? '').uri, 'sip:4420@192.0.2.1:5060');
  const reaction = scene.respond(first, 401, 'pbx1', undefined, [['WWW-Authenticate', 'Digest realm="pbx", nonce="abc123", algorithm=MD5']]);
  assert.equal(requestsOf(reaction, 'ACK').length, 1, 'RFC 3261 §17.1.1.3: the 401 is ACKed');
  const [second] = requestsOf(reaction, 'INVITE');
  assert.ok(second, 'the INVITE is sent again with credentials');
  assert.match(second.headers.get('Authorization') ?? '', /^Digest .*username="acct".*realm="pbx"/);
  assert.equal(getCSeq(second)?.seq, (getCSeq(first)?.seq ?? 0) + 1);
  scene.respond(second, 200, 'pbx2', TARGET_SDP);
  await flush();
  scene.fromCaller('BYE');
  assert.equal((await result).outcome, 'bridged');
  assertClean(scene);
});

test('an unknown trunk or a target that is no SIP URI fails at once, with no INVITE and no media', async () => {
  const scene = await TransferScene.start();
  const unknown = await scene.call.transfer(bridgeTo('100', { trunk: 'nope' }));
  assert.deepEqual(unknown, { outcome: 'failed', reason: 'unknown trunk "nope"' });
  const notUri = await scene.call.transfer(bridgeTo('100'));
  assert.equal(notUri.outcome, 'failed');
  assert.equal(requestsOf(await scene.sent(), 'INVITE').length, 0);
  assert.equal(scene.legs().length, 0);
});

test('an answer without usable SDP ends the leg with a BYE: failed 488', async () => {
  const scene = await TransferScene.start();
  const result = scene.call.transfer(bridgeTo());
  const invite = await scene.sentRequest('INVITE');
  scene.respond(invite, 200, 'agent1', TARGET_SDP.replace('RTP/AVP 0', 'RTP/AVP 18'));
  const r = await result;
  assert.equal(r.outcome, 'failed');
  assert.equal('status' in r ? r.status : undefined, 488);
  assert.equal(requestsOf(await scene.sent(), 'BYE').length, 1);
  assertClean(scene);
});

test('no media session for the leg: failed 503, and nothing was sent', async () => {
  const scene = await TransferScene.start();
  scene.engine.failCreate = new Error('no ports');
  assert.deepEqual(await scene.call.transfer(bridgeTo()), { outcome: 'failed', status: 503, reason: 'no media session for the transfer' });
  assert.equal(requestsOf(await scene.sent(), 'INVITE').length, 0);
  assert.equal(scene.call.ended, false);
});

test('a second transfer while one runs fails at once; the first goes on', async () => {
  const scene = await TransferScene.start();
  const first = scene.call.transfer(bridgeTo());
  const invite = await scene.sentRequest('INVITE');
  assert.deepEqual(await scene.call.transfer(bridgeTo()), { outcome: 'failed', reason: 'a transfer is already in progress' });
  scene.respond(invite, 486, 'agent1');
  assert.equal((await first).outcome, 'busy');
});
