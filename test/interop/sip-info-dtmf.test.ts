import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeRtp, matchEnvelope, sipLadder } from '../support/pcap/index.js';
import { describeSipp, startCapture, type ServerHandle } from '../support/peers/index.js';
import { durationMsOf, interopMedia, loadPcm, promptWavs, requiredCorrelation, testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { logTail, startDemoServer } from './server-fixture.js';
import { runScenario } from './sipp-scenario.js';

/**
 * uac-info-dtmf.xml: after the greeting the caller presses 0 by SIP INFO (application/dtmf-relay). The server
 * must answer the INFO, say "Goodbye." and hang up; the scenario fails unless the server's BYE arrives.
 */

const ports = portBlock(PORT_SLOTS.infoDtmf);
let server: ServerHandle | undefined;

before(async () => {
  server = await startDemoServer('info-dtmf', ports);
});

after(async () => {
  await server?.stop();
});

test('INFO Signal=0 after the greeting → server says goodbye, then sends BYE', { timeout: 90_000 }, async () => {
  const prompts = promptWavs(await interopMedia());
  const dir = testWorkDir('info-dtmf');
  const mediaPort = ports.mediaBase;
  const capture = await startCapture(join(dir, 'lo.pcap'), `udp and (port ${ports.sip} or port ${mediaPort})`);
  const r = await runScenario({
    scenario: 'uac-info-dtmf.xml', serverSipPort: ports.sip, localPort: ports.sippBase, mediaPort, cwd: dir,
    pauseMs: durationMsOf(prompts.greeting) + 1000, timeoutSec: 45,
  });
  const datagrams = await capture.stop();
  assert.equal(r.code, 0, `${describeSipp(r)}\n${logTail(server!)}`);

  const ladder = sipLadder(datagrams, ports.sip);
  const info = ladder.find((e) => e.method === 'INFO');
  const serverBye = ladder.find((e) => e.method === 'BYE' && e.srcPort === ports.sip);
  assert.ok(info && serverBye, 'INFO and the server\'s BYE are in the capture');
  const heard = decodeRtp(datagrams, { dstPort: mediaPort });
  const greeting = matchEnvelope(loadPcm(prompts.greeting), heard);
  assert.ok(greeting && greeting.correlation >= 0.8, `greeting: ${JSON.stringify(greeting)}`);
  const goodbye = matchEnvelope(loadPcm(prompts.goodbye), heard, { fromSec: info.timeSec - heard.originSec });
  assert.ok(goodbye && goodbye.correlation >= requiredCorrelation(goodbye), `goodbye after the INFO: ${JSON.stringify(goodbye)}`);
  assert.ok(heard.originSec + goodbye.endSec <= serverBye.timeSec + 0.1, 'the goodbye is over before the server hangs up');
  assert.ok(serverBye.timeSec - info.timeSec < 5, `BYE ${(serverBye.timeSec - info.timeSec).toFixed(2)} s after the INFO`);
});
