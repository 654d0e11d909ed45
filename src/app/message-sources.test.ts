/** The message routes over a real store and a real HTTP server on 127.0.0.1. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpServer } from '../api/index.js';
import { FakeClock } from '../common/index.js';
import { logger } from '../observability/index.js';
import { SqliteMessageStore, pcm16MonoWavHeader } from '../store/index.js';
import { messageSources } from './message-sources.js';

const T0 = 1_700_000_000_000;

describe('message routes', () => {
  let dir: string;
  let store: SqliteMessageStore;
  let http: HttpServer;
  let base: string;
  const vm: string[] = [];
  let recording: string;
  let cb: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swb-message-http-'));
    store = new SqliteMessageStore({ dir, clock: new FakeClock(T0) });
    for (const [i, mailbox] of ['sales', 'support', 'sales'].entries()) {
      const v = store.startVoicemail({ callId: `c${i}`, flow: 'main', mailbox, callerId: `20${i}`, calledUser: '100' });
      writeFileSync(v.path, Buffer.concat([pcm16MonoWavHeader(160 * (i + 1)), Buffer.alloc(160 * (i + 1), i + 1)]));
      store.saveVoicemail(v.id, { durationMs: 10 * (i + 1), recordedAtMs: T0 + i });
      vm.push(v.id);
    }
    recording = store.startVoicemail({ callId: 'c9', flow: 'main', mailbox: 'sales', callerId: '209', calledUser: '100' }).id;
    cb = ['billing', 'sales'].map((queue, i) =>
      store.saveCallback({ callId: `k${i}`, flow: 'main', queue, callerId: '201', number: '5551234', requestedAtMs: T0 }).id);
    store.saveSurveyAnswer({ callId: 'c1', flow: 'main', survey: 'csat', question: 'q1', answer: 5, answeredAtMs: T0 });
    store.saveSurveyAnswer({ callId: 'c2', flow: 'other', survey: 'csat', question: 'q1', answer: null, answeredAtMs: T0 });
    http = new HttpServer({ health: () => ({ ready: true }), calls: () => [], ...messageSources(store) }, logger('api'));
    const addr = await http.listen('127.0.0.1', 0);
    base = `http://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    await http.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function get(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(base + path, init);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  }

  const ids = (body: Record<string, unknown>, key: string): unknown[] => (body[key] as { id: unknown }[]).map((x) => x.id);

  it('lists voicemails newest first, filtered and paged by an id cursor', async () => {
    assert.deepEqual(ids((await get('/voicemails')).body, 'voicemails'), [recording, vm[2], vm[1], vm[0]]);
    assert.deepEqual(ids((await get('/voicemails?state=saved&limit=2')).body, 'voicemails'), [vm[2], vm[1]]);
    assert.deepEqual(ids((await get(`/voicemails?before=${vm[2]}&mailbox=sales`)).body, 'voicemails'), [vm[0]]);
    for (const bad of ['limit=x', 'limit=0', 'state=lost', 'before=vm-nope']) {
      const { status, body } = await get(`/voicemails?${bad}`);
      assert.equal(status, 400, bad);
      assert.equal(typeof body.error, 'string');
    }
  });

  it('shows one voicemail and serves its audio as audio/wav', async () => {
    const { status, body } = await get(`/voicemails/${vm[1]}`);
    assert.equal(status, 200);
    assert.equal(body.mailbox, 'support');
    assert.equal(body.durationMs, 20);
    const audio = await fetch(`${base}/voicemails/${vm[1]}/audio`);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get('content-type'), 'audio/wav');
    const bytes = Buffer.from(await audio.arrayBuffer());
    assert.deepEqual(bytes, readFileSync(store.getVoicemail(vm[1])?.path ?? ''));
    assert.equal(bytes.length, 44 + 320);
    const head = await fetch(`${base}/voicemails/${vm[1]}/audio`, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(44 + 320));
  });

  it('answers 404 JSON for unknown ids and for audio still being recorded', async () => {
    for (const path of ['/voicemails/vm-000000000000', `/voicemails/vm-000000000000/audio`, `/voicemails/${recording}/audio`, '/voicemails/x/y/z', '/surveys/1']) {
      const { status, body } = await get(path);
      assert.equal(status, 404, path);
      assert.equal(body.error, 'not found');
    }
  });

  it('lists callback requests by state and marks one done with POST', async () => {
    assert.deepEqual(ids((await get('/callbacks?state=pending')).body, 'callbacks'), [cb[1], cb[0]]);
    const done = await get(`/callbacks/${cb[0]}/done`, { method: 'POST' });
    assert.equal(done.status, 200);
    assert.equal(done.body.state, 'done');
    assert.equal(done.body.doneAtMs, T0);
    assert.deepEqual(ids((await get('/callbacks?state=pending')).body, 'callbacks'), [cb[1]]);
    assert.deepEqual(ids((await get('/callbacks?state=done')).body, 'callbacks'), [cb[0]]);
    assert.equal((await get('/callbacks/cb-000000000000/done', { method: 'POST' })).status, 404);
    assert.equal((await get(`/callbacks/${cb[1]}/done`)).status, 405);
    assert.equal((await get('/callbacks', { method: 'POST' })).status, 405);
    assert.equal((await get('/callbacks?state=maybe')).status, 400);
  });

  it('lists survey answers, filtered by flow', async () => {
    const all = (await get('/surveys')).body.answers as { flow: string; answer: unknown }[];
    assert.deepEqual(all.map((a) => [a.flow, a.answer]), [['other', null], ['main', 5]]);
    const main = (await get('/surveys?flow=main')).body.answers as { callId: string }[];
    assert.deepEqual(main.map((a) => a.callId), ['c1']);
  });

  it('says so when a server keeps no messages', async () => {
    const bare = new HttpServer({ health: () => ({ ready: true }), calls: () => [] }, logger('api'));
    const addr = await bare.listen('127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${addr.port}/voicemails`);
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: 'voicemails are not kept' });
    } finally {
      await bare.close();
    }
  });
});
