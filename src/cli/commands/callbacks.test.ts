import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteMessageStore } from '../../store/index.js';
import { callbacksCommand } from './callbacks.js';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

describe('switchboard callbacks', () => {
  let dir: string;
  let ids: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-callbacks-'));
    const store = new SqliteMessageStore({ dir });
    ids = [
      store.saveCallback({ callId: 'c1', flow: 'main', queue: 'billing', callerId: '201', number: '5551234', window: 'this afternoon', requestedAtMs: T0 }).id,
      store.saveCallback({ callId: 'c2', flow: 'main', queue: 'sales', callerId: '202', number: '202', requestedAtMs: T0 + 90_000 }).id,
    ];
    store.close();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await callbacksCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    return { code, out, err };
  }

  it('prints a table, newest first, and filters by state and queue', async () => {
    const { code, out } = await run(['--data-dir', dir]);
    assert.equal(code, 0);
    assert.deepEqual(out, [
      'id               requested (UTC)      queue    call back  caller  state    window',
      `${ids[1]}  2026-11-21 10:01:30  sales    202        202     pending  -`,
      `${ids[0]}  2026-11-21 10:00:00  billing  5551234    201     pending  this afternoon`,
    ]);
    assert.equal((await run(['--data-dir', dir, '--queue', 'billing'])).out.length, 2);
    assert.equal((await run(['--data-dir', dir, '--state', 'done'])).out[0], 'no callback requests');
  });

  it('marks a request done, shows it as JSON, and exits 1 for an unknown one', async () => {
    const done = await run(['--done', ids[0], '--data-dir', dir]);
    assert.equal(done.code, 0);
    assert.match(done.out[0], new RegExp(`^${ids[0]}: done at \\d{4}-\\d\\d-\\d\\d `));
    const pending = await run(['--data-dir', dir, '--state', 'pending']);
    assert.deepEqual(pending.out.slice(1).map((l) => l.split(' ')[0]), [ids[1]]);
    const shown = await run([ids[0], '--data-dir', dir]);
    assert.equal((JSON.parse(shown.out.join('\n')) as { state: string }).state, 'done');
    const unknown = await run(['--done', 'cb-000000000000', '--data-dir', dir]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err[0], /no callback request cb-000000000000/);
  });

  it('exits 2 on bad usage and does not create a database when there is none', async () => {
    for (const args of [['--state', 'later'], ['--limit', 'x'], ['--done', 'a', 'b'], ['a', 'b']]) {
      const bad = await run([...args, '--data-dir', dir]);
      assert.equal(bad.code, 2, args.join(' '));
      assert.ok(bad.err.some((l) => l.startsWith('usage: switchboard callbacks')));
    }
    const empty = join(dir, 'none');
    const { code, out } = await run(['--data-dir', empty]);
    assert.equal(code, 0);
    assert.match(out[0], /^no callback requests \(no database/);
    assert.equal(existsSync(empty), false);
  });
});
