import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSipMessage } from './parse-sip-message.js';
import { SipParseError } from './sip-parse-error.js';
import { getCSeq, getVias } from './message-accessors.js';

const CORE = [
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9',
  'From: Alice <sip:alice@example.com>;tag=9fxced76sl',
  'To: <sip:bob@example.com>',
  'Call-ID: 3848276298220188511@192.0.2.1',
  'CSeq: 1 INVITE',
  'Max-Forwards: 70',
];

function request(lines: string[], body = '', eol = '\r\n'): Buffer {
  return Buffer.from(`${lines.join(eol)}${eol}${eol}${body}`, 'utf8');
}

function parseError(data: Buffer): SipParseError {
  try {
    parseSipMessage(data);
  } catch (err) {
    assert.ok(err instanceof SipParseError, String(err));
    return err;
  }
  assert.fail('expected a SipParseError');
}

test('a request with a body framed by Content-Length', () => {
  const msg = parseSipMessage(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'Content-Length: 4'], 'v=0\r'));
  assert.equal(msg.kind, 'request');
  assert.ok(msg.kind === 'request');
  assert.equal(msg.method, 'INVITE');
  assert.equal(msg.uri, 'sip:bob@example.com');
  assert.equal(msg.body.toString(), 'v=0\r');
});

test('a response line with a reason phrase containing spaces', () => {
  const msg = parseSipMessage(request(['SIP/2.0 180 Ringing Now', ...CORE, 'Content-Length: 0']));
  assert.ok(msg.kind === 'response');
  assert.equal(msg.status, 180);
  assert.equal(msg.reason, 'Ringing Now');
});

test('header names are case-insensitive and compact forms expand (RFC 3261 §7.3.1, §7.3.3)', () => {
  const msg = parseSipMessage(request([
    'OPTIONS sip:bob@example.com SIP/2.0', 'v: SIP/2.0/TCP h.example.com;branch=z9hG4bK1', 'f: <sip:a@example.com>;tag=1',
    't: <sip:bob@example.com>', 'i: abc@h', 'cSeQ: 2 OPTIONS', 'k: timer', 'm: <sip:a@h.example.com>', 'l: 0',
  ]));
  assert.equal(msg.headers.get('via'), 'SIP/2.0/TCP h.example.com;branch=z9hG4bK1');
  assert.equal(msg.headers.get('CALL-ID'), 'abc@h');
  assert.equal(msg.headers.get('Supported'), 'timer');
  assert.deepEqual(msg.headers.entries().map((f) => f.name), [
    'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Supported', 'Contact', 'Content-Length',
  ]);
});

test('folded lines are joined with one SP (RFC 3261 §7.3.1)', () => {
  const msg = parseSipMessage(request([
    'INVITE sip:bob@example.com SIP/2.0', ...CORE.filter((l) => !l.startsWith('CSeq')),
    'CSeq: 1', '\t INVITE', 'Subject: I know you are there,', '   pick up the phone', ' and talk to me!', 'Content-Length: 0',
  ]));
  assert.equal(msg.headers.get('Subject'), 'I know you are there, pick up the phone and talk to me!');
  assert.deepEqual(getCSeq(msg), { seq: 1, method: 'INVITE' });
});

test('bare LF line endings and leading CRLFs are tolerated (RFC 3261 §7.5)', () => {
  const data = Buffer.concat([Buffer.from('\r\n\r\n'), request(['BYE sip:bob@example.com SIP/2.0', ...CORE.map((l) => l.replace('INVITE', 'BYE')), 'Content-Length: 2'], 'ok', '\n')]);
  const msg = parseSipMessage(data);
  assert.ok(msg.kind === 'request');
  assert.equal(msg.method, 'BYE');
  assert.equal(msg.body.toString(), 'ok');
});

test('several Vias in one header and in several headers keep their order', () => {
  const msg = parseSipMessage(request([
    'INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2',
    'Via: SIP/2.0/TCP c.example.com;branch=z9hG4bK3', ...CORE.slice(1), 'Content-Length: 0',
  ]));
  assert.deepEqual(getVias(msg).map((v) => v.host), ['a.example.com', 'b.example.com', 'c.example.com']);
});

test('datagram framing: octets past Content-Length are dropped, missing octets are an error (§18.3)', () => {
  const longer = parseSipMessage(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'Content-Length: 3'], 'abcdef'));
  assert.equal(longer.body.toString(), 'abc');
  const err = parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'Content-Length: 10'], 'abc'));
  assert.equal(err.code, 'SWB_ERR_SIP_PARSE');
  assert.equal(err.partial?.headers.get('Call-ID'), '3848276298220188511@192.0.2.1');
  const noLength = parseSipMessage(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE], 'rest of datagram'));
  assert.equal(noLength.body.toString(), 'rest of datagram');
});

test('Content-Length must be a single decimal number', () => {
  for (const value of ['-1', 'abc', '1 2', '', '99999999999']) {
    parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, `Content-Length: ${value}`]));
  }
  parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'Content-Length: 0', 'l: 0']));
});

test('each required header missing gives an error that still carries the rest', () => {
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    const lines = CORE.filter((l) => !l.startsWith(`${name}:`));
    const err = parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...lines, 'Content-Length: 0']));
    assert.match(err.message, new RegExp(name));
    assert.equal(err.partial?.kind, 'request');
    assert.equal(err.partial?.method, 'INVITE');
    assert.equal(err.partial?.headers.has(name), false);
  }
  assert.doesNotThrow(() => parseSipMessage(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE.slice(0, 5)])));
});

test('CSeq method must match the request method', () => {
  const err = parseError(request(['OPTIONS sip:bob@example.com SIP/2.0', ...CORE, 'Content-Length: 0']));
  assert.match(err.message, /CSeq/);
});

test('a SIP-Version other than 2.0 is flagged for 505, a malformed one is not', () => {
  const err = parseError(request(['INVITE sip:bob@example.com SIP/3.0', ...CORE]));
  assert.equal(err.versionNotSupported, true);
  assert.equal(err.partial?.headers.get('CSeq'), '1 INVITE');
  assert.equal(parseError(request(['INVITE sip:bob@example.com HTTP/1.1', ...CORE])).versionNotSupported, false);
  assert.equal(parseError(request(['INVITE sip:bob@example.com SIP/2', ...CORE])).versionNotSupported, false);
  assert.doesNotThrow(() => parseSipMessage(request(['INVITE sip:bob@example.com sip/2.0', ...CORE])));
});

test('the Request-URI must parse; unknown schemes pass to the UA for a 416', () => {
  parseError(request(['INVITE sip:bob@exa mple.com SIP/2.0', ...CORE]));
  parseError(request(['INVITE sip:bob@[::1 SIP/2.0', ...CORE]));
  parseError(request(['INVITE <sip:bob@example.com> SIP/2.0', ...CORE]));
  const msg = parseSipMessage(request(['INVITE urn:service:sos SIP/2.0', ...CORE]));
  assert.ok(msg.kind === 'request');
  assert.equal(msg.uri, 'urn:service:sos');
});

test('status codes outside 100-699 are rejected', () => {
  for (const line of ['SIP/2.0 099 Low', 'SIP/2.0 700 High', 'SIP/2.0 20 OK', 'SIP/2.0 2000 OK', 'SIP/2.0 abc OK']) {
    const err = parseError(request([line, ...CORE]));
    assert.equal(err.partial?.kind, 'response');
  }
});

test('structural faults: no colon, bad name, no empty line, bare CR, continuation first', () => {
  parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'Foobar roobar']));
  parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'Bad Name: x']));
  parseError(Buffer.from(`INVITE sip:bob@example.com SIP/2.0\r\n${CORE.join('\r\n')}\r\n`));
  parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'X-Evil: a\rInjected: b']));
  parseError(request(['INVITE sip:bob@example.com SIP/2.0', ' folded: start', ...CORE]));
  parseError(Buffer.from('\r\n\r\n'));
  parseError(Buffer.alloc(0));
});

test('more than maxBytes is SWB_ERR_SIP_TOO_LARGE, still with the headers for a 513', () => {
  const data = request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'Content-Length: 5000'], 'x'.repeat(5000));
  const err = (() => {
    try {
      parseSipMessage(data, { maxBytes: 1000 });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof SipParseError);
  assert.equal(err.code, 'SWB_ERR_SIP_TOO_LARGE');
  assert.equal(err.partial?.headers.get('CSeq'), '1 INVITE');
  assert.doesNotThrow(() => parseSipMessage(data, { maxBytes: data.length }));
  const huge = request(['INVITE sip:bob@example.com SIP/2.0', ...CORE], 'x'.repeat(70_000));
  assert.throws(() => parseSipMessage(huge), (e: unknown) => e instanceof SipParseError && e.code === 'SWB_ERR_SIP_TOO_LARGE');
});

test('multi-valued single headers are refused (RFC 4475 §3.3.8)', () => {
  const err = parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'To: <sip:other@example.net>']));
  assert.match(err.message, /To/);
  parseError(request(['INVITE sip:bob@example.com SIP/2.0', ...CORE.filter((l) => !l.startsWith('To')), 'To: <sip:a@b.example>, <sip:c@d.example>']));
});

test('hostile inputs finish in linear time', () => {
  const manyHeaders = request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, ...Array.from({ length: 5000 }, (_, i) => `X-H${i}: ${'v'.repeat(5)}`)]);
  const folds = request(['INVITE sip:bob@example.com SIP/2.0', ...CORE, 'X-Fold: a', ...Array.from({ length: 10_000 }, () => ' b')]);
  const zeros = request(['INVITE sip:bob@example.com SIP/2.0', ...CORE.filter((l) => !l.startsWith('CSeq')), `CSeq: ${'0'.repeat(50_000)}1 INVITE`]);
  const quotes = request(['INVITE sip:bob@example.com SIP/2.0', ...CORE.filter((l) => !l.startsWith('From')), `From: "${'\\"'.repeat(20_000)}`]);
  for (const data of [manyHeaders, folds, zeros, quotes]) {
    const started = performance.now();
    try {
      parseSipMessage(data, { maxBytes: 1 << 20 });
    } catch (err) {
      assert.ok(err instanceof SipParseError);
    }
    assert.ok(performance.now() - started < 500, 'took too long');
  }
  assert.equal(getCSeq(parseSipMessage(zeros, { maxBytes: 1 << 20 }))?.seq, 1);
});

test('a non-numeric Max-Forwards is a parse error that keeps the headers for a 400', () => {
  const msg = Buffer.from(
    'OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKmf1\r\n' +
    'From: <sip:b@127.0.0.1>;tag=1\r\nTo: <sip:a@127.0.0.1>\r\nCall-ID: mf1\r\nCSeq: 1 OPTIONS\r\n' +
    'Max-Forwards: abc\r\nContent-Length: 0\r\n\r\n',
  );
  assert.throws(() => parseSipMessage(msg), (e: unknown) => e instanceof SipParseError && /Max-Forwards/.test(e.message) && e.partial?.headers.get('Call-ID') === 'mf1');
});
