import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sipLadder } from '../support/pcap/index.js';
import { describeSipp, startCapture, type ServerHandle } from '../support/peers/index.js';
import { testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { logTail, startDemoServer } from './server-fixture.js';
import { runScenario } from './sipp-scenario.js';

/** uac-malformed-then-call.xml: an INVITE with a non-numeric CSeq gets 400; the next, good call is answered. */

const ports = portBlock(PORT_SLOTS.malformed);
let server: ServerHandle | undefined;

before(async () => {
  server = await startDemoServer('malformed', ports);
});

after(async () => {
  await server?.stop();
});

test('INVITE with "CSeq: abc INVITE" → 400; then a well-formed call → 200, ACK, BYE → 200', { timeout: 60_000 }, async () => {
  const dir = testWorkDir('malformed');
  const capture = await startCapture(join(dir, 'lo.pcap'), `udp port ${ports.sip}`);
  const r = await runScenario({
    scenario: 'uac-malformed-then-call.xml', serverSipPort: ports.sip, localPort: ports.sippBase, mediaPort: ports.mediaBase, cwd: dir, timeoutSec: 30,
  });
  const ladder = sipLadder(await capture.stop(), ports.sip);
  const refusal = ladder.find((e) => e.cseq === 'abc INVITE' && e.status !== undefined);
  assert.equal(refusal?.status, 400, `answer to the malformed INVITE: ${refusal?.startLine ?? 'none'}`);
  // SIPp looks for the first "CSeq" anywhere in a response (status line included) to learn the method it answers.
  assert.doesNotMatch(refusal.startLine, /CSeq/, `"${refusal.startLine}": a reason phrase containing "CSeq" makes SIPp misread the 400 and abort; put the detail in a Warning header (RFC 3261 §20.43) instead`);
  assert.equal(r.code, 0, `${describeSipp(r)}\n${logTail(server!)}`);
  assert.equal(server!.process.running, true, 'server still running');
  assert.equal(await server!.healthz(), 200);
});
