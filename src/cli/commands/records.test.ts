import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteCallRecordStore, type NewCallRecord } from '../../store/index.js';
import { recordsCommand } from './records.js';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

function record(overrides: Partial<NewCallRecord>): NewCallRecord {
  return {
    callId: 'cid',
    from: '201',
    to: '100',
    flow: 'main',
    flowRevision: 'r1',
    offeredAtMs: T0,
    answeredAtMs: T0 + 1000,
    endedAtMs: T0 + 66_000,
    disposition: 'self-served',
    endReason: 'local-bye',
    path: [
      { flow: 'main', node: 'welcome', type: 'say', atMs: T0 + 1000 },
      { flow: 'main', node: 'menu', type: 'menu', atMs: T0 + 3000 },
      { flow: 'main', node: 'bye', type: 'hangup', atMs: T0 + 65_000 },
    ],
    inputs: [{ flow: 'main', node: 'menu', keys: '1', reason: 'max-digits', sensitive: false, atMs: T0 + 5000 }],
    variables: { choice: '1' },
    ...overrides,
  };
}

describe('switchboard records', () => {
  let dir: string;
  let ids: number[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-records-'));
    const store = new SqliteCallRecordStore({ dir });
    ids = [
      store.save(record({ callId: 'one' })),
      store.save(record({ callId: 'two', from: '202', flow: 'sales', disposition: 'abandoned', answeredAtMs: undefined, endedAtMs: T0 + 9000, path: [] })),
      store.save(record({ callId: 'three', disposition: 'caller-hangup', endedAtMs: T0 + 3_601_000 + 5000 })),
    ];
    store.close();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[], env: Record<string, string | undefined> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await recordsCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out, err };
  }

  it('prints a table, newest first', async () => {
    const { code, out, err } = await run(['--data-dir', dir]);
    assert.deepEqual(err, []);
    assert.equal(code, 0);
    assert.deepEqual(out, [
      'id  ended (UTC)          from → to  flow   disposition    duration  route',
      `${ids[2]}   2026-11-21 11:00:06  201 → 100  main   caller-hangup  60m05s    welcome > menu > bye`,
      `${ids[1]}   2026-11-21 10:00:09  202 → 100  sales  abandoned      -`,
      `${ids[0]}   2026-11-21 10:01:06  201 → 100  main   self-served    1m05s     welcome > menu > bye`,
    ]);
  });

  it('filters, pages and reads the data dir from SWB_DATA_DIR', async () => {
    const byFlow = await run(['--flow', 'sales'], { SWB_DATA_DIR: dir });
    assert.equal(byFlow.out.length, 2);
    assert.match(byFlow.out[1], /^\d+\s+.*202 → 100\s+sales\s+abandoned/);
    const byCaller = await run(['--data-dir', dir, '--from', '201', '--limit', '1']);
    assert.equal(byCaller.out.length, 3);
    assert.match(byCaller.out[1], new RegExp(`^${ids[2]}\\s`));
    assert.equal(byCaller.out[2], `more: --before ${ids[2]}`);
    const next = await run(['--data-dir', dir, '--from', '201', '--limit', '1', '--before', String(ids[2])]);
    assert.match(next.out[1], new RegExp(`^${ids[0]}\\s`));
  });

  it('prints one record as JSON', async () => {
    const { code, out } = await run([String(ids[0]), '--data-dir', dir]);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out.join('\n')), { id: ids[0], errors: [], outcomes: [], transcript: [], ...record({ callId: 'one' }) });
  });

  it('exits 1 for a missing record and 2 for bad usage', async () => {
    const missing = await run(['999', '--data-dir', dir]);
    assert.equal(missing.code, 1);
    assert.match(missing.err[0], /no call record 999 in .*switchboard\.db/);
    for (const args of [['abc'], ['--limit', '0'], ['--limit', '5000'], ['--before', 'x'], ['1', '2'], ['--bogus']]) {
      const bad = await run([...args, '--data-dir', dir]);
      assert.equal(bad.code, 2, args.join(' '));
      assert.ok(bad.err.some((l) => l.startsWith('usage: switchboard records')));
    }
  });

  it('does not create a database when there is none', async () => {
    const empty = join(dir, 'nothing-here');
    const { code, out } = await run(['--data-dir', empty]);
    assert.equal(code, 0);
    assert.match(out[0], /^no call records \(no database at .*nothing-here/);
    assert.equal(existsSync(empty), false);
  });
});
