import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NODE_SCHEMAS, flowFileSchema, keysAllowedAt } from './flow-schema.js';
import { NODE_TYPES } from './flow-types.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Keys the table names inside another key's parentheses (`validate` (`pattern`, `luhn: true`)). */
const NESTED_KEYS = ['pattern', 'luhn'];

/** The node table of docs/flows.md: type → the keys it lists (backquoted words of the keys column). */
function documentedNodeKeys(): Map<string, string[]> {
  const docs = readFileSync(join(ROOT, 'docs/flows.md'), 'utf8');
  const table = new Map<string, string[]>();
  for (const line of docs.split('\n')) {
    const m = /^\| `(\w+)` \| [^|]+ \| (.+) \|$/.exec(line);
    if (!m || !(NODE_TYPES as readonly string[]).includes(m[1])) continue;
    const keys = [...m[2].matchAll(/`(\w+)(?::[^`]*)?`/g)].map((k) => k[1]).filter((k) => !NESTED_KEYS.includes(k));
    table.set(m[1], keys);
  }
  return table;
}

describe('flow schema', () => {
  it('has one schema per node type, and the types are exactly those of the docs', () => {
    assert.deepEqual(Object.keys(NODE_SCHEMAS).sort(), [...NODE_TYPES].sort());
    assert.deepEqual([...documentedNodeKeys().keys()].sort(), [...NODE_TYPES].sort());
  });

  it('accepts exactly the keys docs/flows.md lists for each node type', () => {
    for (const [type, keys] of documentedNodeKeys()) {
      const schemaKeys = Object.keys(NODE_SCHEMAS[type as keyof typeof NODE_SCHEMAS].shape).filter((k) => k !== 'type');
      assert.deepEqual([...new Set(keys)].sort(), schemaKeys.sort(), `node type ${type}`);
    }
  });

  it('documents every top-level key', () => {
    const docs = readFileSync(join(ROOT, 'docs/flows.md'), 'utf8');
    for (const key of Object.keys(flowFileSchema.shape)) assert.match(docs, new RegExp(`^\\| \`${key}\` \\|`, 'm'), key);
  });

  it('names the keys allowed where an unknown key was found', () => {
    assert.deepEqual(keysAllowedAt(['nodes', 'x'], 'goto'), ['type', 'next']);
    assert.deepEqual(keysAllowedAt(['escape'], undefined), ['key', 'to']);
    assert.deepEqual(keysAllowedAt(['nodes', 'x', 'validate'], 'gather'), ['pattern', 'luhn']);
    assert.deepEqual(keysAllowedAt(['nodes', 'x'], 'nonsense'), []);
  });
});
