import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FakeClock, isSwitchboardError } from '../common/index.js';
import { SqliteMessageStore, pcm16MonoWavHeader } from '../store/index.js';
import { FlowStorageAdapter } from './flow-storage-adapter.js';

const T0 = 1_700_000_000_000;

describe('FlowStorageAdapter', () => {
  let dir: string;
  let store: SqliteMessageStore;
  let wakes: number;
  let storage: FlowStorageAdapter;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-flow-storage-'));
    store = new SqliteMessageStore({ dir, clock: new FakeClock(T0) });
    wakes = 0;
    storage = new FlowStorageAdapter(store, { wake: () => { wakes++; } });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a voicemail through start → save, committed at each step, and wakes the notifier for its webhook', async () => {
    const pending = await storage.startVoicemail({
      callId: 'c1', flow: 'main', mailbox: 'sales', callerId: '201', calledUser: '100', webhook: 'http://crm.example/vm',
    });
    assert.ok(existsSync(dirname(pending.path)));
    assert.equal(store.getVoicemail(pending.id)?.state, 'recording');
    writeFileSync(pending.path, Buffer.concat([pcm16MonoWavHeader(1600), Buffer.alloc(1600)]));
    await storage.saveVoicemail(pending.id, { durationMs: 100, recordedAtMs: T0 });
    assert.equal(store.getVoicemail(pending.id)?.state, 'saved');
    assert.equal(store.outbox.list()[0]?.event, 'voicemail.saved');
    assert.equal(wakes, 1);
  });

  it('discards an empty recording', async () => {
    const pending = await storage.startVoicemail({ callId: 'c1', flow: 'main', mailbox: 'main', callerId: '201', calledUser: '100' });
    writeFileSync(pending.path, pcm16MonoWavHeader(0));
    await storage.discardVoicemail(pending.id);
    assert.equal(store.getVoicemail(pending.id), undefined);
    assert.equal(existsSync(pending.path), false);
  });

  it('rejects rather than resolving when the store cannot save', async () => {
    const pending = await storage.startVoicemail({ callId: 'c1', flow: 'main', mailbox: 'main', callerId: '201', calledUser: '100' });
    await assert.rejects(storage.saveVoicemail(pending.id, { durationMs: 100, recordedAtMs: T0 }), (e) => isSwitchboardError(e, 'SWB_ERR_STORE'));
    store.close();
    await assert.rejects(storage.saveSurveyAnswer({ callId: 'c1', flow: 'main', survey: 's', question: 'q', answer: 3, answeredAtMs: T0 }),
      (e) => isSwitchboardError(e, 'SWB_ERR_STORE'));
  });

  it('saves callback requests and survey answers', async () => {
    const id = await storage.saveCallback({
      callId: 'c2', flow: 'main', queue: 'billing', callerId: '201', number: '5551234', window: 'tomorrow morning', requestedAtMs: T0,
    });
    assert.equal(store.getCallback(id)?.window, 'tomorrow morning');
    assert.equal(wakes, 0, 'no webhook, no wake-up');
    await storage.saveCallback({ callId: 'c3', flow: 'main', queue: 'billing', callerId: '202', number: '202', requestedAtMs: T0, webhook: 'http://crm.example/cb' });
    assert.equal(wakes, 1);
    await storage.saveSurveyAnswer({ callId: 'c2', flow: 'main', survey: 'csat', question: 'q1', answer: false, answeredAtMs: T0 });
    assert.deepEqual(store.listSurveyAnswers().map((a) => a.answer), [false]);
  });
});
