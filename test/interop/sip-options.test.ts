import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSipp, type ServerHandle } from '../support/peers/index.js';
import { testWorkDir } from './media.js';
import { PORT_SLOTS, portBlock } from './ports.js';
import { logTail, startDemoServer } from './server-fixture.js';
import { runScenario } from './sipp-scenario.js';

/** OPTIONS outside a dialog (uac-options.xml): 200, with INVITE in Allow; over UDP and TCP. */

const ports = portBlock(PORT_SLOTS.options);
let server: ServerHandle | undefined;

before(async () => {
  server = await startDemoServer('options', ports);
});

after(async () => {
  await server?.stop();
});

for (const [index, transport] of (['u1', 't1'] as const).entries()) {
  test(`OPTIONS over ${transport === 'u1' ? 'UDP' : 'TCP'} → 200 listing INVITE in Allow`, { timeout: 60_000 }, async () => {
    const dir = testWorkDir(`options-${transport}`);
    const r = await runScenario({
      scenario: 'uac-options.xml', serverSipPort: ports.sip, localPort: ports.sippBase + index, mediaPort: ports.mediaBase + 10 * index,
      cwd: dir, transport, timeoutSec: 15,
    });
    assert.equal(r.code, 0, `${describeSipp(r)}\n${logTail(server!)}`);
    assert.match(r.files['uac-options_logs.log'] ?? r.files['uac-options-tcp_logs.log'] ?? '', /Allow lists INVITE/);
  });
}
