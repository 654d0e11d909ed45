import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, isSwitchboardError } from '../common/index.js';
import { prepareFliteRequest } from './flite-engine.js';
import { FliteWorkerPool } from './flite-worker-pool.js';

const request = (text: string, voice = 'slt') => prepareFliteRequest(text, { voice }, 'slt');

test('the event loop keeps turning while a worker synthesizes', async () => {
  const pool = new FliteWorkerPool();
  try {
    await pool.warmUp();
    let settled = false;
    const audio = pool.run(request('Thank you for calling Switchboard. Please hold while we connect you.'))
      .finally(() => { settled = true; });
    let turns = 0;
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    assert.ok((await audio).pcm.length > 3 * 16000);
    assert.ok(turns > 5, `only ${turns} event-loop turns during synthesis`);
  } finally {
    await pool.close();
  }
});

test('jobs queue for a single worker and each gets its own audio', async () => {
  const pool = new FliteWorkerPool({ size: 1 });
  try {
    const texts = ['One.', 'Two, three, four, five, six.', 'Seven.'];
    const results = await Promise.all(texts.map((t) => pool.run(request(t))));
    assert.ok(results[1].pcm.length > results[0].pcm.length * 1.5);
    assert.ok(results[1].pcm.length > results[2].pcm.length * 1.5);
  } finally {
    await pool.close();
  }
});

test('a synthesis past its deadline fails, and a fresh worker takes the next job', async () => {
  const clock = new FakeClock();
  const pool = new FliteWorkerPool({ clock, timeoutMs: 5000 });
  try {
    await pool.warmUp();
    const late = pool.run(request('This one is abandoned.'));
    assert.equal(clock.pendingTimers(), 1);
    clock.advance(5000);
    await assert.rejects(late, (e) => isSwitchboardError(e, 'SWB_ERR_TTS_FAILED') && /abandoned.*no result after 5000 ms/.test(e.message));
    const next = await pool.run(request('This one is spoken.'));
    assert.ok(next.pcm.length > 8000);
    assert.equal(clock.pendingTimers(), 0);
  } finally {
    await pool.close();
  }
});

test('a full queue and a closed pool reject with SWB_ERR_TTS_FAILED', async () => {
  const pool = new FliteWorkerPool({ maxQueued: 1 });
  await pool.warmUp();
  const running = pool.run(request('Running now.'));
  const queued = pool.run(request('Waiting.'));
  await assert.rejects(pool.run(request('One too many.')), (e) => isSwitchboardError(e, 'SWB_ERR_TTS_FAILED') && /already waiting/.test(e.message));
  const runningFails = assert.rejects(running, /pool was closed/);
  const queuedFails = assert.rejects(queued, /pool was closed/);
  await pool.close();
  await runningFails;
  await queuedFails;
  await assert.rejects(pool.run(request('After close.')), /pool is closed/);
});

test('a pool size that is not a positive integer is a configuration error', () => {
  assert.throws(() => new FliteWorkerPool({ size: 0 }), (e) => isSwitchboardError(e, 'SWB_ERR_CONFIG_INVALID'));
});
