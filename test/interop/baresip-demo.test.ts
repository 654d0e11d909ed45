import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchEnvelope } from '../support/pcap/index.js';
import { BaresipCtrl, decodedRecordings, startBaresip, writeBaresipProfile, type ServerHandle } from '../support/peers/index.js';
import { durationMsOf, interopMedia, loadPcm, promptWavs, requiredCorrelation, testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { logTail, startDemoServer } from './server-fixture.js';

/**
 * baresip, a real softphone, calls the demo IVR, listens to the greeting, presses 0 (RFC 4733 via ctrl_tcp
 * `sndcode`) and must be hung up on by the server; its recording of what it heard must hold the greeting and
 * the goodbye (envelope correlation >= 0.8 against the server's own rendering of those prompts; 0.9 for the
 * short goodbye, see requiredCorrelation).
 */

const ports = portBlock(PORT_SLOTS.baresipDemo);
let server: ServerHandle | undefined;

before(async () => {
  server = await startDemoServer('baresip-demo', ports);
});

after(async () => {
  await server?.stop();
});

test('baresip calls demo, hears the greeting, presses 0, hears goodbye and gets hung up on', { timeout: 90_000 }, async () => {
  const media = await interopMedia();
  const prompts = promptWavs(media);
  const dir = testWorkDir('baresip-demo');
  const profile = writeBaresipProfile(join(dir, 'caller'), {
    user: 'caller', sip: `127.0.0.1:${ports.baresipSip}`, ctrl: `127.0.0.1:${ports.baresipCtrl}`,
    wav: media.silenceWav, rtpPorts: ports.baresipRtpPorts,
  });
  const baresip = startBaresip(profile.dir, { timeoutSec: 60 });
  let ctrl: BaresipCtrl | undefined;
  let closedAfterMs: number | undefined;
  try {
    await baresip.ready();
    ctrl = await BaresipCtrl.connect(profile.ctrlPort);
    await ctrl.dial(`sip:demo@127.0.0.1:${ports.sip}`);
    await ctrl.waitEvent('CALL_ESTABLISHED', 10_000);
    await sleep(durationMsOf(prompts.greeting) + 1000);
    await ctrl.sndcode('0');
    const pressed = Date.now();
    // The server, not us, ends the call: CALL_CLOSED comes from its BYE.
    await ctrl.waitEvent('CALL_CLOSED', durationMsOf(prompts.goodbye) + 5000);
    closedAfterMs = Date.now() - pressed;
    await ctrl.quit();
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${baresip.process.tail()}\n${logTail(server!)}`, { cause: e });
  } finally {
    ctrl?.close();
    await baresip.stop();
  }
  assert.ok(closedAfterMs !== undefined && closedAfterMs >= durationMsOf(prompts.goodbye) - 500,
    `the server hung up ${closedAfterMs} ms after the 0, having played the goodbye first`);

  const recordings = decodedRecordings(profile.recDir);
  assert.equal(recordings.length, 1, `one received-audio recording in ${profile.recDir}`);
  const heard = loadPcm(recordings[0]);
  const greeting = matchEnvelope(loadPcm(prompts.greeting), heard);
  assert.ok(greeting && greeting.correlation >= 0.8, `greeting in baresip's recording: ${JSON.stringify(greeting)}`);
  const goodbye = matchEnvelope(loadPcm(prompts.goodbye), heard, { fromSec: greeting.endSec });
  assert.ok(goodbye && goodbye.correlation >= requiredCorrelation(goodbye), `goodbye after the greeting: ${JSON.stringify(goodbye)}`);
});
