import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBounded, spawnBounded } from './bounded-process.js';
import { startServer } from './start-server.js';

/** A stand-in "server": logs JSON lines, answers /healthz after a delay, reports its env and argv. */
const FAKE_SERVER = `
import { createServer } from 'node:http';
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('SWB_')));
console.log(JSON.stringify({ level: 30, msg: 'starting', env, argv: process.argv.slice(2) }));
console.log('not json');
setTimeout(() => {
  createServer((req, res) => { res.statusCode = req.url === '/healthz' ? 200 : 404; res.end('{}'); })
    .listen(Number(process.env.SWB_HTTP_PORT), process.env.SWB_HTTP_HOST, () => console.log(JSON.stringify({ level: 30, msg: 'switchboard ready' })));
}, 300);
// Exit once the line is written: stdout to a pipe is asynchronous, and process.exit() would drop what is pending.
process.on('SIGTERM', () => { process.stdout.write(JSON.stringify({ level: 30, msg: 'stopping' }) + '\\n', () => process.exit(0)); });
`;

test('startServer passes ports and config, waits for /healthz, parses log lines, stops by SIGTERM', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h8-fake-server-'));
  const main = join(dir, 'fake-main.mjs');
  writeFileSync(main, FAKE_SERVER);
  const server = await startServer({
    sipPort: 5391, httpPort: 18391, rtpMin: 30000, rtpMax: 30099, mainPath: main, workDir: join(dir, 'w'),
    config: { apps: { demo: 'demo' } }, env: { SWB_LOG_LEVEL: 'info' }, readyTimeoutMs: 10_000,
  });
  try {
    assert.equal(await server.healthz(), 200);
    const first = server.logs()[0] as { env: Record<string, string>; argv: string[] };
    assert.equal(first.env.SWB_SIP_PORT, '5391');
    assert.equal(first.env.SWB_SIP_HOST, '127.0.0.1');
    assert.equal(first.env.SWB_RTP_PORT_MAX, '30099');
    assert.equal(first.env.SWB_LOG_LEVEL, 'info', 'caller env wins over the defaults');
    assert.equal(first.env.SWB_DATA_DIR, join(dir, 'w', 'data'));
    assert.deepEqual(first.argv.slice(0, 2), ['start', '--config']);
    assert.deepEqual(JSON.parse(readFileSync(first.argv[2], 'utf8')), { apps: { demo: 'demo' } });
    assert.equal(server.logs()[1].msg, 'not json');
    assert.equal((await server.waitForLog((l) => l.msg === 'switchboard ready', 2000)).level, 30);
  } finally {
    const exit = await server.stop();
    assert.equal(exit.code, 0);
  }
  assert.match(readFileSync(server.logFile, 'utf8'), /"stopping"/);
});

test('startServer rejects with the output when the server dies before it is ready', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h8-fake-server-'));
  const main = join(dir, 'dies.mjs');
  writeFileSync(main, "console.error('switchboard: invalid configuration: sip.port'); process.exit(1);\n");
  await assert.rejects(
    startServer({ sipPort: 5392, httpPort: 18392, rtpMin: 30100, rtpMax: 30199, mainPath: main, workDir: join(dir, 'w') }),
    /exited before it was ready[\s\S]*invalid configuration: sip\.port/,
  );
});

test('bounded processes: deadline kills and says so; waitForOutput sees output; stop by PID', { timeout: 20_000 }, async () => {
  const r = await runBounded('sleep', ['30'], { timeoutMs: 300 });
  assert.equal(r.timedOut, true);
  assert.equal(r.signal, 'SIGTERM');

  const p = spawnBounded('sh', ['-c', 'echo ready; exec sleep 30'], { timeoutMs: 10_000 });
  assert.equal((await p.waitForOutput(/rea(dy)/, 5000))[1], 'dy');
  await assert.rejects(p.waitForOutput(/never/, 200), /did not print \/never\/ within 200 ms/);
  const exit = await p.stop();
  assert.equal(exit.signal, 'SIGTERM');
  assert.equal(exit.timedOut, false);
  assert.equal(p.running, false);

  const missing = await runBounded('/nonexistent/binary', [], { timeoutMs: 1000 });
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /spawn \/nonexistent\/binary failed/);
});
