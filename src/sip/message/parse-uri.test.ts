import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUri, isAbsoluteUri, isIPv6Address, parseUri, uriScheme } from './parse-uri.js';
import { SipParseError } from './sip-parse-error.js';

test('sip URI with user, host, port, params and headers', () => {
  const uri = parseUri('sip:alice@atlanta.example.com:5070;transport=TCP;LR?subject=project%20x&priority=urgent');
  assert.equal(uri.scheme, 'sip');
  assert.equal(uri.user, 'alice');
  assert.equal(uri.password, undefined);
  assert.equal(uri.host, 'atlanta.example.com');
  assert.equal(uri.port, 5070);
  assert.deepEqual([...uri.params], [['transport', 'TCP'], ['lr', '']]);
  assert.deepEqual([...uri.headers], [['subject', 'project%20x'], ['priority', 'urgent']]);
});

test('scheme is case-insensitive and sips is kept apart from sip', () => {
  assert.equal(parseUri('SIP:bob@example.com').scheme, 'sip');
  assert.equal(parseUri('sips:bob@example.com').scheme, 'sips');
  assert.equal(uriScheme('SiPs:x@y'), 'sips');
  assert.equal(uriScheme('no-scheme-here'), undefined);
});

test('user and password have their %-escapes decoded (RFC 3261 §19.1.2)', () => {
  const uri = parseUri('sip:sips%3Auser%40example.com:p%61ss@example.net');
  assert.equal(uri.user, 'sips:user@example.com');
  assert.equal(uri.password, 'pass');
  assert.equal(parseUri('sip:null-%00-null@example.com').user, 'null-\u0000-null');
  assert.equal(parseUri('sip:%C3%A9t%C3%A9@example.com').user, 'été');
});

test('user may hold ; ? / , (user-unreserved) because the userinfo ends at @', () => {
  const uri = parseUri('sip:user;par=u%40example.net@example.com');
  assert.equal(uri.user, 'user;par=u@example.net');
  assert.equal(uri.host, 'example.com');
  assert.equal(uri.params.size, 0);
});

test('IPv4 and IPv6 references, with and without port', () => {
  assert.equal(parseUri('sip:192.0.2.4').host, '192.0.2.4');
  const v6 = parseUri('sip:alice@[2001:db8::10]:5060;maddr=[2001:db8::1]');
  assert.equal(v6.host, '[2001:db8::10]');
  assert.equal(v6.port, 5060);
  assert.equal(v6.params.get('maddr'), '[2001:db8::1]');
  assert.equal(parseUri('sip:[::1]').host, '[::1]');
  assert.equal(parseUri('sip:[::ffff:192.0.2.1]:5061').port, 5061);
});

test('IPv6 address grammar', () => {
  for (const ok of ['::', '::1', '2001:db8::1', '1:2:3:4:5:6:7:8', '::ffff:192.0.2.128', '1:2:3:4:5:6:192.0.2.1']) {
    assert.equal(isIPv6Address(ok), true, ok);
  }
  for (const bad of ['', ':::', '2001:db8:::192.0.2.1', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1::2::3', '::1.2.3']) {
    assert.equal(isIPv6Address(bad), false, bad);
  }
});

test('tel URIs keep the number in user and their parameters', () => {
  const uri = parseUri('tel:+1-201-555-0123;phone-context=example.com');
  assert.equal(uri.scheme, 'tel');
  assert.equal(uri.user, '+1-201-555-0123');
  assert.equal(uri.host, '');
  assert.equal(uri.params.get('phone-context'), 'example.com');
  assert.equal(formatUri(uri), 'tel:+1-201-555-0123;phone-context=example.com');
});

test('an unknown but well-formed scheme is flagged for a 416, not treated as garbage', () => {
  assert.throws(() => parseUri('nobodyKnowsThisScheme:totallyopaquecontent'), (err: unknown) => {
    return err instanceof SipParseError && err.unsupportedUriScheme && err.code === 'SWB_ERR_SIP_PARSE';
  });
  assert.equal(isAbsoluteUri('soap.beep://192.0.2.103:3002'), true);
  assert.equal(isAbsoluteUri('<sip:user@example.com>'), false);
  assert.equal(isAbsoluteUri('http:'), false);
});

test('garbage is rejected with SipParseError', () => {
  const bad = [
    '', 'sip:', 'sip:@example.com', 'sip:user@', 'sip:user@exa mple.com', 'sip:user@example.com:99999',
    'sip:user@example.com:', 'sip:user@example.com:50x0', 'sip:us"er@example.com', 'sip:user@[::1', 'sip:user@[::g]',
    'sip:user@-bad-.com', 'sip:user@256.1.1.1', 'sip:user@example.com;', 'sip:user@example.com;;lr',
    'sip:user@example.com?', 'sip:user@example.com?novalue', 'sip:a%2@example.com', 'sip:user@ex_ample.com',
    '<sip:user@example.com>', 'tel:', 'tel:abc-xyz', 'tel:+123?x=y', '1sip:user@example.com', 'sip:user@host;a=b c',
    'sip:user@example.com>',
  ];
  for (const text of bad) {
    assert.throws(() => parseUri(text), SipParseError, JSON.stringify(text));
  }
});

test('formatUri escapes what the grammar does not allow and round-trips', () => {
  const uri = parseUri('sip:sips%3Auser%40example.com@example.net;transport=udp');
  assert.equal(formatUri(uri), 'sip:sips%3Auser%40example.com@example.net;transport=udp');
  assert.equal(formatUri({ scheme: 'sip', user: 'I have spaces', host: 'example.net', params: new Map(), headers: new Map() }),
    'sip:I%20have%20spaces@example.net');
  for (const text of [
    'sip:alice:secret@atlanta.example.com:5060;transport=tcp;lr?subject=x&h=y', 'sips:[2001:db8::1]:5061',
    'sip:+1-212-555-1212:1234@gateway.com;user=phone', 'sip:example.com',
  ]) {
    assert.equal(formatUri(parseUri(text)), text);
  }
});

test('a very long hostile URI is rejected in linear time', () => {
  const text = `sip:${'a'.repeat(200_000)}@${'b.'.repeat(50_000)}!`;
  const started = performance.now();
  assert.throws(() => parseUri(text), SipParseError);
  assert.ok(performance.now() - started < 500);
});
