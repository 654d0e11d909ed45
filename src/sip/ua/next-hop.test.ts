import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipHeaders, type SipRequest } from '../message/index.js';
import { nextHopUri, resolveDestination } from './next-hop.js';

const noLookup = (): Promise<string> => Promise.reject(new Error('unexpected lookup'));

test('IP literals resolve synchronously with port and transport from the URI', () => {
  assert.deepEqual(resolveDestination('sip:100@192.0.2.7', noLookup), { transport: 'udp', host: '192.0.2.7', port: 5060 });
  assert.deepEqual(
    resolveDestination('sip:100@192.0.2.7:5080;transport=TCP', noLookup),
    { transport: 'tcp', host: '192.0.2.7', port: 5080 },
  );
  assert.deepEqual(resolveDestination('sip:[2001:db8::1]:5070', noLookup, 'tcp'), { transport: 'tcp', host: '2001:db8::1', port: 5070 });
  assert.deepEqual(
    resolveDestination('sip:x@example.com;maddr=192.0.2.9', noLookup),
    { transport: 'udp', host: '192.0.2.9', port: 5060 },
  );
});

test('host names go through the resolver (A lookup)', async () => {
  const asked: string[] = [];
  const dest = resolveDestination('sip:pbx.example.com:5062', async (h) => {
    asked.push(h);
    return '198.51.100.4';
  });
  assert.ok(dest instanceof Promise);
  assert.deepEqual(await dest, { transport: 'udp', host: '198.51.100.4', port: 5062 });
  assert.deepEqual(asked, ['pbx.example.com']);
});

test('sips, tel and unknown transports are refused', () => {
  assert.throws(() => resolveDestination('sips:a@192.0.2.1', noLookup), /sips/);
  assert.throws(() => resolveDestination('tel:+15550100', noLookup), /tel/);
  assert.throws(() => resolveDestination('sip:a@192.0.2.1;transport=sctp', noLookup), /sctp/);
});

test('§8.1.2: the next hop is the first Route, else the Request-URI', () => {
  const req: SipRequest = { kind: 'request', method: 'BYE', uri: 'sip:a@192.0.2.1', headers: new SipHeaders(), body: Buffer.alloc(0) };
  assert.equal(nextHopUri(req), 'sip:a@192.0.2.1');
  req.headers.append('Route', '<sip:192.0.2.50;lr>, <sip:192.0.2.51;lr>');
  assert.equal(nextHopUri(req), 'sip:192.0.2.50;lr');
});
