import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SILENT_FLOW_LOGGER } from '../flow/index.js';
import { DemoCrm } from './demo-crm.js';
import type { Logger } from '../observability/index.js';

test('demo CRM: customer by phone (never the PIN), PIN check, balance, notices', async () => {
  const crm = new DemoCrm(join(process.cwd(), 'flows', 'data', 'demo-crm.json'), SILENT_FLOW_LOGGER as unknown as Logger);
  const addr = await crm.listen('127.0.0.1', 0);
  const base = `http://127.0.0.1:${addr.port}`;
  try {
    const customer = await (await fetch(`${base}/customers/15550100`)).json() as Record<string, unknown>;
    assert.deepEqual(customer, { name: 'Ada', account: 'A-1001' });
    assert.equal((await fetch(`${base}/customers/999`)).status, 404);
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
    assert.deepEqual(await (await post('/verify', { account: 'A-1001', pin: '1234' })).json(), { verified: true });
    assert.deepEqual(await (await post('/verify', { account: 'A-1001', pin: '0000' })).json(), { verified: false });
    assert.deepEqual(await (await fetch(`${base}/accounts/A-1001/balance`)).json(), { balance: 1523.75 });
    assert.equal((await post('/notify/voicemail', { id: 'v1' })).status, 204);
    assert.deepEqual(crm.notices, [{ kind: 'voicemail', body: { id: 'v1' } }]);
  } finally {
    await crm.close();
  }
});
