import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readWav, sipLadder } from '../support/pcap/index.js';
import { describeSipp, startCapture, type ServerHandle } from '../support/peers/index.js';
import { interopMedia, testWorkDir, writeRtpPcap } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { logTail, rtpTimesTo, startDemoServer } from './server-fixture.js';
import { runScenario } from './sipp-scenario.js';

/**
 * uac-reinvite-hold-unhold.xml: the caller holds (re-INVITE a=sendonly) and resumes (a=sendrecv). The scenario
 * checks the answers (recvonly, then two-way); here the wire must show RFC 3264 §6.1 obeyed: a recvonly server
 * sends no RTP while held, and sends again once resumed (the greeting is still playing then).
 */

const ports = portBlock(PORT_SLOTS.reinviteHold);
let server: ServerHandle | undefined;

before(async () => {
  server = await startDemoServer('reinvite-hold', ports);
});

after(async () => {
  await server?.stop();
});

test('re-INVITE sendonly → 200 recvonly and the server goes quiet; re-INVITE sendrecv → 200 and media resumes', { timeout: 60_000 }, async () => {
  const media = await interopMedia();
  const dir = testWorkDir('reinvite-hold');
  writeRtpPcap(join(dir, 'caller-speech.pcap'), [{ kind: 'audio', samples: readWav(media.callerWav).samples }]);
  const mediaPort = ports.mediaBase;
  const capture = await startCapture(join(dir, 'lo.pcap'), `udp and (port ${ports.sip} or port ${mediaPort})`);
  const r = await runScenario({
    scenario: 'uac-reinvite-hold-unhold.xml', serverSipPort: ports.sip, localPort: ports.sippBase, mediaPort, cwd: dir, timeoutSec: 30,
  });
  const datagrams = await capture.stop();
  assert.equal(r.code, 0, `${describeSipp(r)}\n${logTail(server!)}`);

  const ladder = sipLadder(datagrams, ports.sip);
  const at = (pred: (e: (typeof ladder)[number]) => boolean, what: string): number => {
    const e = ladder.find(pred);
    assert.ok(e, `${what} is in the capture`);
    return e.timeSec;
  };
  const answered = at((e) => e.status === 200 && e.cseq === '1 INVITE', '200 to the INVITE');
  const holdAck = at((e) => e.method === 'ACK' && e.cseq === '2 ACK', 'ACK of the hold');
  const unhold = at((e) => e.method === 'INVITE' && e.cseq === '3 INVITE', 'the unhold re-INVITE');
  const unholdAck = at((e) => e.method === 'ACK' && e.cseq === '3 ACK', 'ACK of the unhold');
  const bye = at((e) => e.method === 'BYE', 'BYE');
  const rtp = rtpTimesTo(datagrams, mediaPort);
  const count = (from: number, to: number): number => rtp.filter((t) => t > from && t < to).length;

  assert.ok(count(answered, holdAck) > 20, `RTP before hold: ${count(answered, holdAck)} packets`);
  assert.equal(count(holdAck + 0.2, unhold), 0, 'no RTP from the server while it is recvonly');
  assert.ok(count(unholdAck + 0.3, bye) > 20, `RTP after unhold: ${count(unholdAck + 0.3, bye)} packets`);
});
