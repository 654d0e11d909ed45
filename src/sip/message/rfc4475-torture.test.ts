/**
 * RFC 4475 torture corpus (test/torture/messages) against the verdicts in test/torture/expectations.json: every
 * message parses or fails with a SipParseError only, quickly, and with the expected outcome.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parseSipMessage } from './parse-sip-message.js';
import { serializeSipMessage } from './serialize-sip-message.js';
import { SipParseError } from './sip-parse-error.js';
import { createBadRequestFromPartial } from './create-response.js';
import { getCSeq, getCallId, getFromTag, getToTag, getTopVia, getVias } from './message-accessors.js';
import { parseNameAddr, parseNameAddrList } from './parse-name-addr.js';
import { parseUri, uriScheme } from './parse-uri.js';
import { splitHeaderList } from './split-header-list.js';
import { formatCSeq } from './parse-cseq.js';
import type { SipMessage } from './types.js';
import { readRepoFile, repoPath } from './repo-fixtures.js';

interface Expectation {
  section: string;
  outcome: 'parse' | 'reject-400' | 'reject-505' | 'drop' | 'parse-then-reject';
  status?: number;
  check?: string;
  assert?: Record<string, unknown>;
}

const expectations = JSON.parse(readRepoFile('test', 'torture', 'expectations.json').toString('utf8')) as {
  messages: Record<string, Expectation>;
};
const files = readdirSync(repoPath('test', 'torture', 'messages')).filter((f) => f.endsWith('.sip')).sort();

function firstContact(msg: SipMessage): ReturnType<typeof parseNameAddr> {
  return parseNameAddrList(msg.headers.get('Contact') ?? '')[0];
}

/** Each assertion key names one observable field of the parsed message. */
const FIELD_CHECKS: Record<string, (msg: SipMessage, want: unknown) => void> = {
  method: (m, w) => assert.equal(m.kind === 'request' ? m.method : undefined, w),
  uri: (m, w) => assert.equal(m.kind === 'request' ? m.uri : undefined, w),
  status: (m, w) => assert.equal(m.kind === 'response' ? m.status : undefined, w),
  reason: (m, w) => assert.equal(m.kind === 'response' ? m.reason : undefined, w),
  callId: (m, w) => assert.equal(getCallId(m), w),
  cseq: (m, w) => assert.equal(formatCSeq(getCSeq(m) ?? { seq: -1, method: '' }), w),
  viaCount: (m, w) => assert.equal(getVias(m).length, w),
  viaTransports: (m, w) => assert.deepEqual(getVias(m).map((v) => v.transport), w),
  topViaBranch: (m, w) => assert.equal(getTopVia(m)?.params.get('branch'), w),
  fromTag: (m, w) => assert.equal(getFromTag(m), w),
  toTag: (m, w) => assert.equal(getToTag(m), w),
  fromDisplayName: (m, w) => assert.equal(parseNameAddr(m.headers.get('From') ?? '').displayName, w),
  toUriUser: (m, w) => assert.equal(parseUri(parseNameAddr(m.headers.get('To') ?? '').uri).user, w),
  uriUser: (m, w) => assert.equal(m.kind === 'request' ? parseUri(m.uri).user : undefined, w),
  bodyLength: (m, w) => assert.equal(m.body.length, w),
  contactCount: (m, w) => assert.equal(m.headers.getAll('Contact').flatMap((v) => parseNameAddrList(v)).length, w),
  contactUri: (m, w) => assert.equal(firstContact(m).uri, w),
  contactParams: (m, w) => assert.deepEqual(Object.fromEntries(firstContact(m).params), w),
  startLine: (m, w) => assert.equal(serializeSipMessage(m).toString('utf8').split('\r\n')[0], w),
  header: (m, w) => {
    for (const [name, value] of Object.entries(w as Record<string, string>)) assert.equal(m.headers.get(name), value, name);
  },
};

/** What the UA layer will look at to answer with the semantic status; each returns true when it would reject. */
const SEMANTIC_CHECKS: Record<string, (msg: SipMessage) => boolean> = {
  'request-uri-scheme': (m) => {
    if (m.kind !== 'request') return false;
    try {
      parseUri(m.uri);
      return false;
    } catch (err) {
      return err instanceof SipParseError && err.unsupportedUriScheme;
    }
  },
  'contact-syntax': (m) => {
    try {
      parseNameAddrList(m.headers.get('Contact') ?? '');
      return false;
    } catch (err) {
      return err instanceof SipParseError;
    }
  },
  'to-uri-scheme': (m) => !['sip', 'sips'].includes(uriScheme(parseNameAddr(m.headers.get('To') ?? '').uri) ?? ''),
  require: (m) => splitHeaderList(m.headers.get('Require') ?? '').length > 0,
  'content-type': (m) => m.body.length > 0 && m.headers.get('Content-Type') !== 'application/sdp',
  'authorization-scheme': (m) => !/^Digest\s/i.test(m.headers.get('Authorization') ?? 'Digest '),
  accept: (m) => !splitHeaderList(m.headers.get('Accept') ?? 'application/sdp').includes('application/sdp'),
};

/** The model a round trip must keep; Content-Length is derived from the body, so it is left out. */
function modelOf(msg: SipMessage): unknown {
  const start = msg.kind === 'request' ? [msg.method, msg.uri] : [msg.status, msg.reason];
  const headers = msg.headers.entries().filter((f) => f.name !== 'Content-Length').map((f) => [f.name, f.value]);
  return { start, headers, body: msg.body.toString('hex') };
}

test('every corpus file has an expectation and every expectation a file', () => {
  assert.equal(files.length, 49);
  assert.deepEqual(Object.keys(expectations.messages).sort(), files);
});

for (const file of files) {
  const expected = expectations.messages[file];
  test(`RFC 4475 §${expected.section} ${file}: ${expected.outcome}${expected.status ? ` ${expected.status}` : ''}`, () => {
    const data = readRepoFile('test', 'torture', 'messages', file);
    const started = performance.now();
    let msg: SipMessage | undefined;
    let error: unknown;
    try {
      msg = parseSipMessage(data);
    } catch (err) {
      error = err;
    }
    assert.ok(performance.now() - started < 200, 'parse took too long');
    if (error !== undefined) assert.ok(error instanceof SipParseError, `unexpected ${String(error)}`);

    if (expected.outcome === 'parse' || expected.outcome === 'parse-then-reject') {
      assert.ok(msg, `expected to parse: ${error instanceof Error ? error.message : ''}`);
      for (const [key, want] of Object.entries(expected.assert ?? {})) {
        const check = FIELD_CHECKS[key];
        assert.ok(check, `unknown assertion ${key}`);
        check(msg, want);
      }
      const again = parseSipMessage(serializeSipMessage(msg));
      assert.deepEqual(modelOf(again), modelOf(msg), 'parse → serialize → parse changed the model');
      if (expected.outcome === 'parse-then-reject') {
        const check = SEMANTIC_CHECKS[expected.check ?? ''];
        assert.ok(check, `unknown check ${expected.check}`);
        assert.equal(check(msg), true, `${expected.check} should find the fault`);
      }
      return;
    }
    assert.ok(error instanceof SipParseError, 'expected a SipParseError');
    const answer = createBadRequestFromPartial(error, 'Bad Request');
    if (expected.outcome === 'drop') {
      assert.equal(answer, undefined);
      return;
    }
    assert.equal(error.versionNotSupported, expected.outcome === 'reject-505');
    assert.ok(answer, 'a response should be built from what was read');
    assert.equal(answer.status, expected.outcome === 'reject-505' ? 505 : 400);
    assert.equal(answer.headers.get('Call-ID'), error.partial?.headers.get('Call-ID'));
    assert.deepEqual(answer.headers.getAll('Via'), error.partial?.headers.getAll('Via'));
  });
}
