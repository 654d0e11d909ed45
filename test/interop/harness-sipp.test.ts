import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeRtp, matchEnvelope, readWav } from '../support/pcap/index.js';
import { describeSipp, spawnBounded, startCapture } from '../support/peers/index.js';
import { interopMedia, testWorkDir, writeRtpPcap } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { runScenario, scenarioFile } from './sipp-scenario.js';

/**
 * The harness checked against stand-ins, without our server: if these fail, the server tests' verdicts mean
 * nothing. A SIPp callee (built-in `uas`, or our ringing stand-in) takes the place of the server.
 */

const ports = portBlock(PORT_SLOTS.harnessSipp);

function startStandIn(dir: string, sipPort: number, mediaPort: number, scenario: string[], transport = 'u1') {
  return spawnBounded('sipp', [...scenario, '-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mediaPort),
    '-t', transport, '-m', '1', '-nostdin', '-timeout', '60s', '-cp', String(sipPort + 1000),
    '-trace_err', '-error_file', join(dir, 'standin_errors.log')], { cwd: dir, timeoutMs: 80_000 });
}

for (const transport of ['u1', 't1'] as const) {
  test(`harness (${transport === 'u1' ? 'UDP' : 'TCP'}): uac-call-dtmf-bye.xml plays our one-stream pcap; the callee gets the speech and digit 1`, { timeout: 120_000 }, async () => {
    const media = await interopMedia();
    const dir = testWorkDir(`harness-sipp-${transport}`);
    const caller = readWav(media.callerWav);
    const ssrc = transport === 'u1' ? 0x5eed0001 : 0x5eed0002;
    const pcapMs = writeRtpPcap(join(dir, 'caller-dtmf.pcap'), [
      { kind: 'audio', samples: caller.samples }, { kind: 'silence', ms: 300 }, { kind: 'dtmf', digits: '1' }, { kind: 'silence', ms: 300 },
    ], { ssrc });
    const offset = transport === 'u1' ? 0 : 1;
    const sipPort = ports.sip + offset;
    const calleeMedia = ports.mediaBase + 50 + 10 * offset;
    const callerMedia = ports.mediaBase + 10 * offset;
    const capture = await startCapture(join(dir, 'lo.pcap'), `udp port ${calleeMedia}`);
    const callee = startStandIn(dir, sipPort, calleeMedia, ['-sn', 'uas'], transport);
    await sleep(500);
    const r = await runScenario({
      scenario: 'uac-call-dtmf-bye.xml', serverSipPort: sipPort, localPort: ports.sippBase + offset, mediaPort: callerMedia,
      cwd: dir, transport, pauseMs: pcapMs + 500, service: 'standin',
    });
    const calleeExit = await callee.exited;
    const datagrams = await capture.stop();

    assert.equal(r.code, 0, describeSipp(r));
    // Over TCP the stand-in's closing pause is cut short when the caller closes the connection: only UDP tells.
    if (transport === 'u1') assert.equal(calleeExit.code, 0, callee.tail());
    const got = decodeRtp(datagrams, { dstPort: calleeMedia });
    assert.deepEqual(got.ssrcs, [ssrc], 'one stream, our SSRC');
    assert.ok(datagrams.every((d) => d.srcPort === callerMedia), 'SIPp sends from -mp (the port in its SDP), which the server latches');
    assert.deepEqual(got.digits.map((d) => d.digit), ['1']);
    const m = matchEnvelope(caller, got);
    assert.ok(m && m.correlation >= 0.95, `speech correlation ${m?.correlation}`);
  });
}

test('harness: uac-cancel-expect-487.xml cancels a ringing stand-in (CANCEL on the INVITE branch, 200, 487, ACK)', { timeout: 60_000 }, async () => {
  const dir = testWorkDir('harness-sipp-cancel');
  const sipPort = ports.sip + 2;
  const callee = startStandIn(dir, sipPort, ports.mediaBase + 70, ['-sf', scenarioFile('uas-ring-until-cancel.xml')]);
  await sleep(500);
  const r = await runScenario({
    scenario: 'uac-cancel-expect-487.xml', serverSipPort: sipPort, localPort: ports.sippBase + 2, mediaPort: ports.mediaBase + 20,
    cwd: dir, service: 'standin', timeoutSec: 20,
  });
  const calleeExit = await callee.exited;
  assert.equal(r.code, 0, describeSipp(r));
  assert.equal(calleeExit.code, 0, `stand-in callee did not see CANCEL and ACK as RFC 3261 §9 wants\n${callee.tail()}`);
  const sent = (r.files['uac-cancel-expect-487_messages.log'] ?? '').split(/^-{20,}.*$/m).filter((b) => /message sent/.test(b));
  const branches = sent.map((b) => `${/^(INVITE|CANCEL|ACK) /m.exec(b)?.[1]} ${/^Via: .*branch=([^;\s]+)/m.exec(b)?.[1]}`);
  assert.deepEqual(branches.map((b) => b.split(' ')[0]), ['INVITE', 'CANCEL', 'ACK']);
  assert.equal(new Set(branches.map((b) => b.split(' ')[1])).size, 1, `one branch for INVITE, CANCEL and ACK: ${branches.join(', ')}`);
});
