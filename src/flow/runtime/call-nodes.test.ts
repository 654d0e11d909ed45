import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, SwitchboardError } from '../../common/index.js';
import type { FlowStorage } from '../nodes/index.js';
import { parseFlowText, type FlowDocument } from '../schema/index.js';
import { SILENT_FLOW_LOGGER } from './flow-run-result.js';
import { FlowRunner } from './flow-runner.js';
import { TestCall } from './test-call.js';

function load(yaml: string): FlowDocument {
  const r = parseFlowText(yaml, '/flows/calls.yaml');
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`).join('\n'));
  return r.flow;
}

/** Storage that records the order of writes (and can fail), so durability-before-confirmation is observable. */
function journal(failing = false): { storage: FlowStorage; log: string[] } {
  const log: string[] = [];
  const fail = (what: string) => {
    log.push(`fail ${what}`);
    throw new SwitchboardError('SWB_ERR_FLOW_STORAGE', `${what} failed`);
  };
  return {
    log,
    storage: {
      async startVoicemail(m) {
        if (failing) fail('startVoicemail');
        log.push(`start ${m.mailbox} ${m.callerId}${m.webhook ? ` ${m.webhook}` : ''}`);
        return { id: 'vm1', path: '/tmp/vm1.wav' };
      },
      async saveVoicemail(id, r) {
        log.push(`save ${id} ${r.durationMs}`);
      },
      async discardVoicemail(id) {
        log.push(`discard ${id}`);
      },
      async saveCallback(c) {
        if (failing) fail('saveCallback');
        log.push(`callback ${c.queue} ${c.number} ${c.window ?? '-'}`);
        return 'cb1';
      },
      async saveSurveyAnswer(a) {
        log.push(`survey ${a.question}=${JSON.stringify(a.answer)}`);
      },
    },
  };
}

async function run(flow: FlowDocument, call: TestCall, storage?: FlowStorage) {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
  const runner = new FlowRunner({ clock, logger: SILENT_FLOW_LOGGER, ...(storage ? { storage } : {}) });
  return runner.run(flow, call);
}

const TRANSFER = `start: go
escape: { to: human }
nodes:
  go:
    type: transfer
    to: "sip:{{ dept }}@192.0.2.1"
    headers: { Department: "{{ dept }}", Note: "{{ note }}" }
    busy: busy
    failed: failed
    next: after
  busy: { type: hangup, prompt: Busy. }
  failed: { type: hangup, prompt: Failed. }
  after: { type: hangup, prompt: Still here. }
  human: { type: hangup, prompt: Human. }
`;

test('transfer: rendered target, context headers (CR/LF cannot inject a header), outcome in the result', async () => {
  const flow = load(TRANSFER);
  const call = new TestCall(new FakeClock(0), []);
  const runner = new FlowRunner({ clock: new FakeClock(0), logger: SILENT_FLOW_LOGGER });
  const result = await runner.run(flow, call, { variables: { dept: 'billing', note: 'vip\r\nX-Evil: 1' } });
  assert.equal(call.transfers.length, 1);
  const t = call.transfers[0];
  assert.equal(t.target, 'sip:billing@192.0.2.1');
  assert.equal(t.method, 'bridge');
  assert.equal(t.ringTimeoutMs, 30_000);
  assert.deepEqual(t.headers.find(([n]) => n === 'X-Switchboard-Department'), ['X-Switchboard-Department', 'billing']);
  assert.deepEqual(t.headers.find(([n]) => n === 'X-Switchboard-Note'), ['X-Switchboard-Note', 'vip X-Evil: 1']);
  assert.ok(t.headers.every(([, v]) => !/[\r\n]/.test(v)));
  assert.ok(call.heard().includes('Still here.'), 'the target hung up: the caller continues at next');
  assert.equal(result.outcomes.length, 1);
  assert.equal(result.outcomes[0].type, 'transfer');
  assert.equal(result.outcomes[0].type === 'transfer' && result.outcomes[0].result, 'bridged');
});

test('transfer: busy and no-answer take their branches (no-answer falls back to failed); caller ending the bridge ends the run', async () => {
  const flow = load(TRANSFER);
  const busy = new TestCall(new FakeClock(0), []);
  busy.transferResults.push({ outcome: 'busy', status: 486 });
  await run(flow, busy);
  assert.ok(busy.heard().includes('Busy.'));
  const none = new TestCall(new FakeClock(0), []);
  none.transferResults.push({ outcome: 'no-answer' });
  await run(flow, none);
  assert.ok(none.heard().includes('Failed.'));
  const gone = new TestCall(new FakeClock(0), []);
  gone.transferResults.push({ outcome: 'bridged', endedBy: 'caller', talkMs: 5000 });
  const r = await run(flow, gone);
  assert.equal(r.disposition, 'caller-hangup');
  assert.ok(!gone.heard().includes('Still here.'));
});

test('transfer: a number without a trunk is rejected at load', () => {
  const r = parseFlowText('start: t\nnodes:\n  t: { type: transfer, to: "5551234", failed: t }\n', '/flows/x.yaml');
  assert.ok(!r.ok);
  assert.ok(r.errors.some((e) => e.code === 'SWB_FLOW_INVALID_VALUE' && /trunk/.test(e.message)), JSON.stringify(r.errors));
});

const VOICEMAIL = `start: vm
escape: { to: human }
nodes:
  vm:
    type: voicemail
    mailbox: sales
    prompt: Leave a message.
    webhook: "http://hooks.example/vm?from={{ caller }}"
  human: { type: hangup, prompt: Human. }
`;

test('voicemail: row started, recorded, committed — and only then "saved"; the recording is asked for with the node settings', async () => {
  const flow = load(VOICEMAIL);
  const { storage, log } = journal();
  const call = new TestCall(new FakeClock(0), [], '+44 1234');
  const order: string[] = [];
  const origPlay = call.play.bind(call);
  call.play = async (sources, options) => {
    for (const s of sources) order.push(s.kind === 'tts' ? s.text : `[${s.kind === 'named' ? s.name : s.kind}]`);
    order.push(`(storage: ${log.join('; ')})`);
    return origPlay(sources, options);
  };
  const result = await run(flow, call, storage);
  assert.deepEqual(log, ['start sales +44 1234 http://hooks.example/vm?from=%2B44%201234', 'save vm1 4000']);
  assert.deepEqual(call.records[0], { path: '/tmp/vm1.wav', maxDurationMs: 120_000, endOnSilenceMs: 5000, endOnDigits: '#' });
  const saved = order.indexOf('Your message has been saved.');
  assert.ok(saved > 0, order.join(' | '));
  assert.match(order[saved + 1], /save vm1 4000/, 'the commit happened before the caller heard "saved"');
  assert.ok(order.indexOf('[beep]') > order.indexOf('Leave a message.'));
  assert.deepEqual(result.outcomes.map((o) => o.type), ['voicemail']);
});

test('voicemail: nothing said → discarded and not reported; caller hangs up mid-message → still saved', async () => {
  const flow = load(VOICEMAIL);
  const quiet = journal();
  const silent = new TestCall(new FakeClock(0), []);
  silent.recordResults.push({ reason: 'silence', durationMs: 200 });
  const r1 = await run(flow, silent, quiet.storage);
  assert.deepEqual(quiet.log.slice(1), ['discard vm1']);
  assert.ok(silent.heard().includes('No message was recorded.'));
  assert.deepEqual(r1.outcomes, []);

  const leaving = journal();
  const hangs = new TestCall(new FakeClock(0), []);
  hangs.recordResults.push({ reason: 'hangup', durationMs: 9000 });
  const r2 = await run(flow, hangs, leaving.storage);
  assert.deepEqual(leaving.log.slice(1), ['save vm1 9000']);
  assert.equal(r2.disposition, 'caller-hangup');
  assert.ok(!hangs.heard().includes('Your message has been saved.'));
});

test('voicemail: storage that fails takes the escape to a human and never says "saved"', async () => {
  const flow = load(VOICEMAIL);
  const { storage } = journal(true);
  const call = new TestCall(new FakeClock(0), []);
  const result = await run(flow, call, storage);
  assert.ok(call.heard().includes('Human.'));
  assert.ok(!call.heard().some((t) => /saved/.test(t)));
  assert.equal(result.errors[0].code, 'SWB_ERR_FLOW_STORAGE');
  assert.equal(call.records.length, 0, 'nothing recorded when the row could not be started');
});

test('voicemail without configured storage fails over to the escape', async () => {
  const call = new TestCall(new FakeClock(0), []);
  await run(load(VOICEMAIL), call);
  assert.ok(call.heard().includes('Human.'));
});

const CALLBACK = `start: cb
escape: { to: human }
nodes:
  cb:
    type: callback
    queue: support
    windows: [this morning, this afternoon]
    retries: 1
    next: done
  done: { type: hangup, prompt: Done. }
  human: { type: hangup, prompt: Human. }
`;

test('callback: caller ID confirmed with 1, window 2, committed before the thank-you', async () => {
  const { storage, log } = journal();
  const call = new TestCall(new FakeClock(0), ['1', '2'], '441134960000');
  const result = await run(load(CALLBACK), call, storage);
  assert.deepEqual(log, ['callback support 441134960000 this afternoon']);
  assert.ok(call.heard().some((t) => /^Thank you\. We will call you back on .*, this afternoon\.$/.test(t)), call.heard().join(' | '));
  assert.deepEqual(result.outcomes.map((o) => o.type === 'callback' && [o.number, o.window]), [['441134960000', 'this afternoon']]);
});

test('callback: 2 keys another number; a SIP user name is never offered; bad windows fall back after the retries', async () => {
  const other = journal();
  await run(load(CALLBACK), new TestCall(new FakeClock(0), ['2', '07700900123#', '1'], '441134960000'), other.storage);
  assert.deepEqual(other.log, ['callback support 07700900123 this morning']);

  const sip = journal();
  const call = new TestCall(new FakeClock(0), ['12#', '5551234#', '9', 'timeout'], 'alice');
  await run(load(CALLBACK), call, sip.storage);
  assert.ok(!call.heard().some((t) => /alice/.test(t)));
  assert.ok(call.heard().includes('Sorry, that entry is not valid.'), 'too short a number is refused');
  assert.deepEqual(sip.log, [], 'no window chosen: nothing stored');
  assert.ok(call.heard().includes('Human.'));
});

test('survey: answers stored one by one (scale, yes/no, unanswered as null)', async () => {
  const flow = load(`start: s
nodes:
  s:
    type: survey
    retries: 0
    questions:
      - { id: rating, prompt: Rate us., answer: scale }
      - { id: solved, prompt: Solved?, answer: yes-no }
      - { id: again, prompt: Again?, answer: yes-no }
`);
  const { storage, log } = journal();
  const result = await run(flow, new TestCall(new FakeClock(0), ['5', '2', '7']), storage);
  assert.deepEqual(log, ['survey rating=5', 'survey solved=false', 'survey again=null']);
  assert.equal(result.outcomes.length, 3);
});

test('menu: options whose condition fails are not offered, not spoken and invalid as keys', async () => {
  const flow = load(`start: m
escape: { to: human }
nodes:
  m:
    type: menu
    prompt: Your parcel.
    retries: 0
    fallback: human
    options:
      "1": { to: a, say: To track it, when: 'status == "moving"' }
      "2": { to: b, say: To rebook, when: 'status == "missed"' }
  a: { type: hangup, prompt: A. }
  b: { type: hangup, prompt: B. }
  human: { type: hangup, prompt: Human. }
`);
  const call = new TestCall(new FakeClock(0), ['1']);
  const runner = new FlowRunner({ clock: new FakeClock(0), logger: SILENT_FLOW_LOGGER });
  await runner.run(flow, call, { variables: { status: 'missed' } });
  assert.deepEqual(call.heard().slice(0, 2), ['Your parcel.', 'To rebook, press 2.']);
  assert.ok(call.heard().includes('Human.'), 'key 1 is not offered for a missed parcel');
  const none = new TestCall(new FakeClock(0), []);
  await runner.run(flow, none, { variables: { status: 'lost' } });
  assert.deepEqual(none.heard(), ['Human.'], 'nothing to offer: straight to the fallback');
});
