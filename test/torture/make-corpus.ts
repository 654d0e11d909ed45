/**
 * Writes the RFC 4475 torture messages (§3.1.1 valid, §3.1.2 invalid, §3.2 and §3.3 semantic) into
 * test/torture/messages/<name>.sip byte for byte: CRLF line endings, the RFC's <hex> octets and <repeat> runs
 * expanded, trailing whitespace kept. The expected outcome of each file is in test/torture/expectations.json.
 * After a build:  node dist/test/torture/make-corpus.js --write   (without --write it only checks that the
 * files on disk are what it would write, and exits 1 if not).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INVALID_CORPUS } from './corpus-invalid.js';
import { SEMANTIC_CORPUS } from './corpus-semantic.js';
import { VALID_CORPUS } from './corpus-valid.js';

const CORPUS: Readonly<Record<string, Buffer>> = { ...VALID_CORPUS, ...INVALID_CORPUS, ...SEMANTIC_CORPUS };

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

const outDir = join(repoRoot(), 'test', 'torture', 'messages');
if (process.argv.includes('--write')) {
  mkdirSync(outDir, { recursive: true });
  for (const [name, bytes] of Object.entries(CORPUS)) writeFileSync(join(outDir, name), bytes);
  console.log(`wrote ${Object.keys(CORPUS).length} messages to ${outDir}`);
} else {
  const onDisk = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.sip')) : [];
  const stale = Object.entries(CORPUS)
    .filter(([name, bytes]) => !onDisk.includes(name) || !readFileSync(join(outDir, name)).equals(bytes))
    .map(([name]) => name);
  const extra = onDisk.filter((name) => !(name in CORPUS));
  if (stale.length > 0 || extra.length > 0) {
    console.error(`corpus differs from the generator: ${[...stale, ...extra].join(', ')} (run with --write)`);
    process.exitCode = 1;
  } else {
    console.log(`${onDisk.length} messages match the generator`);
  }
}
