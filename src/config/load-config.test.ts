import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSwitchboardError } from '../common/index.js';
import { envNameFor, loadConfig } from './load-config.js';

test('defaults give SIP 5060 (UDP+TCP) and HTTP 8080', () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.sip.port, 5060);
  assert.deepEqual(c.sip.transports, ['udp', 'tcp']);
  assert.equal(c.http.port, 8080);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.sip));
});

test('file < env: env wins, nested keys by SWB_SECTION_KEY', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-cfg-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'sip:\n  port: 5070\nhttp:\n  port: 9000\nrtp:\n  portMin: 40000\n  portMax: 40100\n');
  const c = loadConfig({ file, env: { SWB_HTTP_PORT: '9001', SWB_SIP_TRANSPORTS: 'udp' } });
  assert.equal(c.sip.port, 5070);
  assert.equal(c.http.port, 9001);
  assert.equal(c.rtp.portMin, 40000);
  assert.deepEqual(c.sip.transports, ['udp']);
});

test('every bad value is reported at once, naming key and env variable', () => {
  try {
    loadConfig({ env: { SWB_SIP_PORT: '70000', SWB_HTTP_PORT: 'abc', SWB_LOG_LEVEL: 'loud' } });
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(isSwitchboardError(e, 'SWB_ERR_CONFIG_INVALID'));
    assert.match(e.message, /sip\.port \(SWB_SIP_PORT\)/);
    assert.match(e.message, /http\.port \(SWB_HTTP_PORT\)/);
    assert.match(e.message, /log\.level \(SWB_LOG_LEVEL\)/);
  }
});

test('unknown keys in the file are rejected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-cfg-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'sip:\n  prot: 5070\n');
  assert.throws(() => loadConfig({ file, env: {} }), /sip/);
});

test('an unreadable or unparsable file names the file', () => {
  assert.throws(() => loadConfig({ file: '/nonexistent/x.yaml', env: {} }), (e) => isSwitchboardError(e, 'SWB_ERR_CONFIG_FILE') && /nonexistent/.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'swb-cfg-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'sip: [1, 2\n');
  assert.throws(() => loadConfig({ file, env: {} }), (e) => isSwitchboardError(e, 'SWB_ERR_CONFIG_FILE') && e.message.includes(file));
});

test('env names follow the key path', () => {
  assert.equal(envNameFor(['rtp', 'portMin']), 'SWB_RTP_PORT_MIN');
  assert.equal(envNameFor(['sip', 'maxMessageBytes']), 'SWB_SIP_MAX_MESSAGE_BYTES');
});
