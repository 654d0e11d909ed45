import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNameAddr, parseNameAddr, parseNameAddrList } from './parse-name-addr.js';
import { SipParseError } from './sip-parse-error.js';

test('quoted display name with escaped quotes and backslashes', () => {
  const na = parseNameAddr('"J Rosenberg \\\\\\""       <sip:jdrosen@example.com> ; tag = 98asjd8');
  assert.equal(na.displayName, 'J Rosenberg \\"');
  assert.equal(na.uri, 'sip:jdrosen@example.com');
  assert.equal(na.params.get('tag'), '98asjd8');
});

test('token display names, with and without LWS before <', () => {
  assert.equal(parseNameAddr('caller<sip:caller@example.com>;tag=323').displayName, 'caller');
  assert.equal(parseNameAddr("token1~` token2'+_   token3 <sip:a@b.example>").displayName, "token1~` token2'+_ token3");
  assert.equal(parseNameAddr('<sip:a@b.example>').displayName, undefined);
  assert.equal(parseNameAddr('"" <sip:a@b.example>').displayName, '');
});

test('addr-spec without <>: parameters after ; belong to the header (RFC 3261 §20.10)', () => {
  const na = parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam;tag=x');
  assert.equal(na.uri, 'sip:+19725552222@gw1.example.net');
  assert.deepEqual([...na.params], [['unknownparam', ''], ['tag', 'x']]);
  const bracketed = parseNameAddr('<sip:+19725552222@gw1.example.net;unknownparam>');
  assert.equal(bracketed.uri, 'sip:+19725552222@gw1.example.net;unknownparam');
  assert.equal(bracketed.params.size, 0);
});

test('header parameters with quoted values keep their quotes; names are lower-cased', () => {
  const na = parseNameAddr('<sip:a@b.example>;Expires=60;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"');
  assert.equal(na.params.get('expires'), '60');
  assert.equal(na.params.get('+sip.instance'), '"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"');
});

test('other URI schemes are accepted when well formed', () => {
  assert.equal(parseNameAddr('isbn:2983792873').uri, 'isbn:2983792873');
  assert.equal(parseNameAddr('<http://www.example.com>;tag=3234233').uri, 'http://www.example.com');
  assert.equal(parseNameAddr('<tel:+1-201-555-0123>').uri, 'tel:+1-201-555-0123');
});

test('Contact wildcard', () => {
  const na = parseNameAddr(' * ');
  assert.equal(na.wildcard, true);
  assert.equal(formatNameAddr(na), '*');
});

test('lists split outside quotes and <>', () => {
  const list = parseNameAddrList('"Bell, Alexander" <sip:a.g.bell@example.com>;q=0.5, <sip:x,y@z.example;lr>');
  assert.deepEqual(list.map((na) => [na.displayName, na.uri]), [
    ['Bell, Alexander', 'sip:a.g.bell@example.com'], [undefined, 'sip:x,y@z.example;lr'],
  ]);
});

test('malformed values are rejected', () => {
  for (const bad of [
    '', '"Mr. J. User <sip:j.user@example.com>', '"Watson, Thomas" < sip:t.watson@example.org >',
    'Bell, Alexander <sip:a.g.bell@example.com>', 'sip:user@example.com?Route=%3Csip:sip.example.com%3E',
    '"Joe" <sip:joe@example.org>;;;;', '<sip:joe@example.org', '"Joe" sip:joe@example.org', '<>', '<sip:@bad>',
    '<sip:a@b.example> junk', '<sip:a@b.example>;tag=', 'Bell <sip:a@b.example>;tag="unterminated',
  ]) {
    assert.throws(() => parseNameAddr(bad), SipParseError, bad);
  }
  assert.throws(() => parseNameAddrList('<sip:a@b.example>,'), SipParseError);
});

test('formatNameAddr always brackets the URI and quotes the display name', () => {
  const na = parseNameAddr('Alice <sip:alice@atlanta.example.com>;tag=1928301774');
  assert.equal(formatNameAddr(na), '"Alice" <sip:alice@atlanta.example.com>;tag=1928301774');
  const tricky = { displayName: 'A "quoted" \\ name', uri: 'sip:a@b.example;lr', params: new Map([['tag', '1']]) };
  const text = formatNameAddr(tricky);
  assert.equal(text, '"A \\"quoted\\" \\\\ name" <sip:a@b.example;lr>;tag=1');
  assert.deepEqual(parseNameAddr(text), tricky);
});
