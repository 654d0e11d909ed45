import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SystemClock } from '../../src/common/index.js';
import { configureLogging, logger } from '../../src/observability/index.js';
import { SipTransportLayer, SipUserAgent } from '../../src/sip/index.js';
import { Prompt, WorkerMediaEngine, encodeG711, renderBeep, renderRingback, renderTone } from '../../src/media/index.js';
import { CallManager, PromptLibrary, type CallApp, type TransferRequest, type TransferResult } from '../../src/call/index.js';
import type { SynthesizedAudio, TtsProvider } from '../../src/speech/index.js';
import { parseRtp, selectDatagrams, sipLadder, type UdpDatagram } from '../support/pcap/index.js';
import { describeSipp, runSipp, sippTraceArgs, startCapture, type SippResult } from '../support/peers/index.js';
import { testWorkDir, writeRtpPcap } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { runScenario, scenarioFile } from './sipp-scenario.js';

/**
 * Transfers with real peers: Switchboard's call layer runs in this process (SIP transport, UA, worker media engine,
 * call manager, as src/app/server.ts builds them) with an application that transfers every call; a SIPp UAC is the
 * caller (uac-transfer-caller.xml) and a SIPp UAS the target. (1) the target answers: it checks the INVITE carried
 * X-Switchboard-Department (the scenario fails without it), media crosses the bridge both ways (the capture shows
 * each side's tone arriving at the other), it hangs up and the transfer resolves endedBy 'target' with the caller
 * still on (we then play a beep and BYE the caller); (2) 486 → busy; (3) a trunk that challenges with 401 gets the
 * trunk's credentials (SIPp verifyauth) and answers.
 */

/** Slot 14 of ports.ts (the slots there name files 0-8; this file keeps clear of them). */
const ports = portBlock(PORT_SLOTS.transfer);
const callerPort = ports.sippBase;
const targetPort = ports.sippBase + 1;
const callerMedia = ports.mediaBase;
const targetMedia = ports.mediaBase + 10;
const TARGET_URI = `sip:agent@127.0.0.1:${targetPort}`;

const silentTts: TtsProvider = {
  name: 'silent',
  voices: () => ['v'],
  synthesize: async (): Promise<SynthesizedAudio> => ({ pcm: new Int16Array(160), sampleRate: 8000 }),
};

let nextTransfer: TransferRequest | undefined;
const results: Array<(r: TransferResult) => void> = [];
let stack: { transport: SipTransportLayer; ua: SipUserAgent; media: WorkerMediaEngine; calls: CallManager } | undefined;

/** Transfers the call as the test asks, then (caller still on) plays the beep and hangs up. */
const transferApp: CallApp = async (call) => {
  const request = nextTransfer;
  assert.ok(request, 'a test set the transfer request');
  const result = await call.transfer(request);
  for (const resolve of results.splice(0)) resolve(result);
  if (!call.ended) {
    await call.play([{ kind: 'named', name: 'beep' }], { bargeIn: false });
    await call.hangup();
  }
  return result;
};

before(async () => {
  configureLogging('warn');
  const clock = new SystemClock();
  const transport = new SipTransportLayer({ host: '127.0.0.1', port: ports.sip, transports: ['udp'], maxMessageBytes: 65_535, clock });
  await transport.listen();
  const ua = new SipUserAgent({ transport, clock, userAgent: 'Switchboard-interop', log: logger('sip.ua') });
  await ua.start();
  // Media on two worker threads, as the server runs by default: the leg must be created in the caller's worker.
  const media = await WorkerMediaEngine.start({ bindHost: '127.0.0.1', portMin: ports.rtpMin, portMax: ports.rtpMax, latching: true, workers: 2 });
  const prompts = new PromptLibrary(silentTts, 'v');
  prompts.register('beep', Prompt.fromPcm(renderBeep({ durationMs: 300 }), 8000, 'beep'));
  const calls = new CallManager({
    ua, media, prompts, clock, log: logger('call'),
    route: () => transferApp,
    mediaAddressFor: () => '127.0.0.1',
    trunks: { secure: { uri: `sip:127.0.0.1:${targetPort}`, username: 'switchboard', password: 's3cret' } },
  });
  stack = { transport, ua, media, calls };
});

after(async () => {
  if (!stack) return;
  await stack.calls.hangupAll();
  await stack.ua.stop();
  await stack.media.close();
  await stack.transport.close();
});

function nextResult(): Promise<TransferResult> {
  return new Promise((resolve) => results.push(resolve));
}

/** A steady tone as an RTP pcap; returns the distinct PCMU payloads it holds (one, for a tone whose period divides 20 ms). */
function tonePcap(path: string, frequencyHz: number, ms: number): Set<string> {
  const pcm = renderTone({ frequencies: [frequencyHz], levelDbm0: -12, durationMs: ms });
  writeRtpPcap(path, [{ kind: 'audio', samples: pcm }]);
  const payloads = new Set<string>();
  const frame = new Uint8Array(160);
  for (let i = 0; i + 160 <= pcm.length; i += 160) payloads.add(Buffer.from(encodeG711('pcmu', pcm.subarray(i, i + 160), frame)).toString('hex'));
  return payloads;
}

function countPayloads(datagrams: readonly UdpDatagram[], dstPort: number, payloads: Set<string>): number {
  return selectDatagrams(datagrams, { dstPort }).filter((d) => {
    const rtp = parseRtp(d.payload);
    return rtp !== undefined && payloads.has(rtp.payload.toString('hex'));
  }).length;
}

function runTarget(scenario: string, dir: string): Promise<SippResult> {
  return runSipp([
    '-sf', scenarioFile(scenario), '-i', '127.0.0.1', '-p', String(targetPort), '-mi', '127.0.0.1', '-mp', String(targetMedia),
    '-m', '1', '-nostdin', '-timeout', '25s', '-timeout_error', '-cp', String(targetPort + 1000),
    ...sippTraceArgs(scenario.replace(/\.xml$/, '')),
  ], { cwd: dir, timeoutMs: 45_000 });
}

function runCaller(dir: string): Promise<SippResult> {
  return runScenario({
    scenario: 'uac-transfer-caller.xml', serverSipPort: ports.sip, localPort: callerPort, mediaPort: callerMedia, cwd: dir, timeoutSec: 25,
  });
}

/** Once a transfer is over and the caller hung up, nothing of it may be left. */
async function assertNothingLeft(): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(stack?.calls.stats().active, 0, 'no call left');
  const media = await stack?.media.refreshStats();
  assert.equal(media?.sessions, 0, 'no media session left');
  assert.deepEqual(media?.workers.map((w) => w.sessions), [0, 0], 'no media session left in either worker');
  assert.equal(stack?.ua.stats().dialogs, 0, 'no dialog left');
  assert.equal(stack?.ua.stats().pendingOutgoing, 0, 'no INVITE left');
}

test('bridge: the target gets the header, media crosses both ways, the target hangs up and the caller stays on', { timeout: 40_000 }, async () => {
  const dir = testWorkDir('transfer-bridge');
  const callerTone = tonePcap(join(dir, 'caller-tone.pcap'), 1500, 9000);
  const targetTone = tonePcap(join(dir, 'target-tone.pcap'), 600, 3000);
  nextTransfer = { target: TARGET_URI, headers: [['X-Switchboard-Department', 'sales']], ringTimeoutMs: 15_000, method: 'bridge' };
  const capture = await startCapture(join(dir, 'lo.pcap'), `udp and (port ${ports.sip} or port ${targetPort} or port ${callerMedia} or port ${targetMedia})`);
  const result = nextResult();
  const target = runTarget('uas-answer-check-header-then-bye.xml', dir);
  const caller = runCaller(dir);
  const [t, c] = await Promise.all([target, caller]);
  const datagrams = await capture.stop();
  assert.equal(t.code, 0, `target:\n${describeSipp(t)}`);
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);

  const r = await result;
  assert.equal(r.outcome, 'bridged');
  assert.equal(r.outcome === 'bridged' && r.endedBy, 'target');
  assert.ok(r.outcome === 'bridged' && r.talkMs >= 3500 && r.talkMs < 8000, `talk time ${JSON.stringify(r)}`);
  // The target rang for 1 s: the caller heard the first second of ringback (its "on" period lasts 2 s).
  const ringback = Prompt.fromPcm(renderRingback('us'), 8000).pcmu;
  const ringbackFrames = new Set(Array.from({ length: 100 }, (_, i) => ringback.subarray(160 * i, 160 * (i + 1)).toString('hex')));
  const heardRingback = countPayloads(datagrams, callerMedia, ringbackFrames);
  assert.ok(heardRingback >= 30, `ringback reached the caller while the target rang: ${heardRingback} packets`);
  const toCaller = countPayloads(datagrams, callerMedia, targetTone);
  const toTarget = countPayloads(datagrams, targetMedia, callerTone);
  assert.ok(toCaller >= 100, `the target's tone reached the caller through the bridge: ${toCaller} packets`);
  assert.ok(toTarget >= 100, `the caller's tone reached the target through the bridge: ${toTarget} packets`);

  const ladder = sipLadder(datagrams, ports.sip);
  const targetBye = ladder.find((e) => e.method === 'BYE' && e.srcPort === targetPort);
  const callerBye = ladder.find((e) => e.method === 'BYE' && e.dstPort === callerPort);
  assert.ok(targetBye, 'the target hung up');
  assert.ok(callerBye && callerBye.timeSec > targetBye.timeSec + 0.25, 'the caller stayed on after the target left (the beep), then we hung up');
  await assertNothingLeft();
});

test('busy: the target answers 486 → outcome busy', { timeout: 30_000 }, async () => {
  const dir = testWorkDir('transfer-busy');
  tonePcap(join(dir, 'caller-tone.pcap'), 1500, 3000);
  nextTransfer = { target: TARGET_URI, headers: [['X-Switchboard-Department', 'sales']], ringTimeoutMs: 15_000, method: 'bridge' };
  const result = nextResult();
  const [t, c] = await Promise.all([runTarget('uas-busy-486.xml', dir), runCaller(dir)]);
  assert.equal(t.code, 0, `target:\n${describeSipp(t)}`);
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);
  assert.deepEqual(await result, { outcome: 'busy', status: 486, reason: 'Busy Here' });
  await assertNothingLeft();
});

test('trunk with digest: the 401 is answered with the trunk credentials and the call is bridged', { timeout: 30_000 }, async () => {
  const dir = testWorkDir('transfer-digest');
  tonePcap(join(dir, 'caller-tone.pcap'), 1500, 5000);
  nextTransfer = { target: 'agent', trunk: 'secure', headers: [], ringTimeoutMs: 15_000, method: 'bridge' };
  const result = nextResult();
  const [t, c] = await Promise.all([runTarget('uas-digest-401-then-answer.xml', dir), runCaller(dir)]);
  assert.equal(t.code, 0, `target:\n${describeSipp(t)}`);
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);
  const r = await result;
  assert.equal(r.outcome, 'bridged', JSON.stringify(r));
  assert.equal(r.outcome === 'bridged' && r.endedBy, 'target');
  await assertNothingLeft();
});
