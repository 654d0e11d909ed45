import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FakeClock } from '../../common/index.js';
import { SqliteMessageStore, pcm16MonoWavHeader } from '../../store/index.js';
import { voicemailsCommand } from './voicemails.js';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

describe('switchboard voicemails', () => {
  let dir: string;
  let ids: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-voicemails-'));
    const store = new SqliteMessageStore({ dir, clock: new FakeClock(T0) });
    ids = [];
    for (const [i, mailbox] of ['sales', 'support'].entries()) {
      const v = store.startVoicemail({ callId: `c${i}`, flow: 'main', mailbox, callerId: `20${i}`, calledUser: '100' });
      writeFileSync(v.path, Buffer.concat([pcm16MonoWavHeader(16), Buffer.alloc(16)]));
      store.saveVoicemail(v.id, { durationMs: 65_000 * (i + 1), recordedAtMs: T0 + 60_000 * i });
      ids.push(v.id);
    }
    ids.push(store.startVoicemail({ callId: 'c2', flow: 'main', mailbox: 'sales', callerId: '202', calledUser: '100' }).id);
    store.close();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[], env: Record<string, string | undefined> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await voicemailsCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out, err };
  }

  it('prints a table, newest first', async () => {
    const { code, out, err } = await run(['--data-dir', dir]);
    assert.deepEqual(err, []);
    assert.equal(code, 0);
    assert.deepEqual(out, [
      'id               recorded (UTC)       mailbox  from → to  length  state',
      `${ids[2]}  2026-11-21 10:00:00  sales    202 → 100  -       recording`,
      `${ids[1]}  2026-11-21 10:01:00  support  201 → 100  2m10s   saved`,
      `${ids[0]}  2026-11-21 10:00:00  sales    200 → 100  1m05s   saved`,
    ]);
  });

  it('filters by mailbox and state, pages, and reads the data dir from SWB_DATA_DIR', async () => {
    const sales = await run(['--mailbox', 'sales', '--state', 'saved'], { SWB_DATA_DIR: dir });
    assert.equal(sales.out.length, 2);
    assert.ok(sales.out[1].startsWith(ids[0]));
    const page = await run(['--data-dir', dir, '--limit', '1']);
    assert.equal(page.out[2], `more: --before ${ids[2]}`);
    const next = await run(['--data-dir', dir, '--limit', '1', '--before', ids[2]]);
    assert.ok(next.out[1].startsWith(ids[1]));
  });

  it('prints one message as JSON, and exits 1 for a missing one', async () => {
    const { code, out } = await run([ids[1], '--data-dir', dir]);
    assert.equal(code, 0);
    const shown = JSON.parse(out.join('\n')) as { id: string; mailbox: string; durationMs: number; path: string };
    assert.equal(shown.id, ids[1]);
    assert.equal(shown.durationMs, 130_000);
    assert.equal(shown.path, join(dir, 'voicemail', 'support', `${ids[1]}.wav`));
    const missing = await run(['vm-000000000000', '--data-dir', dir]);
    assert.equal(missing.code, 1);
    assert.match(missing.err[0], /no voicemail vm-000000000000 in .*switchboard\.db/);
  });

  it('exits 2 on bad usage and 1 on a bad page cursor', async () => {
    for (const args of [['--limit', '0'], ['--state', 'lost'], ['a', 'b'], ['--bogus']]) {
      const bad = await run([...args, '--data-dir', dir]);
      assert.equal(bad.code, 2, args.join(' '));
      assert.ok(bad.err.some((l) => l.startsWith('usage: switchboard voicemails')));
    }
    const cursor = await run(['--before', 'vm-nope', '--data-dir', dir]);
    assert.equal(cursor.code, 1);
    assert.match(cursor.err[0], /vm-nope/);
  });

  it('does not create a database when there is none', async () => {
    const empty = join(dir, 'nothing-here');
    const { code, out } = await run(['--data-dir', empty]);
    assert.equal(code, 0);
    assert.match(out[0], /^no voicemails \(no database at .*nothing-here/);
    assert.equal(existsSync(empty), false);
  });
});
