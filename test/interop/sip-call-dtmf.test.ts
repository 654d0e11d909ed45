import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { activeShare, decodeRtp, firstActiveSec, matchEnvelope, sipLadder } from '../support/pcap/index.js';
import { describeSipp, startCapture, type ServerHandle } from '../support/peers/index.js';
import { durationMsOf, interopMedia, loadPcm, promptWavs, requiredCorrelation, testWorkDir, writeRtpPcap } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { logTail, mediaOrigin, rtpTimesTo, startDemoServer } from './server-fixture.js';
import { runScenario } from './sipp-scenario.js';

/**
 * SIPp calls the demo IVR (uac-call-dtmf-bye.xml), listens to the whole greeting, presses 1 (RFC 4733) and hangs
 * up after the answer. On the wire (tcpdump on lo): the server's RTP carries the greeting; after the digit, and
 * not before, it says "The time is ..." and then the menu; over UDP it stops sending once our BYE is answered.
 */

const ports = portBlock(PORT_SLOTS.callDtmf);
let server: ServerHandle | undefined;

before(async () => {
  server = await startDemoServer('call-dtmf', ports);
});

after(async () => {
  await server?.stop();
});

for (const [index, transport] of (['u1', 't1'] as const).entries()) {
  const label = transport === 'u1' ? 'UDP' : 'TCP';
  test(`${label}: call demo, hear the greeting, press 1 (RFC 4733), hear the time and the menu, BYE`, { timeout: 150_000 }, async () => {
    const prompts = promptWavs(await interopMedia());
    const dir = testWorkDir(`call-dtmf-${label.toLowerCase()}`);
    const greetingMs = durationMsOf(prompts.greeting);
    // The digit goes 2 s after the greeting's length, so the greeting has ended (no barge-in) and the menu
    // timeout (~8 s) has not; then enough silence for "The time is ..." and the menu.
    const pcapMs = writeRtpPcap(join(dir, 'caller-dtmf.pcap'), [
      { kind: 'silence', ms: greetingMs + 2000 }, { kind: 'dtmf', digits: '1' }, { kind: 'silence', ms: 5000 + durationMsOf(prompts.menu) },
    ]);
    const mediaPort = ports.mediaBase + 10 * index;
    const capture = await startCapture(join(dir, 'lo.pcap'), `port ${ports.sip} or udp port ${mediaPort}`);
    const r = await runScenario({
      scenario: 'uac-call-dtmf-bye.xml', serverSipPort: ports.sip, localPort: ports.sippBase + index, mediaPort,
      cwd: dir, transport, pauseMs: pcapMs + 300, timeoutSec: Math.ceil(pcapMs / 1000) + 30,
    });
    const datagrams = await capture.stop();
    assert.equal(r.code, 0, `${describeSipp(r)}\n${logTail(server!)}`);

    const origin = mediaOrigin(datagrams, mediaPort);
    const heard = decodeRtp(datagrams, { dstPort: mediaPort, originSec: origin });
    const sent = decodeRtp(datagrams, { srcPort: mediaPort, originSec: origin });
    assert.ok(heard.audioPackets > 100, `server RTP packets to the caller: ${heard.audioPackets}`);
    assert.equal(heard.ssrcs.length, 1, `one SSRC from the server, got ${heard.ssrcs.length}`);

    const greeting = matchEnvelope(loadPcm(prompts.greeting), heard);
    assert.ok(greeting && greeting.correlation >= 0.8, `greeting in the server's RTP: ${JSON.stringify(greeting)}`);
    assert.deepEqual(sent.digits.map((d) => d.digit), ['1'], 'the capture shows our RFC 4733 digit');
    const digitAt = sent.digits[0].atSec;
    assert.ok(greeting.endSec < digitAt, `greeting ended (${greeting.endSec.toFixed(2)} s) before the digit (${digitAt.toFixed(2)} s)`);
    assert.ok(activeShare(heard, greeting.endSec + 0.3, digitAt) < 0.2, 'server silent while waiting for a key');

    const replyAt = firstActiveSec(heard, digitAt);
    assert.ok(replyAt !== undefined && replyAt - digitAt < 2.5, `server answered the digit after ${replyAt === undefined ? 'never' : (replyAt - digitAt).toFixed(2)} s`);
    const timeIs = matchEnvelope(loadPcm(prompts['time-is']), heard, { fromSec: digitAt, toSec: digitAt + 3 });
    assert.ok(timeIs && timeIs.correlation >= requiredCorrelation(timeIs), `"The time is" after the digit: ${JSON.stringify(timeIs)}`);
    const menu = matchEnvelope(loadPcm(prompts.menu), heard, { fromSec: timeIs.endSec });
    assert.ok(menu && menu.correlation >= 0.8, `menu prompt after the time: ${JSON.stringify(menu)}`);

    if (transport === 'u1') {
      const byeOk = sipLadder(datagrams, ports.sip).find((e) => e.status === 200 && e.cseq === '2 BYE');
      assert.ok(byeOk, 'the 200 to our BYE is in the capture');
      const late = rtpTimesTo(datagrams, mediaPort).filter((t) => t > byeOk.timeSec + 0.5);
      assert.equal(late.length, 0, `server RTP packets more than 0.5 s after answering BYE: ${late.length}`);
    }
  });
}
