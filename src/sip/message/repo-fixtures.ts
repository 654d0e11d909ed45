/** Locates committed test data (test/torture, test/fixtures) from compiled tests, whatever the output dir. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoPath(...parts: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return join(dir, ...parts);
}

export function readRepoFile(...parts: string[]): Buffer {
  return readFileSync(repoPath(...parts));
}
