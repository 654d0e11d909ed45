/**
 * Every example flow in flows/ against its simulator transcripts in test/fixtures/flows/golden/<flow>/*.txt.
 * A transcript changes only on purpose: after changing a flow or the runtime, regenerate with
 *   SWB_UPDATE_GOLDEN=1 node --test dist/src/flow/simulate/golden.test.js
 * and review the diff. A new case is a file holding just its header (# inputs:, # at:); the run fills it in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFlowFile, type FlowDocument } from '../schema/index.js';
import { parseGoldenCase, renderGoldenCase } from './golden-case.js';
import { simulateFlow } from './simulate-flow.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    assert.notEqual(up, dir, 'package.json not found above the test');
    dir = up;
  }
  return dir;
}

const root = repoRoot();
const flowsDir = join(root, 'flows');
const goldenDir = join(root, 'test', 'fixtures', 'flows', 'golden');
const update = process.env.SWB_UPDATE_GOLDEN === '1';

function loadExampleFlows(): FlowDocument[] {
  return readdirSync(flowsDir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => {
    const r = loadFlowFile(join(flowsDir, f));
    assert.ok(r.ok, `flows/${f} does not load: ${r.ok ? '' : JSON.stringify(r.errors)}`);
    return r.flow;
  });
}

/** The node-to-node steps a flow can take by its own wiring (escape and back keys aside). */
function staticEdges(flow: FlowDocument): Set<string> {
  const edges = new Set<string>();
  const add = (from: string, to: string | undefined) => {
    if (to !== undefined) edges.add(`${from} > ${to}`);
  };
  for (const n of Object.values(flow.nodes)) {
    switch (n.type) {
      case 'say': case 'play': case 'goto': case 'set': case 'subflow': add(n.id, n.next); break;
      case 'menu': Object.values(n.options).forEach((to) => add(n.id, to)); add(n.id, n.fallback); break;
      case 'gather': add(n.id, n.next); add(n.id, n.fallback); break;
      case 'branch': n.conditions.forEach((c) => add(n.id, c.next)); add(n.id, n.otherwise); break;
      case 'switch': Object.values(n.cases).forEach((to) => add(n.id, to)); add(n.id, n.default); break;
      case 'lookup': add(n.id, n.next); add(n.id, n.error); add(n.id, n.notFound); break;
      case 'transfer': add(n.id, n.next); add(n.id, n.busy); add(n.id, n.noAnswer); add(n.id, n.failed); break;
      case 'voicemail': add(n.id, n.next); add(n.id, n.noMessage); break;
      case 'callback': add(n.id, n.next); add(n.id, n.fallback); break;
      case 'survey': add(n.id, n.next); break;
      case 'ask': Object.values(n.intents).forEach((to) => add(n.id, to)); add(n.id, n.keys); add(n.id, n.fallback); break;
      case 'hangup': break;
    }
  }
  return edges;
}

const flows = loadExampleFlows();

test('there are example flows, and every one has golden cases', () => {
  assert.ok(flows.some((f) => f.name === 'demo'), 'flows/demo.yaml is missing');
  for (const flow of flows) {
    const dir = join(goldenDir, flow.name);
    assert.ok(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.txt')), `no golden cases in ${dir}`);
  }
  const names = new Set(flows.map((f) => f.name));
  const orphans = readdirSync(goldenDir, { withFileTypes: true }).filter((d) => d.isDirectory() && !names.has(d.name));
  assert.deepEqual(orphans.map((d) => d.name), [], 'golden folders whose flow is not in flows/');
});

for (const flow of flows) {
  test(`golden transcripts of flow "${flow.name}" match, and together take every step the flow wires`, async () => {
    const dir = join(goldenDir, flow.name);
    const seen = new Set<string>();
    const stale: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
      const path = join(dir, file);
      const expected = readFileSync(path, 'utf8');
      const c = parseGoldenCase(expected, `${flow.name}/${file}`);
      const options = {
        inputs: c.inputs, startTime: c.at, flows, ...(c.from ? { from: c.from } : {}), ...(c.to ? { to: c.to } : {}),
        ...(c.lookups ? { lookups: c.lookups } : {}), ...(c.storageFails ? { failStorage: true } : {}),
        ...(c.speechUnavailable ? { speech: 'unavailable' as const } : {}),
      };
      const transcript = await simulateFlow(flow, options).catch((e: unknown) => {
        throw new Error(`${flow.name}/${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      });
      const actual = renderGoldenCase(c, transcript);
      const own = transcript.result.path.filter((s) => s.flow === flow.name).map((s) => s.node);
      for (let i = 1; i < own.length; i++) seen.add(`${own[i - 1]} > ${own[i]}`);
      if (actual === expected) continue;
      if (update) writeFileSync(path, actual);
      else stale.push(`${file}:\n${actual}`);
    }
    assert.deepEqual(stale, [], 'transcripts differ (SWB_UPDATE_GOLDEN=1 rewrites them; review the diff)');
    const missing = [...staticEdges(flow)].filter((e) => !seen.has(e));
    assert.deepEqual(missing, [], `no golden case of "${flow.name}" takes these steps`);
  });
}
