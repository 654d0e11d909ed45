import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchEnvelope, readWav, writeWav } from '../support/pcap/index.js';
import { BaresipCtrl, decodedRecordings, startBaresip, writeBaresipProfile } from '../support/peers/index.js';
import { interopMedia, loadPcm, testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';

/**
 * The baresip launchers checked against a second baresip (auto-answering, speaking the caller WAV) instead of
 * the server: profile writer, ctrl_tcp client (dial, sndcode, hangup, events) and sndfile recordings.
 */

const ports = portBlock(PORT_SLOTS.harnessBaresip);

test('harness: baresip caller driven over ctrl_tcp hears an auto-answering baresip and sends it DTMF 1', { timeout: 90_000 }, async () => {
  const media = await interopMedia();
  const dir = testWorkDir('harness-baresip');
  const speech = readWav(media.callerWav);
  const padded = new Int16Array(speech.samples.length + 8000 * 30);
  padded.set(speech.samples);
  writeWav(join(dir, 'callee-mic.wav'), padded);

  const callee = writeBaresipProfile(join(dir, 'callee'), {
    user: 'callee', sip: `127.0.0.1:${ports.baresipSip + 2}`, ctrl: `127.0.0.1:${ports.baresipCtrl + 1}`,
    wav: join(dir, 'callee-mic.wav'), autoAnswer: true, rtpPorts: `${ports.mediaBase}-${ports.mediaBase + 49}`,
  });
  const caller = writeBaresipProfile(join(dir, 'caller'), {
    user: 'caller', sip: `127.0.0.1:${ports.baresipSip}`, ctrl: `127.0.0.1:${ports.baresipCtrl}`,
    wav: media.silenceWav, rtpPorts: ports.baresipRtpPorts,
  });
  const calleeProc = startBaresip(callee.dir, { timeoutSec: 60 });
  const callerProc = startBaresip(caller.dir, { timeoutSec: 60 });
  let ctrl: BaresipCtrl | undefined;
  try {
    await Promise.all([calleeProc.ready(), callerProc.ready()]);
    ctrl = await BaresipCtrl.connect(caller.ctrlPort);
    await ctrl.dial(`sip:callee@${callee.sipAddress}`);
    await ctrl.waitEvent('CALL_ESTABLISHED', 10_000);
    await sleep((speech.samples.length / 8) + 1000);
    await ctrl.sndcode('1');
    await sleep(1000);
    await ctrl.hangup();
    await ctrl.waitEvent('CALL_CLOSED', 5000);
    await ctrl.quit();
  } finally {
    ctrl?.close();
    await Promise.all([callerProc.stop(), calleeProc.stop()]);
  }

  const recordings = decodedRecordings(caller.recDir);
  assert.equal(recordings.length, 1, `one received-audio recording in ${caller.recDir}`);
  const m = matchEnvelope(loadPcm(media.callerWav), loadPcm(recordings[0]));
  assert.ok(m && m.correlation >= 0.8, `caller heard the callee's speech: correlation ${m?.correlation}`);
  assert.match(calleeProc.process.stdout() + calleeProc.process.stderr(), /received event: '1'/, 'callee got RFC 4733 digit 1');
});
