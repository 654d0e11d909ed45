import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintCommand } from './lint.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/flows');

async function run(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await lintCommand(args, { out: (line) => lines.push(line) });
  return { code, lines };
}

describe('switchboard lint', () => {
  it('passes a folder of good flows with exit 0', async () => {
    const { code, lines } = await run(join(FIXTURES, 'good'));
    assert.deepEqual(lines, ['0 errors, 0 warnings']);
    assert.equal(code, 0);
  });

  it('prints errors like a compiler, relative to the working folder, and exits 1', async () => {
    const file = join(FIXTURES, 'bad/unknown-node.yaml');
    const { code, lines } = await run(file);
    assert.deepEqual(lines, [
      `${relative(process.cwd(), file)}:10:12: error SWB_FLOW_UNKNOWN_NODE: option '1' leads to 'saels', which is not a node (did you mean 'sales'?)`,
      '1 error, 0 warnings',
    ]);
    assert.equal(code, 1);
  });

  it('exits 0 when there are only warnings', async () => {
    const { code, lines } = await run(join(FIXTURES, 'bad/too-many-options.yaml'), join(FIXTURES, 'bad/no-escape.yaml'));
    assert.equal(lines.length, 3);
    assert.match(lines[0], /no-escape\.yaml:3:9: warning SWB_FLOW_NO_ESCAPE: /);
    assert.match(lines[1], /too-many-options\.yaml:10:7: warning SWB_FLOW_TOO_MANY_OPTIONS: /);
    assert.equal(lines[2], '0 errors, 2 warnings');
    assert.equal(code, 0);
  });

  it('finds subflows of a single file among the flows beside it', async () => {
    const { code, lines } = await run(join(FIXTURES, 'good/office.yaml'));
    assert.deepEqual(lines, ['0 errors, 0 warnings']);
    assert.equal(code, 0);
  });

  it('checks numbers across the files of a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swb-lint-'));
    try {
      const flow = (n: string) => `numbers: ["${n}"]\nescape: false\nstart: m\nnodes:\n  m:\n    type: hangup\n`;
      writeFileSync(join(dir, 'a.yaml'), flow('100'));
      writeFileSync(join(dir, 'b.yaml'), flow('100'));
      const { code, lines } = await run(dir);
      assert.equal(code, 1);
      assert.ok(lines.some((l) => /b\.yaml:1:11: error SWB_FLOW_DUPLICATE_NUMBER: number '100' is claimed by both .*b\.yaml and .*a\.yaml/.test(l)), lines.join('\n'));
      assert.equal(lines[lines.length - 1], '1 error, 1 warning');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing path as an error and prints usage without arguments', async () => {
    const missing = await run(join(FIXTURES, 'no-such-dir'));
    assert.equal(missing.code, 1);
    assert.match(missing.lines[0], /no-such-dir:1:1: error SWB_FLOW_FILE_UNREADABLE: no such file or folder/);
    const usage = await run();
    assert.equal(usage.code, 2);
    assert.match(usage.lines[0], /^usage: switchboard lint/);
  });
});
