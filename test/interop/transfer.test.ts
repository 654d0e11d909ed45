import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Prompt, renderRingback } from '../../src/media/index.js';
import { sipLadder } from '../support/pcap/index.js';
import { describeSipp, runSipp, sippTraceArgs, startCapture, type SippResult } from '../support/peers/index.js';
import { testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { TransferStack, countPayloads, tonePcap, transferPeers } from './transfer-stack.js';
import { runScenario, scenarioFile } from './sipp-scenario.js';

/**
 * Transfers with real peers: Switchboard's call layer runs in this process (SIP transport, UA, worker media engine,
 * call manager, as src/app/server.ts builds them) with an application that transfers every call; a SIPp UAC is the
 * caller (uac-transfer-caller.xml) and a SIPp UAS the target. (1) the target answers: it checks the INVITE carried
 * X-Switchboard-Department (the scenario fails without it), media crosses the bridge both ways (the capture shows
 * each side's tone arriving at the other), it hangs up and the transfer resolves endedBy 'target' with the caller
 * still on (we then play a beep and BYE the caller); (2) 486 → busy; (3) a trunk that challenges with 401 gets the
 * trunk's credentials (SIPp verifyauth) and answers.
 */

const ports = portBlock(PORT_SLOTS.transfer);
const { callerPort, targetPort, callerMedia, targetMedia, targetUri: TARGET_URI } = transferPeers(ports);

let stack: TransferStack;

before(async () => {
  stack = await TransferStack.start(ports, { secure: { uri: `sip:127.0.0.1:${targetPort}`, username: 'switchboard', password: 's3cret' } });
});

after(async () => {
  await stack?.close();
});



function runTarget(scenario: string, dir: string): Promise<SippResult> {
  return runSipp([
    '-sf', scenarioFile(scenario), '-i', '127.0.0.1', '-p', String(targetPort), '-mi', '127.0.0.1', '-mp', String(targetMedia),
    '-m', '1', '-nostdin', '-timeout', '25s', '-timeout_error', '-cp', String(targetPort + 1000),
    ...sippTraceArgs(scenario.replace(/\.xml$/, '')),
  ], { cwd: dir, timeoutMs: 45_000 });
}

function runCaller(dir: string): Promise<SippResult> {
  return runScenario({
    scenario: 'uac-transfer-caller.xml', serverSipPort: ports.sip, localPort: callerPort, mediaPort: callerMedia, cwd: dir, timeoutSec: 25,
  });
}

test('bridge: the target gets the header, media crosses both ways, the target hangs up and the caller stays on', { timeout: 40_000 }, async () => {
  const dir = testWorkDir('transfer-bridge');
  const callerTone = tonePcap(join(dir, 'caller-tone.pcap'), 1500, 9000);
  const targetTone = tonePcap(join(dir, 'target-tone.pcap'), 600, 3000);
  stack.next = { target: TARGET_URI, headers: [['X-Switchboard-Department', 'sales']], ringTimeoutMs: 15_000, method: 'bridge' };
  const capture = await startCapture(join(dir, 'lo.pcap'), `udp and (port ${ports.sip} or port ${targetPort} or port ${callerMedia} or port ${targetMedia})`);
  const result = stack.nextResult();
  const target = runTarget('uas-answer-check-header-then-bye.xml', dir);
  const caller = runCaller(dir);
  const [t, c] = await Promise.all([target, caller]);
  const datagrams = await capture.stop();
  assert.equal(t.code, 0, `target:\n${describeSipp(t)}`);
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);

  const r = await result;
  assert.equal(r.outcome, 'bridged');
  assert.equal(r.outcome === 'bridged' && r.endedBy, 'target');
  assert.ok(r.outcome === 'bridged' && r.talkMs >= 3500 && r.talkMs < 8000, `talk time ${JSON.stringify(r)}`);
  // The target rang for 1 s: the caller heard the first second of ringback (its "on" period lasts 2 s).
  const ringback = Prompt.fromPcm(renderRingback('us'), 8000).pcmu;
  const ringbackFrames = new Set(Array.from({ length: 100 }, (_, i) => ringback.subarray(160 * i, 160 * (i + 1)).toString('hex')));
  const heardRingback = countPayloads(datagrams, callerMedia, ringbackFrames);
  assert.ok(heardRingback >= 30, `ringback reached the caller while the target rang: ${heardRingback} packets`);
  const toCaller = countPayloads(datagrams, callerMedia, targetTone);
  const toTarget = countPayloads(datagrams, targetMedia, callerTone);
  assert.ok(toCaller >= 100, `the target's tone reached the caller through the bridge: ${toCaller} packets`);
  assert.ok(toTarget >= 100, `the caller's tone reached the target through the bridge: ${toTarget} packets`);

  const ladder = sipLadder(datagrams, ports.sip);
  const targetBye = ladder.find((e) => e.method === 'BYE' && e.srcPort === targetPort);
  const callerBye = ladder.find((e) => e.method === 'BYE' && e.dstPort === callerPort);
  assert.ok(targetBye, 'the target hung up');
  assert.ok(callerBye && callerBye.timeSec > targetBye.timeSec + 0.25, 'the caller stayed on after the target left (the beep), then we hung up');
  await stack.assertNothingLeft();
});

test('busy: the target answers 486 → outcome busy', { timeout: 30_000 }, async () => {
  const dir = testWorkDir('transfer-busy');
  tonePcap(join(dir, 'caller-tone.pcap'), 1500, 3000);
  stack.next = { target: TARGET_URI, headers: [['X-Switchboard-Department', 'sales']], ringTimeoutMs: 15_000, method: 'bridge' };
  const result = stack.nextResult();
  const [t, c] = await Promise.all([runTarget('uas-busy-486.xml', dir), runCaller(dir)]);
  assert.equal(t.code, 0, `target:\n${describeSipp(t)}`);
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);
  assert.deepEqual(await result, { outcome: 'busy', status: 486, reason: 'Busy Here' });
  await stack.assertNothingLeft();
});

test('trunk with digest: the 401 is answered with the trunk credentials and the call is bridged', { timeout: 30_000 }, async () => {
  const dir = testWorkDir('transfer-digest');
  tonePcap(join(dir, 'caller-tone.pcap'), 1500, 5000);
  stack.next = { target: 'agent', trunk: 'secure', headers: [], ringTimeoutMs: 15_000, method: 'bridge' };
  const result = stack.nextResult();
  const [t, c] = await Promise.all([runTarget('uas-digest-401-then-answer.xml', dir), runCaller(dir)]);
  assert.equal(t.code, 0, `target:\n${describeSipp(t)}`);
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);
  const r = await result;
  assert.equal(r.outcome, 'bridged', JSON.stringify(r));
  assert.equal(r.outcome === 'bridged' && r.endedBy, 'target');
  await stack.assertNothingLeft();
});
