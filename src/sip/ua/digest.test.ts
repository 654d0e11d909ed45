import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answerDigestChallenge, computeDigestResponse, DigestParseError, formatDigestChallenge, parseDigestChallenge,
  parseDigestCredentials, selectDigestChallenge, verifyDigestCredentials,
} from './digest.js';

test('RFC 2617 §3.5 example: MD5, qop=auth', () => {
  const challenge = parseDigestChallenge(
    'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
      + 'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  );
  assert.deepEqual(challenge.qop, ['auth', 'auth-int']);
  assert.equal(challenge.algorithm, 'MD5');
  const { credentials, header } = answerDigestChallenge({
    challenge, method: 'GET', uri: '/dir/index.html', username: 'Mufasa', password: 'Circle Of Life',
    cnonce: '0a4f113b', nonceCount: 1,
  });
  assert.equal(credentials.response, '6629fae49393a05397450978507c4ef1');
  assert.match(header, /^Digest username="Mufasa", realm="testrealm@host.com", /);
  assert.match(header, /qop=auth, nc=00000001, cnonce="0a4f113b"/);
  assert.match(header, /opaque="5ccc069c403ebaf9f0171e9517f40e41"/);
});

const RFC7616 = {
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

test('RFC 7616 §3.9.1 example: MD5 and SHA-256', () => {
  for (const [algorithm, expected] of [
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const) {
    const challenge = parseDigestChallenge(
      `Digest realm="${RFC7616.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC7616.nonce}", `
        + `opaque="${RFC7616.opaque}"`,
    );
    assert.equal(challenge.algorithm, algorithm);
    const { credentials } = answerDigestChallenge({
      challenge, method: 'GET', uri: '/dir/index.html', username: 'Mufasa', password: 'Circle of Life',
      cnonce: RFC7616.cnonce,
    });
    assert.equal(credentials.response, expected, algorithm);
  }
});

test('no qop: RFC 2069 form, no cnonce or nc sent', () => {
  const challenge = parseDigestChallenge('Digest realm="asterisk", nonce="abc123"');
  const { credentials, header } = answerDigestChallenge({
    challenge, method: 'INVITE', uri: 'sip:100@10.0.0.1', username: 'alice', password: 'secret',
  });
  const expected = computeDigestResponse({
    algorithm: 'MD5', username: 'alice', realm: 'asterisk', password: 'secret', nonce: 'abc123', method: 'INVITE',
    uri: 'sip:100@10.0.0.1',
  });
  assert.equal(credentials.response, expected);
  assert.doesNotMatch(header, /cnonce|nc=|qop/);
  assert.equal(verifyDigestCredentials(parseDigestCredentials(header), { method: 'INVITE', password: 'secret' }), true);
});

test('server side: challenge round-trip, verify accepts the right password and rejects a wrong one', () => {
  const header = formatDigestChallenge({
    realm: 'switchboard', nonce: 'n"once\\1', opaque: 'op', algorithm: 'SHA-256', qop: ['auth'], stale: true,
  });
  const challenge = parseDigestChallenge(header);
  assert.equal(challenge.nonce, 'n"once\\1');
  assert.equal(challenge.stale, true);
  assert.equal(challenge.algorithm, 'SHA-256');
  const { header: auth } = answerDigestChallenge({
    challenge, method: 'REGISTER', uri: 'sip:switchboard', username: 'bob', password: 'pw', nonceCount: 3,
  });
  const creds = parseDigestCredentials(auth);
  assert.equal(creds.nc, '00000003');
  assert.equal(creds.nonce, 'n"once\\1');
  assert.equal(verifyDigestCredentials(creds, { method: 'REGISTER', password: 'pw' }), true);
  assert.equal(verifyDigestCredentials(creds, { method: 'REGISTER', password: 'px' }), false);
  assert.equal(verifyDigestCredentials(creds, { method: 'INVITE', password: 'pw' }), false);
});

test('auth-int and -sess variants verify on the server side', () => {
  const body = Buffer.from('v=0\r\n');
  for (const algorithm of ['MD5-sess', 'SHA-256-sess'] as const) {
    const challenge = { realm: 'r', nonce: 'n', algorithm, qop: ['auth-int'], stale: false };
    const { header } = answerDigestChallenge({
      challenge, method: 'INVITE', uri: 'sip:a@b', username: 'u', password: 'p', body,
    });
    const creds = parseDigestCredentials(header);
    assert.equal(creds.qop, 'auth-int');
    assert.equal(verifyDigestCredentials(creds, { method: 'INVITE', password: 'p', body }), true);
    assert.equal(verifyDigestCredentials(creds, { method: 'INVITE', password: 'p', body: Buffer.from('x') }), false);
  }
});

test('selectDigestChallenge takes the first supported challenge (RFC 7616 §3.7)', () => {
  const picked = selectDigestChallenge([
    'Basic realm="r"',
    'Digest realm="r", nonce="c", algorithm=SHA-512-256',
    'Digest realm="r", nonce="b", algorithm=SHA-256',
    'Digest realm="r", nonce="a", algorithm=MD5',
  ]);
  assert.equal(picked?.nonce, 'b');
  assert.equal(selectDigestChallenge(['Basic realm="x"']), undefined);
});

test('malformed values throw DigestParseError', () => {
  assert.throws(() => parseDigestChallenge('Digest realm="r"'), DigestParseError);
  assert.throws(() => parseDigestChallenge('Digest realm="r, nonce=x'), DigestParseError);
  assert.throws(() => parseDigestChallenge('Digest'), DigestParseError);
  assert.throws(() => parseDigestCredentials(
    'Digest username="u", realm="r", nonce="n", uri="sip:x", response="00", qop=auth',
  ), DigestParseError);
});
