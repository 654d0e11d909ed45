import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateCommand } from './simulate.js';

function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
}

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = mock.method(console, 'log', (s: unknown) => out.push(String(s)));
  const error = mock.method(console, 'error', (s: unknown) => err.push(String(s)));
  const write = mock.method(process.stdout, 'write', (s: unknown) => (out.push(String(s)), true));
  try {
    const code = await simulateCommand(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mock.restore();
    error.mock.restore();
    write.mock.restore();
  }
}

const demo = join(repoRoot(), 'flows', 'demo.yaml');

test('simulate prints the transcript and the route of the demo flow', async () => {
  const r = await capture([demo, '--from', '123', '--to', 'demo', '--input', '2,1234#', '--input', '0', '--at', '2026-11-21T10:00:00Z']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /# inputs: 2,1234#,0/);
  assert.match(r.out, /SAY: You entered one, two, three, four\./);
  assert.match(r.out, /ROUTE: welcome > main > digits > readback > main > goodbye/);
});

test('simulate speaks for the caller where the flow listens, or asks with keys under --no-speech', async () => {
  const departments = join(repoRoot(), 'flows', 'departments.yaml');
  const spoken = await capture([departments, '--input', 'say:put me through to sales', '--input', 'answer', '--at', '2026-11-21T10:00:00Z']);
  assert.equal(spoken.code, 0, spoken.err);
  assert.match(spoken.out, /ROUTE: welcome > route > connect/);
  const keyed = await capture([departments, '--no-speech', '--input', '2', '--input', 'answer', '--at', '2026-11-21T10:00:00Z']);
  assert.equal(keyed.code, 0, keyed.err);
  assert.match(keyed.out, /ROUTE: welcome > main > sales > route > connect/);
});

test('simulate refuses bad usage and reports a flow that does not load', async () => {
  assert.equal((await capture([])).code, 2);
  assert.equal((await capture([demo, '--at', 'tomorrow'])).code, 2);
  const bad = await capture([demo, '--input', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /"soon" is not keys/);
  const file = join(mkdtempSync(join(tmpdir(), 'swb-cli-')), 'broken.yaml');
  writeFileSync(file, 'start: nowhere\nnodes:\n  a: { type: hangup }\n');
  const broken = await capture([file]);
  assert.equal(broken.code, 1);
  assert.match(broken.err, /broken\.yaml:1:\d+/);
});

test('a flow that fails ends the simulation with status 1', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'swb-cli-')), 'loop.yaml');
  writeFileSync(file, 'start: a\nnodes:\n  a: { type: set, values: { x: \'"a" - 1\' }, next: b }\n  b: { type: hangup }\n');
  const r = await capture([file, '--at', '2026-11-21T10:00:00Z']);
  assert.equal(r.code, 1);
  assert.match(r.out, /ERROR in a: .*needs a number/);
  assert.match(r.out, /END: error/);
});
