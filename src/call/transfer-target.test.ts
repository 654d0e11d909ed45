import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUri } from '../sip/index.js';
import { escapeUriHeader, fromUriAt, referToValue, resolveTransferTarget } from './transfer-target.js';

const TRUNKS = {
  pbx: { uri: 'sip:pbx.example.com:5060;transport=tcp', username: 'acct', password: 'pw', fromUser: '4420' },
  lab: { uri: 'sip:[2001:db8::5]' },
};

test('a sip: URI without trunk is called as it is', () => {
  assert.deepEqual(resolveTransferTarget('sip:agent@192.0.2.20:5070', undefined, TRUNKS), { uri: 'sip:agent@192.0.2.20:5070', host: '192.0.2.20' });
});

test('a number through a trunk becomes the user part at the trunk address, with its credentials and From user', () => {
  assert.deepEqual(resolveTransferTarget('+15550100', 'pbx', TRUNKS), {
    uri: 'sip:+15550100@pbx.example.com:5060;transport=tcp', host: 'pbx.example.com',
    credentials: { username: 'acct', password: 'pw' }, fromUser: '4420',
  });
  assert.deepEqual(resolveTransferTarget('sales', 'lab', TRUNKS), { uri: 'sip:sales@[2001:db8::5]', host: '2001:db8::5' });
});

test('a full URI with a trunk keeps its address and takes the trunk credentials', () => {
  const t = resolveTransferTarget('sip:200@192.0.2.40', 'pbx', TRUNKS);
  assert.ok(!('error' in t));
  assert.equal(t.uri, 'sip:200@192.0.2.40');
  assert.deepEqual(t.credentials, { username: 'acct', password: 'pw' });
});

test('unknown trunks, numbers without trunk and odd users are refused with the reason', () => {
  assert.deepEqual(resolveTransferTarget('100', 'nope', TRUNKS), { error: 'unknown trunk "nope"' });
  assert.deepEqual(resolveTransferTarget('100', 'toString', TRUNKS), { error: 'unknown trunk "toString"' });
  assert.match((resolveTransferTarget('100', undefined, TRUNKS) as { error: string }).error, /not a sip: URI/);
  assert.match((resolveTransferTarget('tel:+15550100', undefined, TRUNKS) as { error: string }).error, /not a sip: URI/);
  assert.match((resolveTransferTarget('a@b', 'pbx', TRUNKS) as { error: string }).error, /not a number or user/);
  assert.match((resolveTransferTarget('', 'pbx', TRUNKS) as { error: string }).error, /not a number or user/);
});

test('URI headers are escaped per RFC 3261 §25.1 (hnv-unreserved and unreserved stay)', () => {
  assert.equal(escapeUriHeader('X-Switchboard-Department'), 'X-Switchboard-Department');
  assert.equal(escapeUriHeader('sales & support=1;a,b%'), 'sales%20%26%20support%3D1%3Ba%2Cb%25');
  assert.equal(escapeUriHeader("[a]/b?c:d+e$f-_.!~*'()"), "[a]/b?c:d+e$f-_.!~*'()");
  assert.equal(escapeUriHeader('Zürich'), 'Z%C3%BCrich');
});

test('Refer-To carries the headers as URI headers, in angle brackets, and parses back to the same values', () => {
  const value = referToValue('sip:agent@192.0.2.20:5070;transport=tcp', [['X-Switchboard-Department', 'sales & support'], ['X-Ref', 'a=b']]);
  assert.equal(value, '<sip:agent@192.0.2.20:5070;transport=tcp?X-Switchboard-Department=sales%20%26%20support&X-Ref=a%3Db>');
  const back = parseUri(value.slice(1, -1));
  assert.equal(decodeURIComponent(back.headers.get('X-Switchboard-Department') ?? ''), 'sales & support');
  assert.equal(back.params.get('transport'), 'tcp');
  assert.equal(referToValue('sip:agent@192.0.2.20', []), '<sip:agent@192.0.2.20>');
});

test('the From of a transfer is the caller at our Contact address', () => {
  assert.equal(fromUriAt('alice', 'sip:switchboard@192.0.2.1:5060;transport=tcp'), 'sip:alice@192.0.2.1:5060');
  assert.equal(fromUriAt('', 'sip:switchboard@192.0.2.1'), 'sip:anonymous@192.0.2.1');
  assert.equal(fromUriAt('+1 555', 'sip:switchboard@192.0.2.1'), 'sip:+1%20555@192.0.2.1');
  assert.equal(fromUriAt('alice', 'not a uri'), undefined);
});
