import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TransferRequest } from '../../src/call/index.js';
import { sipLadder, type SipLadderEntry, type UdpDatagram } from '../support/pcap/index.js';
import {
  BaresipCtrl, describeSipp, runSipp, sippTraceArgs, startBaresip, startCapture, writeBaresipProfile, type SippResult,
} from '../support/peers/index.js';
import { interopMedia, testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { TransferStack, countPayloads, tonePcap, transferPeers } from './transfer-stack.js';
import { runScenario, scenarioFile } from './sipp-scenario.js';

/**
 * Blind transfer by REFER (RFC 3515) with real peers. Switchboard's call layer runs in this process (SIP transport,
 * UA, worker media engine, call manager, as src/app/server.ts builds them) with an application that transfers every
 * call with method 'refer'; SIPp or baresip is the caller (the transferee), SIPp the target.
 * (1) the caller accepts: Refer-To names the target with the header escaped as a URI header, 202, NOTIFY 100 and
 * 200 sipfrags, then our BYE → referred; (2) the caller refuses with 501 → we bridge it to the target ourselves;
 * (3) the caller reports 486 in a NOTIFY → we bridge instead, the target is busy too → busy, the caller still on;
 * (4) baresip 1.0.0 is the transferee: its menu module calls the Refer-To URI at once and reports 100 and 200.
 *
 * What baresip 1.0.0 does with a Refer-To, seen on the wire: it sends the URI as it is, `?X-Switchboard-Department=…`
 * included, as the Request-URI and To of its INVITE, with no such header field and no Referred-By. And it crashes
 * (SIGSEGV in re_vsnprintf under ua_event) on a Refer-To holding a %-escape, e.g. `sales%20%26%20support`: src/ua.c
 * passes the Refer-To, and later the call's peer URI, to ua_event() as the format string. So test (4) uses a value
 * that needs no escaping; the escaping itself is checked by the SIPp tests.
 */

const ports = portBlock(PORT_SLOTS.refer);
const { callerPort, targetPort, callerMedia, targetMedia, targetUri: TARGET_URI } = transferPeers(ports);

let stack: TransferStack;

before(async () => {
  stack = await TransferStack.start(ports);
});

after(async () => {
  await stack?.close();
});

function referRequest(department: string): TransferRequest {
  return { target: TARGET_URI, headers: [['X-Switchboard-Department', department]], ringTimeoutMs: 10_000, method: 'refer' };
}


function runTarget(scenario: string, dir: string): Promise<SippResult> {
  return runSipp([
    '-sf', scenarioFile(scenario), '-i', '127.0.0.1', '-p', String(targetPort), '-mi', '127.0.0.1', '-mp', String(targetMedia),
    '-m', '1', '-nostdin', '-timeout', '25s', '-timeout_error', '-cp', String(targetPort + 1000),
    ...sippTraceArgs(scenario.replace(/\.xml$/, '')),
  ], { cwd: dir, timeoutMs: 45_000 });
}

function runCaller(scenario: string, dir: string): Promise<SippResult> {
  return runScenario({ scenario, serverSipPort: ports.sip, localPort: callerPort, mediaPort: callerMedia, cwd: dir, service: 'refer', timeoutSec: 25 });
}

function capture(dir: string): ReturnType<typeof startCapture> {
  return startCapture(join(dir, 'lo.pcap'), `udp and (port ${ports.sip} or port ${targetPort} or port ${callerMedia} or port ${targetMedia})`);
}

/** The ladder on our SIP port as "> REFER" (sent by us) / "< 202 REFER" (received), from the first REFER on. */
function referLadder(datagrams: readonly UdpDatagram[]): string[] {
  const ladder = sipLadder(datagrams, ports.sip);
  const from = ladder.findIndex((e) => e.method === 'REFER');
  const label = (e: SipLadderEntry): string => `${e.srcPort === ports.sip ? '>' : '<'} ${e.method ?? `${e.status} ${e.cseq.split(' ')[1]}`}`;
  return from < 0 ? [] : ladder.slice(from).map(label);
}

/** The text of the SIP messages on our SIP port whose start line matches `startLine`, in capture order. */
function sipTexts(datagrams: readonly UdpDatagram[], startLine: RegExp): string[] {
  return datagrams.filter((d) => d.srcPort === ports.sip || d.dstPort === ports.sip)
    .map((d) => d.payload.toString('latin1'))
    .filter((t) => startLine.test(t.slice(0, t.indexOf('\r\n'))));
}

function header(text: string, name: string): string | undefined {
  return new RegExp(`^${name}[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'im').exec(text)?.[1].trim();
}

test('REFER accepted: Refer-To carries the escaped header, 202, NOTIFY 100 then 200, our BYE → referred', { timeout: 40_000 }, async () => {
  const dir = testWorkDir('refer-accept');
  stack.next = referRequest('sales & support');
  const cap = await capture(dir);
  const result = stack.nextResult();
  const c = await runCaller('uac-refer-accept.xml', dir);
  const datagrams = await cap.stop();
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);
  assert.deepEqual(await result, { outcome: 'referred' });

  const [refer] = sipTexts(datagrams, /^REFER /);
  assert.ok(refer, 'a REFER on the wire');
  assert.equal(header(refer, 'Refer-To'), `<${TARGET_URI}?X-Switchboard-Department=sales%20%26%20support>`);
  assert.equal(header(refer, 'Referred-By'), `<sip:refer@127.0.0.1:${ports.sip}>`);
  assert.ok(header(refer, 'Contact'), 'the REFER has a Contact: the NOTIFYs of its implicit subscription go there (RFC 3515 §2.4.4)');
  assert.deepEqual(referLadder(datagrams), [
    '> REFER', '< 202 REFER', '< NOTIFY', '> 200 NOTIFY', '< NOTIFY', '> 200 NOTIFY', '> BYE', '< 200 BYE',
  ]);
  assert.deepEqual(sipTexts(datagrams, /^NOTIFY /).map((t) => t.slice(t.indexOf('\r\n\r\n') + 4).trim()), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
  await stack.assertNothingLeft();
});

test('REFER refused with 501: we bridge the caller to the target ourselves → bridged', { timeout: 40_000 }, async () => {
  const dir = testWorkDir('refer-refused');
  const callerTone = tonePcap(join(dir, 'caller-tone.pcap'), 1500, 9000);
  const targetTone = tonePcap(join(dir, 'target-tone.pcap'), 600, 3000);
  stack.next = referRequest('sales');
  const cap = await capture(dir);
  const result = stack.nextResult();
  const [t, c] = await Promise.all([runTarget('uas-answer-check-header-then-bye.xml', dir), runCaller('uac-refer-refuse-501.xml', dir)]);
  const datagrams = await cap.stop();
  assert.equal(t.code, 0, `target (checks X-Switchboard-Department: sales):\n${describeSipp(t)}`);
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);
  const r = await result;
  assert.equal(r.outcome, 'bridged', JSON.stringify(r));
  assert.equal(r.outcome === 'bridged' && r.endedBy, 'target');

  const ladder = sipLadder(datagrams, ports.sip);
  const refused = ladder.findIndex((e) => e.status === 501 && e.cseq.endsWith('REFER'));
  const invite = ladder.findIndex((e) => e.method === 'INVITE' && e.dstPort === targetPort);
  assert.ok(refused >= 0 && invite > refused, `the INVITE to the target follows the 501: ${referLadder(datagrams).join(', ')}`);
  const toCaller = countPayloads(datagrams, callerMedia, targetTone);
  const toTarget = countPayloads(datagrams, targetMedia, callerTone);
  assert.ok(toCaller >= 100, `the target's tone reached the caller through the bridge: ${toCaller} packets`);
  assert.ok(toTarget >= 100, `the caller's tone reached the target through the bridge: ${toTarget} packets`);
  await stack.assertNothingLeft();
});

test('REFER accepted but NOTIFY reports 486: we bridge instead, the target is busy → busy, the caller still on', { timeout: 40_000 }, async () => {
  const dir = testWorkDir('refer-notify-486');
  stack.next = referRequest('sales & support');
  const cap = await capture(dir);
  const result = stack.nextResult();
  const [t, c] = await Promise.all([runTarget('uas-busy-486.xml', dir), runCaller('uac-refer-notify-486.xml', dir)]);
  const datagrams = await cap.stop();
  assert.equal(t.code, 0, `target:\n${describeSipp(t)}`);
  assert.equal(c.code, 0, `caller:\n${describeSipp(c)}`);
  assert.deepEqual(await result, { outcome: 'busy', status: 486, reason: 'Busy Here' });

  const ladder = referLadder(datagrams);
  assert.deepEqual(ladder.slice(0, 6), ['> REFER', '< 202 REFER', '< NOTIFY', '> 200 NOTIFY', '< NOTIFY', '> 200 NOTIFY']);
  const entries = sipLadder(datagrams, ports.sip);
  const busyNotify = entries.findLast((e) => e.method === 'NOTIFY');
  const invite = entries.find((e) => e.method === 'INVITE' && e.dstPort === targetPort);
  const callerBye = entries.find((e) => e.method === 'BYE' && e.dstPort === callerPort);
  assert.ok(busyNotify && invite && invite.timeSec > busyNotify.timeSec, 'after the 486 sipfrag we call the target ourselves');
  assert.ok(callerBye && callerBye.timeSec > invite.timeSec + 0.25, 'the caller stayed on (the beep), then we hung up');
  await stack.assertNothingLeft();
});

test('baresip as the transferee: it calls the target itself, NOTIFYs 100 then 200, we hang up → referred', { timeout: 60_000 }, async () => {
  const dir = testWorkDir('refer-baresip');
  const media = await interopMedia();
  // A value that needs no %-escape: baresip 1.0.0 crashes on one (see the top of the file).
  stack.next = referRequest('sales');
  const profile = writeBaresipProfile(join(dir, 'caller'), {
    user: 'caller', sip: `127.0.0.1:${ports.baresipSip}`, ctrl: `127.0.0.1:${ports.baresipCtrl}`,
    wav: media.silenceWav, rtpPorts: ports.baresipRtpPorts,
  });
  const cap = await startCapture(join(dir, 'lo.pcap'), `udp and (port ${ports.sip} or port ${targetPort})`);
  const baresip = startBaresip(profile.dir, { timeoutSec: 40 });
  const result = stack.nextResult();
  const target = runTarget('uas-refer-target-answer-then-bye.xml', dir);
  let ctrl: BaresipCtrl | undefined;
  let transferTo: string | undefined;
  let secondCall: string | undefined;
  try {
    await baresip.ready();
    ctrl = await BaresipCtrl.connect(profile.ctrlPort);
    await ctrl.dial(`sip:refer@127.0.0.1:${ports.sip}`);
    await ctrl.waitEvent('CALL_ESTABLISHED', 10_000);
    // The menu module acts on every REFER at once (no account option needed; call_transfer=no would refuse it).
    transferTo = (await ctrl.waitEvent('TRANSFER', 10_000)).param;
    secondCall = (await ctrl.waitEvent('CALL_ESTABLISHED', 10_000)).param;
    await ctrl.waitEvent('CALL_CLOSED', 10_000);
    await ctrl.waitEvent('CALL_CLOSED', 10_000);
    await ctrl.quit();
  } catch (e) {
    await baresip.stop();
    await cap.stop();
    throw new Error(`${(e as Error).message}\n${baresip.process.tail()}\ntarget:\n${describeSipp(await target)}`, { cause: e });
  } finally {
    ctrl?.close();
    await baresip.stop();
  }
  const t = await target;
  const datagrams = await cap.stop();
  assert.equal(t.code, 0, `target (checks baresip's Request-URI and From):\n${describeSipp(t)}`);
  assert.deepEqual(await result, { outcome: 'referred' });
  assert.equal(transferTo, `<${TARGET_URI}?X-Switchboard-Department=sales>`, 'baresip saw our Refer-To');
  assert.equal(secondCall, `${TARGET_URI}?X-Switchboard-Department=sales`, 'baresip called the Refer-To URI, headers and all');

  assert.deepEqual(referLadder(datagrams), [
    '> REFER', '< 202 REFER', '< NOTIFY', '> 200 NOTIFY', '< NOTIFY', '> 200 NOTIFY', '> BYE', '< 200 BYE',
  ]);
  const notifies = sipTexts(datagrams, /^NOTIFY /);
  assert.deepEqual(notifies.map((n) => n.slice(n.indexOf('\r\n\r\n') + 4).trim()), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
  assert.match(header(notifies[1], 'Subscription-State') ?? '', /^terminated/);
  const [invite] = datagrams.filter((d) => d.dstPort === targetPort && d.payload.toString('latin1').startsWith('INVITE '))
    .map((d) => d.payload.toString('latin1'));
  assert.ok(invite, 'baresip sent the target an INVITE');
  assert.equal(header(invite, 'X-Switchboard-Department'), undefined, 'baresip 1.0.0 makes no header field of the URI header');
  assert.equal(header(invite, 'Referred-By'), undefined, 'nor does it copy a Referred-By (RFC 3892 §3 says SHOULD)');
  const ladder = sipLadder(datagrams, ports.sip);
  const inviteAt = datagrams.find((d) => d.dstPort === targetPort)?.timeSec ?? 0;
  const finalNotify = ladder.findLast((e) => e.method === 'NOTIFY');
  const ourBye = ladder.find((e) => e.method === 'BYE' && e.srcPort === ports.sip);
  assert.ok(finalNotify && ourBye && inviteAt < finalNotify.timeSec && finalNotify.timeSec < ourBye.timeSec,
    'baresip called the target, then reported 200, then we hung up');
  await stack.assertNothingLeft();
});
