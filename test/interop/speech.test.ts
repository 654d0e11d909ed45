import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FliteTtsProvider, resolveSpokenDate } from '../../src/speech/index.js';
import type { CallRecord } from '../../src/store/index.js';
import { readWav, writeWav } from '../support/pcap/index.js';
import { runBounded, type ServerHandle } from '../support/peers/index.js';
import {
  londonDate, pathOf, pressKeys, recordOf, targetPassed, waitForStep, walk, withTarget,
} from './example-walk.js';
import { testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { startDemoServer } from './server-fixture.js';

/**
 * Speech over SIP with a real peer: baresip calls the department line (flows/departments.yaml, which asks "Which
 * department would you like?" and listens) with a WAV as its microphone — speech synthesized by Flite in a voice the
 * server does not use for its prompts, sent by baresip as G.711 like any phone. (1) The caller says "billing please"
 * during the question: the server recognizes it and transfers to the billing desk (a SIPp UAS on :5070 that checks
 * X-Switchboard-Department: billing). (2) The caller says something the line does not offer, then nothing: two
 * failures, and the call goes to the operator (the SIPp target checks Department: operator). (3) On the courier
 * line (flows/courier.yaml) a caller keys a missed parcel, asks to rebook and says "Next Friday, please.": the day is
 * stored resolved in the flow's time zone. The call records hold what was heard.
 */

const ports = portBlock(PORT_SLOTS.speech);
const TARGET_MEDIA_PORT = ports.mediaBase;
/** baresip's aufile hangs up at the end of its file: the microphone outlasts the call. */
const MICROPHONE_SECONDS = 60;

let server: ServerHandle;
const tts = new FliteTtsProvider({ defaultVoice: 'rms' });

before(async () => {
  server = await startDemoServer('speech', ports);
});

after(async () => {
  await server?.stop();
  await tts.close();
});

/** A microphone: each phrase spoken at its second (8 kHz, like the phone line it goes down), silence between. */
async function microphone(dir: string, name: string, phrases: Array<{ atSec: number; text: string }>): Promise<string> {
  const samples = new Int16Array(8000 * MICROPHONE_SECONDS);
  for (const [i, phrase] of phrases.entries()) {
    const audio = await tts.synthesize(phrase.text);
    const raw = join(dir, `${name}-${i}-raw.wav`);
    const narrow = join(dir, `${name}-${i}.wav`);
    writeWav(raw, audio.pcm, audio.sampleRate);
    const sox = await runBounded('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', narrow], { timeoutMs: 30_000 });
    assert.equal(sox.code, 0, `sox: ${sox.stderr}`);
    samples.set(readWav(narrow).samples, Math.round(phrase.atSec * 8000));
    rmSync(raw);
  }
  const path = join(dir, `${name}.wav`);
  writeWav(path, samples, 8000);
  return path;
}


function turns(record: CallRecord): unknown[][] {
  return record.transcript.map((t) => [t.node, t.status, t.value, t.failure ?? null]);
}

test('the caller says "billing please" during the question and is transferred to billing', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('speech-billing');
  // "yes" comes late enough to answer a "Did you say billing?" should the recognizer be unsure.
  const wav = await microphone(dir, 'billing', [{ atSec: 2, text: 'Billing, please.' }, { atSec: 7, text: 'Yes.' }]);
  await withTarget('uas-example-billing.xml', dir, TARGET_MEDIA_PORT, (target) => walk({ server, ports, dir, user: 'speaker-billing', wav }, async ({ ctrl, dial }) => {
    const call = await dial('100', 'welcome');
    await targetPassed(target);
    await ctrl.waitEvent('CALL_CLOSED', 10_000);
    const record = await recordOf(server.httpPort, 'departments', call.id);
    const path = pathOf(record);
    assert.equal(path[0], 'welcome');
    assert.deepEqual(path.slice(-2), ['route', 'connect'], `route ${path.join(' > ')}`);
    assert.equal(record.variables.department, 'billing');
    assert.equal(record.disposition, 'transferred');
    const heard = record.transcript.find((t) => t.node === 'welcome' && t.status === 'match');
    assert.ok(heard, `the question's answer is in the transcript: ${JSON.stringify(record.transcript)}`);
    assert.equal(heard.value, 'department');
    assert.match(heard.text, /billing/);
    assert.deepEqual(record.inputs, [], 'no key was pressed');
  }));
});

test('a caller who says nothing useful reaches the operator after two failures', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('speech-operator');
  // Then silence: the second try times out with no input.
  const wav = await microphone(dir, 'weather', [{ atSec: 2, text: 'What will the weather be like on the weekend?' }]);
  await withTarget('uas-example-operator-answer.xml', dir, TARGET_MEDIA_PORT, (target) => walk({ server, ports, dir, user: 'speaker-weather', wav }, async ({ ctrl, dial }) => {
    const call = await dial('100', 'welcome');
    await targetPassed(target);
    await ctrl.waitEvent('CALL_CLOSED', 15_000);
    const record = await recordOf(server.httpPort, 'departments', call.id);
    const path = pathOf(record);
    assert.deepEqual([path[0], path[path.length - 1]], ['welcome', 'operator'], `route ${path.join(' > ')}`);
    assert.deepEqual(turns(record), [['welcome', 'no-match', null, 'no-match'], ['welcome', 'no-input', null, 'no-input']]);
    assert.equal(record.variables.department, undefined, 'no department was taken from what was said');
    assert.equal(record.disposition, 'transferred');
  }));
});

test('a courier caller keys a missed parcel and says "Next Friday, please": the day is stored as a date', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('speech-rebook');
  // Said again later in case the first one comes before the question; a "yes" between answers a confirmation.
  const wav = await microphone(dir, 'rebook', [
    { atSec: 7, text: 'Next Friday, please.' }, { atSec: 12, text: 'Yes.' },
    { atSec: 17, text: 'Next Friday, please.' }, { atSec: 22, text: 'Yes.' },
  ]);
  const expected = resolveSpokenDate('next-friday', londonDate());
  await walk({ server, ports, dir, user: 'speaker-rebook', wav }, async ({ ctrl, dial }) => {
    const call = await dial('200', 'reference');
    await pressKeys(ctrl, '234567');
    await waitForStep(server.httpPort, 'speaker-rebook', 'options');
    await pressKeys(ctrl, '2');
    await ctrl.waitEvent('CALL_CLOSED', 40_000);
    const record = await recordOf(server.httpPort, 'courier', call.id);
    const path = pathOf(record);
    assert.deepEqual(path.slice(-3), ['rebook', 'checkDay', 'rebooked'], `route ${path.join(' > ')}`);
    assert.equal(record.variables.day, expected);
    const heard = record.transcript.find((t) => t.node === 'rebook' && t.status === 'match');
    assert.ok(heard, `the answer is in the transcript: ${JSON.stringify(record.transcript)}`);
    assert.match(heard.text, /next friday/);
    assert.equal(record.endReason, 'local-bye', 'the server hung up after saying the day');
  });
});
