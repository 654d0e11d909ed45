import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallRecord } from '../../src/store/index.js';
import { parseWav } from '../support/pcap/index.js';
import { repoFlowsDir, type ServerHandle, type ServerLogLine } from '../support/peers/index.js';
import {
  flowsWithHoliday, getJson, londonDate, pathOf, pressKeys, recordOf, rmsOf, targetPassed, toneShare, waitForStep,
  waitUntil, walk, withTarget, writeToneWav,
} from './example-walk.js';
import { interopMedia, testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { startDemoServer } from './server-fixture.js';

/**
 * Each example flow of flows/ walked end to end over SIP: baresip is the caller (keys as RFC 4733 events), SIPp
 * UASs on 127.0.0.1:5070 are the transfer targets the flows name (each checks the X-Switchboard-* headers the walk
 * must carry), the demo CRM of the server answers the bank flow and takes the webhooks. The test waits until GET
 * /calls shows the call at the node that expects input, then presses keys; it checks the call record, the stored
 * voicemails, callbacks and survey answers, the targets' exit status and the server log.
 */

const ports = portBlock(PORT_SLOTS.exampleFlows);
const TARGET_MEDIA_PORT = ports.mediaBase;
/** After the call reaches a node, before its keys: the node has started its prompt (keys barge in). */
const KEY_DELAY_MS = 400;
const TONE_HZ = 1000;

let server: ServerHandle;
let silenceWav: string;

before(async () => {
  // reception.yaml is open or closed by the wall clock (Europe/London office hours). The server runs on a copy of
  // the shipped flows where only reception's holidays list gains today's date, so the closed path is walked at any
  // time; every other flow is the shipped file unchanged.
  const flowsDir = flowsWithHoliday(repoFlowsDir(), join(testWorkDir('example-flows'), 'flows'), londonDate());
  server = await startDemoServer('example-flows', ports, { SWB_FLOWS_DIR: flowsDir });
  silenceWav = (await interopMedia()).silenceWav;
  const health = await getJson<{ flows: string[] }>(server.httpPort, '/healthz');
  for (const flow of ['departments', 'courier', 'bank', 'reception', 'survey']) assert.ok(health.flows.includes(flow), `flow ${flow} loaded: ${health.flows}`);
});

after(async () => {
  await server?.stop();
});


function outcomesOf(record: CallRecord, ...fields: string[]): unknown[][] {
  return record.outcomes.map((o) => [o.type, o.node, ...fields.map((f) => o[f])]);
}

function inputsOf(record: CallRecord): string[][] {
  return record.inputs.map((i) => [i.node, i.keys]);
}

/** Every string inside `value` (object keys excluded). */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

test('departments: 1 during the spoken question → billing desk, transferred with X-Switchboard-Department: billing', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('example-departments-billing');
  await withTarget('uas-example-billing.xml', dir, TARGET_MEDIA_PORT, (target) => walk({ server, ports, dir, user: 'walker-billing', wav: silenceWav }, async ({ ctrl, dial }) => {
    // The flow asks which department (it listens for speech); a key ends listening and is the key menu's answer.
    const call = await dial('100', 'welcome');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '1');
    await targetPassed(target);
    // The target hung up and the transfer node has no next: the flow ends and the server hangs up on the caller.
    await ctrl.waitEvent('CALL_CLOSED', 10_000);
    const record = await recordOf(server.httpPort, 'departments', call.id);
    assert.deepEqual(pathOf(record), ['welcome', 'main', 'billing', 'route', 'connect']);
    assert.deepEqual(record.transcript, [], 'nothing was said');
    assert.equal(record.disposition, 'transferred');
    assert.equal(record.endReason, 'local-bye');
    assert.deepEqual(outcomesOf(record, 'target', 'result'), [['transfer', 'connect', 'sip:billing@127.0.0.1:5070', 'bridged']]);
    assert.deepEqual(inputsOf(record), [['main', '1']]);
    assert.equal(record.variables.department, 'billing');
  }));
});

test('departments: two invalid keys → operator, busy (486) → the reception mailbox', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('example-departments-operator');
  await withTarget('uas-example-operator-busy.xml', dir, TARGET_MEDIA_PORT, (target) => walk({ server, ports, dir, user: 'walker-operator', wav: silenceWav }, async ({ ctrl, dial }) => {
    const call = await dial('departments', 'welcome');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '9');
    // The second 9 lands in the "not a valid choice" prompt: it barges in and answers the repeated menu.
    await sleep(1500);
    await pressKeys(ctrl, '9');
    await waitForStep(server.httpPort, 'walker-operator', 'message');
    await targetPassed(target);
    await ctrl.hangup();
    await ctrl.waitEvent('CALL_CLOSED', 5000);
    const record = await recordOf(server.httpPort, 'departments', call.id);
    assert.deepEqual(pathOf(record), ['welcome', 'main', 'operator', 'message']);
    assert.equal(record.endReason, 'remote-bye');
    assert.deepEqual(inputsOf(record), [['main', '9'], ['main', '9']]);
    assert.deepEqual(outcomesOf(record, 'target', 'result', 'status'), [['transfer', 'operator', 'sip:operator@127.0.0.1:5070', 'busy', 486]]);
    assert.equal(record.disposition, 'abandoned', 'the caller hung up at the voicemail prompt, leaving nothing');
  }));
});

test('courier: parcel 123456, 1 → the delivery date, then the server hangs up', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('example-courier-eta');
  await walk({ server, ports, dir, user: 'walker-eta', wav: silenceWav }, async ({ ctrl, dial }) => {
    const call = await dial('200', 'reference');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '123456');
    await waitForStep(server.httpPort, 'walker-eta', 'options');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '1');
    await ctrl.waitEvent('CALL_CLOSED', 20_000);
    const record = await recordOf(server.httpPort, 'courier', call.id);
    assert.deepEqual(pathOf(record), ['init', 'reference', 'find', 'options', 'eta']);
    assert.equal(record.disposition, 'self-served');
    assert.equal(record.endReason, 'local-bye', 'the server hung up');
    assert.deepEqual(inputsOf(record), [['reference', '123456'], ['options', '1']]);
    assert.equal(record.variables.status, 'in-transit');
    assert.equal(record.variables.eta, '2026-11-24');
  });
});

test('courier: delivered parcel 345678, 3 → claims, with the parcel in the X-Switchboard headers', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('example-courier-claim');
  await withTarget('uas-example-claims.xml', dir, TARGET_MEDIA_PORT, (target) => walk({ server, ports, dir, user: 'walker-claim', wav: silenceWav }, async ({ ctrl, dial }) => {
    const call = await dial('courier', 'reference');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '345678');
    await waitForStep(server.httpPort, 'walker-claim', 'options');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '3');
    await targetPassed(target);
    await ctrl.waitEvent('CALL_CLOSED', 10_000);
    const record = await recordOf(server.httpPort, 'courier', call.id);
    assert.deepEqual(pathOf(record), ['init', 'reference', 'find', 'options', 'claim']);
    assert.equal(record.disposition, 'transferred');
    assert.deepEqual(outcomesOf(record, 'target', 'result'), [['transfer', 'claim', 'sip:claims@127.0.0.1:5070', 'bridged']]);
  }));
});

test('bank: caller 15550100, PIN 1234 → balance; the PIN is masked in the record and the log', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('example-bank');
  const logFrom = server.logs().length;
  await walk({ server, ports, dir, user: '15550100', wav: silenceWav }, async ({ ctrl, dial }) => {
    const call = await dial('300', 'pin');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '1234');
    await waitForStep(server.httpPort, '15550100', 'balance');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '2');
    await ctrl.waitEvent('CALL_CLOSED', 20_000);
    const record = await recordOf(server.httpPort, 'bank', call.id);
    assert.deepEqual(pathOf(record), ['identify', 'greet', 'init', 'pin', 'verify', 'checkPin', 'fetchBalance', 'balance', 'goodbye']);
    assert.equal(record.disposition, 'self-served');
    assert.equal(record.endReason, 'local-bye', 'the server hung up after the goodbye');
    assert.deepEqual(record.inputs.map((i) => [i.node, i.keys, i.sensitive]), [['pin', '****', true], ['balance', '2', false]]);
    assert.equal(record.variables.pin, '****');
    assert.equal(record.variables.name, 'Ada');
    assert.equal(record.variables.verified, true);
    assert.equal(record.variables.balance, 1523.75);
    // As a token: the call's random Call-ID may hold the digits inside a longer word.
    const pin = /(^|[^0-9A-Za-z])1234([^0-9A-Za-z]|$)/;
    assert.deepEqual(stringsIn(record).filter((s) => pin.test(s)), [], 'no PIN in the call record');
    const lines = server.logs().slice(logFrom);
    assert.ok(lines.some((l) => l.callId === call.id && l.msg === 'flow ended'), 'the log covers the call');
    assert.deepEqual(lines.filter((l) => stringsIn(l).some((s) => pin.test(s))), [], 'no PIN in the server log');
  });
});

interface VoicemailView {
  id: string;
  callId: string;
  callerId: string;
  mailbox: string;
  state: string;
  durationMs?: number;
}

function crmNotice(kind: string, id: string): (l: ServerLogLine) => boolean {
  return (l) => l.msg === 'demo CRM notified' && l.kind === kind && (l.notice as { id?: string } | undefined)?.id === id;
}

test('reception (closed): 1 → voicemail; the message holds the caller\'s tone and the CRM is notified', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('example-reception-voicemail');
  const tone = writeToneWav(join(dir, 'tone.wav'), TONE_HZ, 60);
  await walk({ server, ports, dir, user: '15550124', wav: tone }, async ({ ctrl, dial }) => {
    const call = await dial('400', 'choices');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '1');
    // The row appears in state "recording" when the greeting and beep are over and the recorder starts.
    await waitUntil(async () => {
      const { voicemails } = await getJson<{ voicemails: VoicemailView[] }>(server.httpPort, '/voicemails?state=recording');
      return voicemails.find((v) => v.callId === call.id);
    }, 20_000, () => `a voicemail being recorded for ${call.id}`);
    await sleep(3000);
    await pressKeys(ctrl, '#');
    await ctrl.waitEvent('CALL_CLOSED', 20_000);

    const { voicemails } = await getJson<{ voicemails: VoicemailView[] }>(server.httpPort, '/voicemails?mailbox=reception');
    const vm = voicemails.find((v) => v.callId === call.id);
    assert.ok(vm, `the message is listed: ${JSON.stringify(voicemails)}`);
    assert.equal(vm.state, 'saved');
    assert.equal(vm.callerId, '15550124');
    assert.ok(vm.durationMs !== undefined && vm.durationMs >= 2000 && vm.durationMs <= 5000, `duration ${vm.durationMs} ms`);
    const audio = await fetch(`http://127.0.0.1:${server.httpPort}/voicemails/${encodeURIComponent(vm.id)}/audio`);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get('content-type'), 'audio/wav');
    const wav = parseWav(Buffer.from(await audio.arrayBuffer()), 'voicemail');
    const seconds = wav.samples.length / wav.sampleRate;
    assert.ok(Math.abs(seconds * 1000 - vm.durationMs) < 500, `the WAV lasts ${seconds} s, the row says ${vm.durationMs} ms`);
    const rms = rmsOf(wav.samples);
    const share = toneShare(wav.samples, wav.sampleRate, TONE_HZ);
    assert.ok(rms > 1000 && share > 0.8, `the message is the caller's ${TONE_HZ} Hz tone: RMS ${rms.toFixed(0)}, tone share ${share.toFixed(3)}`);
    await server.waitForLog(crmNotice('voicemail', vm.id), 10_000);

    const record = await recordOf(server.httpPort, 'reception', call.id);
    assert.deepEqual(pathOf(record), ['hours', 'closed', 'choices', 'message']);
    assert.equal(record.disposition, 'voicemail');
  });
});

test('reception (closed): 2 → callback on the caller ID, tomorrow afternoon', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('example-reception-callback');
  await walk({ server, ports, dir, user: '15550123', wav: silenceWav }, async ({ ctrl, dial }) => {
    const call = await dial('reception', 'choices');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '2');
    await waitForStep(server.httpPort, '15550123', 'callMeBack');
    await sleep(KEY_DELAY_MS);
    // 1: "to use this number"; then, during "When should we call you?", 2: the second window.
    await pressKeys(ctrl, '1');
    await sleep(1500);
    await pressKeys(ctrl, '2');
    await ctrl.waitEvent('CALL_CLOSED', 20_000);

    const { callbacks } = await getJson<{ callbacks: { id: string; callId: string; number: string; window?: string; queue: string; state: string }[] }>(
      server.httpPort, '/callbacks?queue=reception');
    const cb = callbacks.find((c) => c.callId === call.id);
    assert.ok(cb, `the request is listed: ${JSON.stringify(callbacks)}`);
    assert.deepEqual([cb.number, cb.window, cb.state], ['15550123', 'tomorrow afternoon', 'pending']);
    await server.waitForLog(crmNotice('callback', cb.id), 10_000);
    const record = await recordOf(server.httpPort, 'reception', call.id);
    assert.deepEqual(pathOf(record), ['hours', 'closed', 'choices', 'callMeBack']);
    assert.equal(record.disposition, 'callback');
  });
});

test('survey: the agent answers and hangs up, the caller rates 5 and says yes', { timeout: 90_000 }, async () => {
  const dir = testWorkDir('example-survey');
  type Answer = { callId: string; survey: string; question: string; answer: unknown };
  const answersOf = async (callId: string): Promise<Answer[]> =>
    (await getJson<{ answers: Answer[] }>(server.httpPort, '/surveys?flow=survey')).answers.filter((a) => a.callId === callId);
  await withTarget('uas-example-survey-agent.xml', dir, TARGET_MEDIA_PORT, (target) => walk({ server, ports, dir, user: 'walker-survey', wav: silenceWav }, async ({ ctrl, dial }) => {
    const call = await dial('500', 'agent');
    await targetPassed(target);
    // The agent hung up first: the caller stays with the flow, at the survey.
    await waitForStep(server.httpPort, 'walker-survey', 'feedback');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '5');
    await waitUntil(async () => ((await answersOf(call.id)).length > 0 ? true : undefined), 10_000, () => 'the first survey answer');
    await sleep(KEY_DELAY_MS);
    await pressKeys(ctrl, '1');
    await ctrl.waitEvent('CALL_CLOSED', 20_000);

    const answers = (await answersOf(call.id)).map((a) => [a.survey, a.question, a.answer]).sort();
    assert.deepEqual(answers, [['feedback', 'resolved', true], ['feedback', 'satisfaction', 5]]);
    const record = await recordOf(server.httpPort, 'survey', call.id);
    assert.deepEqual(pathOf(record), ['welcome', 'agent', 'feedback']);
    assert.equal(record.disposition, 'transferred');
    assert.deepEqual(outcomesOf(record, 'result', 'question', 'answer'), [
      ['transfer', 'agent', 'bridged', undefined, undefined],
      ['survey', 'feedback', undefined, 'satisfaction', 5],
      ['survey', 'feedback', undefined, 'resolved', true],
    ]);
  }));
});
