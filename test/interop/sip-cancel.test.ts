import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sipLadder } from '../support/pcap/index.js';
import { describeSipp, startCapture, type ServerHandle } from '../support/peers/index.js';
import { testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { logTail, rtpTimesTo, startDemoServer } from './server-fixture.js';
import { runScenario } from './sipp-scenario.js';

/**
 * uac-cancel-expect-487.xml: the caller CANCELs once the server rings. RFC 3261 §9.2: 200 to the CANCEL, 487 to
 * the INVITE, which the ACK completes. The call never starts, so no prompt RTP may reach the caller afterwards.
 */

const ports = portBlock(PORT_SLOTS.cancel);
let server: ServerHandle | undefined;

before(async () => {
  // The server rings for 5 s before answering, so the caller has a window to CANCEL (§9.1).
  server = await startDemoServer('cancel', ports, { SWB_SIP_RING_BEFORE_ANSWER_MS: '5000' });
});

after(async () => {
  await server?.stop();
});

test('INVITE, 180, CANCEL → 200 and 487, ACK; no media follows and the server keeps serving', { timeout: 60_000 }, async () => {
  const dir = testWorkDir('cancel');
  const mediaPort = ports.mediaBase;
  const capture = await startCapture(join(dir, 'lo.pcap'), `udp and (port ${ports.sip} or port ${mediaPort})`);
  const r = await runScenario({
    scenario: 'uac-cancel-expect-487.xml', serverSipPort: ports.sip, localPort: ports.sippBase, mediaPort, cwd: dir, timeoutSec: 20,
  });
  await new Promise((res) => setTimeout(res, 1500));
  const datagrams = await capture.stop();
  const ladder = sipLadder(datagrams, ports.sip);
  const ringing = ladder.find((e) => e.status === 180);
  const firstFinal = ladder.find((e) => e.status !== undefined && e.status >= 200 && e.cseq.endsWith('INVITE'));
  assert.ok(ringing && (!firstFinal || ringing.timeSec <= firstFinal.timeSec),
    `a CANCEL needs a call that rings first (RFC 3261 §9.1: no CANCEL before a provisional response), but the server answered the INVITE with ${firstFinal?.startLine} and no 180 before it`);
  assert.equal(r.code, 0, `${describeSipp(r)}\n${logTail(server!)}`);

  const terminated = ladder.find((e) => e.status === 487);
  assert.ok(terminated, 'a 487 is on the wire');
  assert.ok(!ladder.some((e) => e.status === 200 && e.cseq.endsWith('INVITE')), 'the INVITE was never answered with 200');
  const late = rtpTimesTo(datagrams, mediaPort).filter((t) => t > terminated.timeSec + 0.3);
  assert.equal(late.length, 0, `RTP packets sent to the cancelled caller: ${late.length}`);
  assert.equal(await server!.healthz(), 200);
});
