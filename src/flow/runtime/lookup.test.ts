import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../../common/index.js';
import { parseFlowText, type FlowDocument } from '../schema/index.js';
import { SILENT_FLOW_LOGGER } from './flow-run-result.js';
import { FlowRunner } from './flow-runner.js';
import { TestCall } from './test-call.js';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }

/** A real HTTP server on 127.0.0.1 whose answer to each request the test scripts. */
let respond: (req: Seen, res: ServerResponse) => void = (_req, res) => res.end();
const seen: Seen[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
    seen.push(r);
    respond(r, res);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => {
  server.closeAllConnections();
  server.close();
});

function flow(node: string, tables = ''): FlowDocument {
  const yaml = `start: account\n${tables}nodes:\n${node}
  greet: { type: hangup, prompt: "Hello {{ name }}, you owe {{ balance }}." }
  operator: { type: hangup, prompt: Operator. }
  missing: { type: hangup, prompt: No such department. }
`;
  const r = parseFlowText(yaml, '/flows/lookup.yaml');
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.flow;
}

const http = (extra: string) => `  account:
    type: lookup
    http:
      url: "${base}/customers?phone={{ caller }}"
${extra}    into: { name: customer.name, balance: customer.balance }
    next: greet
    error: operator
`;

async function run(doc: FlowDocument, variables = {}) {
  seen.length = 0;
  const call = new TestCall(new FakeClock(0), [], '+44 20 7946&0000');
  const result = await new FlowRunner({ logger: SILENT_FLOW_LOGGER }).run(doc, call, { variables });
  return { call, result, route: result.path.map((s) => s.node) };
}

const json = (status: number, value: unknown) => (_req: Seen, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

test('GET: the caller is URL-encoded into the URL, JSON paths land in variables, then next', async () => {
  respond = json(200, { customer: { name: 'Ada', balance: 12.5 } });
  const { call, result, route } = await run(flow(http('      headers: { Authorization: "Bearer abc" }\n')));
  assert.deepEqual(route, ['account', 'greet']);
  assert.equal(seen[0].url, '/customers?phone=%2B44%2020%207946%260000');
  assert.equal(seen[0].method, 'GET');
  assert.equal(seen[0].headers.authorization, 'Bearer abc');
  assert.deepEqual([result.variables.name, result.variables.balance], ['Ada', 12.5]);
  assert.deepEqual(call.heard(), ['Hello Ada, you owe 12.5.']);
});

test('POST: the body template escapes values as JSON string content and is sent as JSON', async () => {
  respond = json(200, { customer: { name: 'Bo', balance: 0 } });
  const node = http(`      method: POST\n      body: '{"phone": "{{ caller + quote }}"}'\n`);
  const { route } = await run(flow(node), { quote: '"}' });
  assert.deepEqual(route, ['account', 'greet']);
  assert.deepEqual(JSON.parse(seen[0].body), { phone: '+44 20 7946&0000"}' });
  assert.equal(seen[0].headers['content-type'], 'application/json');
});

test('a server that never answers: the timeout (200ms) sends the call to error, nothing stored', async () => {
  respond = () => {};
  const started = Date.now();
  const { result, route } = await run(flow(http('      timeout: 200ms\n')));
  assert.deepEqual(route, ['account', 'operator']);
  assert.equal(seen.length, 1);
  assert.ok(Date.now() - started < 2000, 'gave up near the timeout');
  assert.equal(result.variables.name, undefined);
});

test('a 500 is retried, and the retry that succeeds is used', async () => {
  let n = 0;
  respond = (req, res) => (n++ === 0 ? json(500, {})(req, res) : json(200, { customer: { name: 'Cy', balance: 3 } })(req, res));
  const { result, route } = await run(flow(http('      retries: 1\n')));
  assert.equal(seen.length, 2);
  assert.deepEqual(route, ['account', 'greet']);
  assert.equal(result.variables.name, 'Cy');
});

test('a 500 without retries, a 404 even with retries: error branch after one attempt each', async () => {
  respond = json(500, {});
  assert.deepEqual((await run(flow(http('')))).route, ['account', 'operator']);
  assert.equal(seen.length, 1);
  respond = json(404, {});
  assert.deepEqual((await run(flow(http('      retries: 2\n')))).route, ['account', 'operator']);
  assert.equal(seen.length, 1, '4xx is not retried');
});

test('a body that is not JSON, or JSON without the path, goes to error', async () => {
  respond = (_req, res) => res.end('<html>oops</html>');
  assert.deepEqual((await run(flow(http('')))).route, ['account', 'operator']);
  respond = json(200, { customer: { name: 'Di' } });
  const { route, result } = await run(flow(http('')));
  assert.deepEqual(route, ['account', 'operator']);
  assert.equal(result.variables.name, undefined, 'nothing stored when one path is missing');
});

test('a network error (nothing listening) goes to error', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const node = http('').replace(base, `http://127.0.0.1:${port}`);
  assert.deepEqual((await run(flow(node))).route, ['account', 'operator']);
});

const TABLES = `tables:
  departments:
    billing: { route: "sip:billing@pbx" }
    sales: { route: "sip:sales@pbx", floor: 3 }
`;
const TABLE_NODE = (notFound: string) => `  account:
    type: lookup
    table: departments
    key: "{{ dept }}"
    into: { name: route }
    next: greet
    error: operator
${notFound}`;

test('table: a hit stores the row value; a miss goes to notFound, or to error without one', async () => {
  const hit = await run(flow(TABLE_NODE('    notFound: missing\n'), TABLES), { dept: 'sales', balance: 0 });
  assert.deepEqual(hit.route, ['account', 'greet']);
  assert.equal(hit.result.variables.name, 'sip:sales@pbx');
  assert.equal(seen.length, 0, 'a table lookup makes no request');
  assert.deepEqual((await run(flow(TABLE_NODE('    notFound: missing\n'), TABLES), { dept: 'hr' })).route, ['account', 'missing']);
  assert.deepEqual((await run(flow(TABLE_NODE(''), TABLES), { dept: 'hr' })).route, ['account', 'operator']);
});

test('the injected httpFetch replaces the network', async () => {
  const requests: string[] = [];
  const runner = new FlowRunner({
    logger: SILENT_FLOW_LOGGER,
    httpFetch: async (r) => {
      requests.push(`${r.node} ${r.method} ${r.url}`);
      return { status: 200, body: '{"customer":{"name":"Ed","balance":[1,2]}}' };
    },
  });
  const result = await runner.run(flow(http('')), new TestCall(new FakeClock(0), [], '1'));
  assert.deepEqual(requests, [`account GET ${base}/customers?phone=1`]);
  assert.deepEqual(result.variables.balance, [1, 2]);
});
