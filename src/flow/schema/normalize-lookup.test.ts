import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlowText } from './load-flow.js';

const HEAD = 'start: a\ntables: { depts: { sales: { route: "sip:s@pbx" } } }\nnodes:\n  b: { type: hangup }\n  a:\n    type: lookup\n';

function errors(node: string): string[] {
  const r = parseFlowText(HEAD + node, '/flows/t.yaml');
  return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`);
}

test('a lookup loads with defaults: GET, 3s, no retries, no headers', () => {
  const r = parseFlowText(`${HEAD}    http: { url: "https://x/{{ caller }}" }\n    into: { n: a.b }\n    next: b\n    error: b\n`, '/flows/t.yaml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  assert.deepEqual(r.flow.nodes.a, {
    id: 'a', type: 'lookup', http: { url: 'https://x/{{ caller }}', method: 'GET', headers: {}, timeoutMs: 3000, retries: 0 },
    into: { n: 'a.b' }, next: 'b', error: 'b',
  });
  assert.deepEqual(r.flow.tables, { depts: { sales: { route: 'sip:s@pbx' } } });
});

test('lookup mistakes are reported where they are written', () => {
  assert.deepEqual(errors('    into: { n: a }\n    error: b\n'), ["5:3 SWB_FLOW_MISSING_KEY lookup node 'a' needs 'http' or 'table' (one of them)"]);
  assert.match(errors('    http: { url: "x" }\n    into: { n: a }\n')[0], /SWB_FLOW_MISSING_KEY/, 'error is required');
  assert.match(errors('    http: { url: "x/{{ 1 + }}" }\n    into: { n: a }\n    error: b\n')[0], /^7:28 SWB_FLOW_INVALID_EXPRESSION/);
  assert.match(errors('    http: { url: "x", timeout: soon }\n    into: { n: a }\n    error: b\n')[0], /SWB_FLOW_INVALID_DURATION/);
  assert.match(errors('    table: dept\n    key: "{{ d }}"\n    into: { n: route }\n    error: b\n')[0], /table 'dept' is not in the flow's tables \(did you mean 'depts'\?\)/);
  assert.match(errors('    table: depts\n    into: { n: route }\n    error: b\n')[0], /needs 'key'/);
  assert.match(errors('    table: depts\n    key: x\n    into: { caller: route }\n    error: b\n')[0], /SWB_FLOW_INVALID_ID.*built-in/);
  assert.match(errors('    table: depts\n    key: x\n    into: { n: "a..b" }\n    error: b\n')[0], /not a dotted path/);
  assert.match(errors('    http: { url: x, body: "{}" }\n    into: { n: a }\n    error: b\n')[0], /GET request has no body/);
  assert.match(errors('    http: { url: x, verb: GET }\n    into: { n: a }\n    error: b\n')[0], /SWB_FLOW_UNKNOWN_KEY.*verb/);
});
