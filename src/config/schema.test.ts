import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../common/index.js';
import { loadConfig } from './load-config.js';
import { configSchema } from './schema.js';

test('trunks default to none', () => {
  assert.deepEqual(loadConfig({ env: {} }).trunks, {});
});

test('a trunk with host, port, transport and digest credentials is accepted as written', () => {
  const c = configSchema.parse({
    trunks: {
      pbx: { uri: 'sip:pbx.example.com:5060;transport=tcp', username: 'acct', password: 's3cret', fromUser: '4420' },
      'lab_2': { uri: 'sip:[::1]:5070' },
      plain: { uri: 'sip:192.0.2.10' },
    },
  });
  assert.deepEqual(c.trunks.pbx, { uri: 'sip:pbx.example.com:5060;transport=tcp', username: 'acct', password: 's3cret', fromUser: '4420' });
  assert.equal(c.trunks.lab_2.uri, 'sip:[::1]:5070');
  assert.equal(c.trunks.plain.username, undefined);
});

test('trunks can come from the environment as JSON', () => {
  const c = loadConfig({ env: { SWB_TRUNKS: '{"pbx":{"uri":"sip:127.0.0.1:5090","username":"u","password":"p"}}' } });
  assert.equal(c.trunks.pbx.uri, 'sip:127.0.0.1:5090');
  assert.equal(c.trunks.pbx.password, 'p');
});

test('every bad trunk is reported at once, naming the trunk and the field', () => {
  try {
    loadConfig({
      env: {},
      overrides: {
        trunks: {
          withUser: { uri: 'sip:100@pbx.example.com' },
          tls: { uri: 'sips:pbx.example.com' },
          udpish: { uri: 'sip:pbx.example.com;transport=sctp' },
          bigPort: { uri: 'sip:pbx.example.com:70000' },
          halfCreds: { uri: 'sip:pbx.example.com', username: 'u' },
          'bad name': { uri: 'sip:pbx.example.com' },
          typo: { uri: 'sip:pbx.example.com', pasword: 'x' },
        },
      },
    });
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(isSwitchboardError(e, 'SWB_ERR_CONFIG_INVALID'));
    assert.match(e.message, /trunks\.withUser\.uri .*without user part/);
    assert.match(e.message, /trunks\.tls\.uri .*TLS/);
    assert.match(e.message, /trunks\.udpish\.uri .*transport must be udp or tcp/);
    assert.match(e.message, /trunks\.bigPort\.uri .*port must be/);
    assert.match(e.message, /trunks\.halfCreds.*username and password go together/);
    assert.match(e.message, /trunks\.bad name.*trunk names/);
    assert.match(e.message, /trunks\.typo.*pasword/);
  }
});
