import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FakeClock, isSwitchboardError } from '../common/index.js';
import { SqliteMessageStore, mailboxFolder, pcm16MonoWavHeader, type NewVoicemailRecord } from './index.js';

const T0 = 1_700_000_000_000;

function voicemail(overrides: Partial<NewVoicemailRecord> = {}): NewVoicemailRecord {
  return { callId: 'call-1', flow: 'main', mailbox: 'sales', callerId: '+15551230001', calledUser: '100', ...overrides };
}

/** `samples` PCM16 samples after a header claiming `headerDataBytes` (0: the recorder's placeholder). */
function wav(samples: number, headerDataBytes = 0): Buffer {
  const body = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) body.writeInt16LE((i % 50) * 100 - 2500, i * 2);
  return Buffer.concat([pcm16MonoWavHeader(headerDataBytes), body]);
}

describe('SqliteMessageStore', () => {
  let dir: string;
  let clock: FakeClock;
  let store: SqliteMessageStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-messages-'));
    clock = new FakeClock(T0);
    store = new SqliteMessageStore({ dir, clock });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function reopen(): void {
    store.close();
    store = new SqliteMessageStore({ dir, clock });
  }

  describe('voicemails', () => {
    it('commits the recording row first and names a file in an existing, sanitized mailbox folder', () => {
      const started = store.startVoicemail(voicemail({ mailbox: '../Sales Team/é' }));
      assert.match(started.id, /^vm-[0-9a-f]{12}$/);
      assert.ok(isAbsolute(started.path));
      assert.equal(started.path, join(dir, 'voicemail', mailboxFolder('../Sales Team/é'), `${started.id}.wav`));
      assert.equal(dirname(dirname(started.path)), join(dir, 'voicemail'), 'the mailbox cannot climb out of voicemail/');
      assert.ok(statSync(dirname(started.path)).isDirectory());
      assert.equal(existsSync(started.path), false, 'the recorder creates the file');
      reopen();
      assert.deepEqual(store.getVoicemail(started.id), {
        id: started.id, callId: 'call-1', flow: 'main', mailbox: '../Sales Team/é', callerId: '+15551230001',
        calledUser: '100', path: started.path, state: 'recording', createdAtMs: T0,
      });
    });

    it('finds the audio after the data dir has moved', () => {
      const started = store.startVoicemail(voicemail());
      writeFileSync(started.path, wav(80, 160));
      store.saveVoicemail(started.id, { durationMs: 10, recordedAtMs: T0 });
      store.close();
      const moved = `${dir}-moved`;
      renameSync(dir, moved);
      dir = moved;
      store = new SqliteMessageStore({ dir, clock });
      const found = store.getVoicemail(started.id);
      assert.equal(found?.path, join(moved, 'voicemail', 'sales', `${started.id}.wav`));
      assert.equal(readFileSync(found?.path ?? '').length, 44 + 160);
    });

    it('sanitizes mailbox names into one folder name', () => {
      assert.equal(mailboxFolder('sales'), 'sales');
      assert.equal(mailboxFolder('a/b\\c d'), 'a_b_c_d');
      assert.equal(mailboxFolder('..'), '_');
      assert.equal(mailboxFolder('.hidden'), 'hidden');
      assert.equal(mailboxFolder(''), '_');
      assert.equal(mailboxFolder('x'.repeat(100)).length, 64);
    });

    it('saves a recorded message and queues its webhook in the same commit', () => {
      const started = store.startVoicemail(voicemail({ webhook: 'http://crm.example/hook' }));
      writeFileSync(started.path, wav(8000, 16_000));
      clock.advance(5000);
      const saved = store.saveVoicemail(started.id, { durationMs: 1000.4, recordedAtMs: T0 + 1000 });
      assert.equal(saved.state, 'saved');
      reopen();
      assert.deepEqual(store.getVoicemail(started.id), { ...saved, durationMs: 1000, recordedAtMs: T0 + 1000 });
      const [hook] = store.outbox.list();
      assert.equal(hook.url, 'http://crm.example/hook');
      assert.equal(hook.state, 'pending');
      assert.equal(hook.nextAttemptAtMs, T0 + 5000);
      assert.deepEqual(hook.payload, {
        event: 'voicemail.saved', id: started.id, callId: 'call-1', flow: 'main', mailbox: 'sales', callerId: '+15551230001',
        calledUser: '100', durationMs: 1000, recordedAt: new Date(T0 + 1000).toISOString(),
        audioUrl: `/voicemails/${started.id}/audio`, recovered: false,
      });
    });

    it('queues no webhook for a message without one', () => {
      const started = store.startVoicemail(voicemail());
      writeFileSync(started.path, wav(800, 1600));
      store.saveVoicemail(started.id, { durationMs: 100, recordedAtMs: T0 });
      assert.deepEqual(store.outbox.list(), []);
    });

    it('refuses to call a message saved when its file is missing, unknown or already saved', () => {
      const started = store.startVoicemail(voicemail({ webhook: 'http://crm.example/hook' }));
      assert.throws(() => store.saveVoicemail(started.id, { durationMs: 1, recordedAtMs: T0 }),
        (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && e.message.includes(started.id));
      assert.equal(store.getVoicemail(started.id)?.state, 'recording');
      assert.deepEqual(store.outbox.list(), [], 'no notification for a message that is not saved');
      assert.throws(() => store.saveVoicemail('vm-nope', { durationMs: 1, recordedAtMs: T0 }),
        (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && /no voicemail vm-nope/.test(e.message));
      writeFileSync(started.path, wav(80, 160));
      store.saveVoicemail(started.id, { durationMs: 10, recordedAtMs: T0 });
      assert.throws(() => store.saveVoicemail(started.id, { durationMs: 10, recordedAtMs: T0 }), /already saved/);
      assert.equal(store.outbox.list().length, 1);
    });

    it('discards a recording with nothing said: row and file go; a saved message stays', () => {
      const empty = store.startVoicemail(voicemail());
      writeFileSync(empty.path, pcm16MonoWavHeader(0));
      store.discardVoicemail(empty.id);
      assert.equal(store.getVoicemail(empty.id), undefined);
      assert.equal(existsSync(empty.path), false);
      store.discardVoicemail(empty.id);
      const kept = store.startVoicemail(voicemail());
      writeFileSync(kept.path, wav(80, 160));
      store.saveVoicemail(kept.id, { durationMs: 10, recordedAtMs: T0 });
      assert.throws(() => store.discardVoicemail(kept.id), (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && /saved/.test(e.message));
      assert.ok(existsSync(kept.path));
    });

    it('recovers on start: a half-written file gets its header from its size, an empty or missing one is removed', () => {
      const half = store.startVoicemail(voicemail({ callId: 'half', webhook: 'http://crm.example/hook' }));
      writeFileSync(half.path, Buffer.concat([wav(12_000), Buffer.from([0x7f])]));
      const empty = store.startVoicemail(voicemail({ callId: 'empty' }));
      writeFileSync(empty.path, pcm16MonoWavHeader(0));
      const missing = store.startVoicemail(voicemail({ callId: 'missing' }));
      const done = store.startVoicemail(voicemail({ callId: 'done' }));
      writeFileSync(done.path, wav(800, 1600));
      store.saveVoicemail(done.id, { durationMs: 100, recordedAtMs: T0 });

      reopen();
      assert.equal(store.getVoicemail(half.id)?.state, 'recording', 'opening alone recovers nothing');
      const report = store.recoverVoicemails();
      assert.deepEqual(report, { recovered: [half.id], removed: [empty.id, missing.id] });

      const file = readFileSync(half.path);
      assert.equal(file.length, 44 + 24_000, 'the trailing half sample is cut');
      assert.deepEqual(file.subarray(0, 44), pcm16MonoWavHeader(24_000));
      assert.equal(file.toString('latin1', 0, 4), 'RIFF');
      assert.equal(file.readUInt32LE(4), 36 + 24_000);
      assert.equal(file.readUInt32LE(24), 8000);
      assert.equal(file.readUInt32LE(40), 24_000);
      assert.deepEqual(file.subarray(44), wav(12_000).subarray(44), 'the samples are untouched');
      const recovered = store.getVoicemail(half.id);
      assert.equal(recovered?.state, 'recovered');
      assert.equal(recovered?.durationMs, 1500);
      assert.equal(recovered?.recordedAtMs, T0);
      assert.equal(store.getVoicemail(empty.id), undefined);
      assert.equal(existsSync(empty.path), false);
      assert.equal(store.getVoicemail(missing.id), undefined);
      assert.equal(store.getVoicemail(done.id)?.state, 'saved');
      const hooks = store.outbox.list();
      assert.equal(hooks.length, 1);
      assert.equal(hooks[0].payload.id, half.id);
      assert.equal(hooks[0].payload.recovered, true);
      assert.equal(hooks[0].payload.durationMs, 1500);
      assert.deepEqual(store.recoverVoicemails(), { recovered: [], removed: [] }, 'a second pass finds nothing');
    });

    it('recovers a file whose recorder finished but whose save never committed, leaving it as it is', () => {
      const finished = store.startVoicemail(voicemail());
      const content = wav(4000, 8000);
      writeFileSync(finished.path, content);
      reopen();
      assert.deepEqual(store.recoverVoicemails(), { recovered: [finished.id], removed: [] });
      assert.deepEqual(readFileSync(finished.path), content);
      assert.equal(store.getVoicemail(finished.id)?.durationMs, 500);
    });

    it('lists newest first, by mailbox and state, and pages with an id cursor', () => {
      const ids = ['a', 'b', 'a', 'b', 'a'].map((mailbox) => store.startVoicemail(voicemail({ mailbox })).id);
      assert.deepEqual(store.listVoicemails().map((v) => v.id), [...ids].reverse());
      const page1 = store.listVoicemails({ limit: 2 });
      assert.deepEqual(page1.map((v) => v.id), [ids[4], ids[3]]);
      assert.deepEqual(store.listVoicemails({ limit: 2, before: ids[3] }).map((v) => v.id), [ids[2], ids[1]]);
      assert.deepEqual(store.listVoicemails({ mailbox: 'a', before: ids[4] }).map((v) => v.id), [ids[2], ids[0]]);
      writeFileSync(store.getVoicemail(ids[1])!.path, wav(80, 160));
      store.saveVoicemail(ids[1], { durationMs: 10, recordedAtMs: T0 });
      assert.deepEqual(store.listVoicemails({ state: 'saved' }).map((v) => v.id), [ids[1]]);
      assert.throws(() => store.listVoicemails({ before: 'vm-unknown' }), (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && /vm-unknown/.test(e.message));
      assert.throws(() => store.listVoicemails({ limit: 0 }), /limit/);
    });
  });

  describe('callback requests', () => {
    it('saves a request with its webhook in one commit, lists and marks it done once', () => {
      clock.advance(2000);
      const saved = store.saveCallback({
        callId: 'call-9', flow: 'main', queue: 'billing', callerId: '+15551230009', number: '5559876',
        window: 'this afternoon', requestedAtMs: T0 + 1500, webhook: 'http://crm.example/cb',
      });
      const plain = store.saveCallback({ callId: 'call-10', flow: 'main', queue: 'sales', callerId: '201', number: '201', requestedAtMs: T0 + 1800 });
      assert.match(saved.id, /^cb-[0-9a-f]{12}$/);
      reopen();
      assert.deepEqual(store.getCallback(saved.id), saved);
      assert.equal(store.getCallback(plain.id)?.window, undefined);
      const [hook] = store.outbox.list();
      assert.equal(store.outbox.list().length, 1);
      assert.deepEqual(hook.payload, {
        event: 'callback.requested', id: saved.id, callId: 'call-9', flow: 'main', queue: 'billing', callerId: '+15551230009',
        number: '5559876', window: 'this afternoon', requestedAt: new Date(T0 + 1500).toISOString(),
      });
      assert.equal(hook.event, 'callback.requested');

      clock.advance(1000);
      assert.equal(store.markCallbackDone(saved.id)?.doneAtMs, T0 + 3000);
      clock.advance(1000);
      assert.equal(store.markCallbackDone(saved.id)?.doneAtMs, T0 + 3000, 'done stays done at its first time');
      assert.equal(store.markCallbackDone('cb-unknown'), undefined);
      assert.deepEqual(store.listCallbacks({ state: 'pending' }).map((c) => c.id), [plain.id]);
      assert.deepEqual(store.listCallbacks().map((c) => c.id), [plain.id, saved.id]);
      assert.deepEqual(store.listCallbacks({ queue: 'billing' }).map((c) => c.state), ['done']);
      assert.deepEqual(store.listCallbacks({ before: plain.id }).map((c) => c.id), [saved.id]);
    });
  });

  describe('survey answers', () => {
    it('keeps the answer type (number, boolean, null) and filters by flow and survey', () => {
      const answers = [
        { callId: 'c1', flow: 'main', survey: 'csat', question: 'q1', answer: 4, answeredAtMs: T0 + 1 },
        { callId: 'c1', flow: 'main', survey: 'csat', question: 'q2', answer: true, answeredAtMs: T0 + 2 },
        { callId: 'c2', flow: 'main', survey: 'nps', question: 'q1', answer: null, answeredAtMs: T0 + 3 },
        { callId: 'c3', flow: 'other', survey: 'csat', question: 'q1', answer: false, answeredAtMs: T0 + 4 },
      ];
      const ids = answers.map((a) => store.saveSurveyAnswer(a));
      reopen();
      assert.deepEqual(store.listSurveyAnswers(), answers.map((a, i) => ({ id: ids[i], ...a })).reverse());
      assert.deepEqual(store.listSurveyAnswers({ flow: 'main' }).map((a) => a.answer), [null, true, 4]);
      assert.deepEqual(store.listSurveyAnswers({ flow: 'main', survey: 'csat' }).map((a) => a.question), ['q2', 'q1']);
      assert.deepEqual(store.listSurveyAnswers({ limit: 1, before: ids[2] }).map((a) => a.id), [ids[1]]);
    });

    it('rejects an answer that is not a number, true/false or null', () => {
      for (const answer of ['4', Number.NaN, {}]) {
        assert.throws(
          () => store.saveSurveyAnswer({ callId: 'c', flow: 'f', survey: 's', question: 'q', answer: answer as never, answeredAtMs: T0 }),
          (e) => isSwitchboardError(e, 'SWB_ERR_STORE') && /survey answer/.test(e.message),
        );
      }
      assert.deepEqual(store.listSurveyAnswers(), []);
    });
  });

  it('keeps a voicemail saved by a process that is killed with SIGKILL right after saveVoicemail() returns', () => {
    store.close();
    const storeUrl = new URL('./index.js', import.meta.url).href;
    const script = `
      import { writeFileSync, openSync, fsyncSync, closeSync, writeSync } from 'node:fs';
      const { SqliteMessageStore, pcm16MonoWavHeader } = await import(${JSON.stringify(storeUrl)});
      const store = new SqliteMessageStore({ dir: ${JSON.stringify(dir)} });
      const vm = store.startVoicemail(${JSON.stringify(voicemail({ callId: 'killed', webhook: 'http://crm.example/hook' }))});
      const fd = openSync(vm.path, 'w');
      writeSync(fd, Buffer.concat([pcm16MonoWavHeader(3200), Buffer.alloc(3200, 1)]));
      fsyncSync(fd);
      closeSync(fd);
      store.saveVoicemail(vm.id, { durationMs: 200, recordedAtMs: 1700000000000 });
      writeSync(1, vm.id);
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    const id = child.stdout;
    assert.match(id, /^vm-[0-9a-f]{12}$/, `child printed ${JSON.stringify(child.stdout)}`);
    assert.ok(existsSync(join(dir, 'switchboard.db-wal')), 'the child never checkpointed: the commit lives in the WAL');
    reopen();
    const saved = store.getVoicemail(id);
    assert.equal(saved?.state, 'saved');
    assert.equal(saved?.durationMs, 200);
    assert.equal(readFileSync(saved?.path ?? '').length, 44 + 3200);
    const hooks = store.outbox.list();
    assert.equal(hooks.length, 1);
    assert.equal(hooks[0].payload.id, id);
    assert.deepEqual(store.recoverVoicemails(), { recovered: [], removed: [] });
  });
});
