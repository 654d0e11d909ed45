import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipStreamFramer } from './sip-stream-framer.js';
import { SipParseError } from './sip-parse-error.js';

interface Recorded {
  messages: string[];
  pings: number;
  errors: SipParseError[];
}

function framer(maxBytes?: number): { f: SipStreamFramer; rec: Recorded } {
  const rec: Recorded = { messages: [], pings: 0, errors: [] };
  const f = new SipStreamFramer({
    message: (buf) => rec.messages.push(buf.toString('latin1')),
    ping: () => rec.pings++,
    error: (err) => rec.errors.push(err),
  }, { maxBytes });
  return { f, rec };
}

function message(callId: string, body = ''): string {
  return `INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h.example.com;branch=z9hG4bK${callId}\r\n`
    + `Call-ID: ${callId}\r\nl: ${Buffer.byteLength(body, 'latin1')}\r\n\r\n${body}`;
}

const A = message('a', 'v=0\r\n\r\nbody with an empty line');
const B = message('b');
const C = message('c', 'x'.repeat(300));

test('one message in one chunk', () => {
  const { f, rec } = framer();
  f.push(Buffer.from(A, 'latin1'));
  assert.deepEqual(rec.messages, [A]);
  assert.equal(f.bufferedBytes, 0);
});

test('pipelined messages in one chunk, with keepalives between them', () => {
  const { f, rec } = framer();
  f.push(Buffer.from(`\r\n\r\n${A}${B}\r\n\r\n\r\n\r\n${C}\r\n`, 'latin1'));
  assert.deepEqual(rec.messages, [A, B, C]);
  assert.equal(rec.pings, 3);
  assert.equal(rec.errors.length, 0);
});

test('split at every byte position gives the same messages', () => {
  const stream = Buffer.from(`${A}\r\n\r\n${B}${C}`, 'latin1');
  for (let cut = 0; cut <= stream.length; cut++) {
    const { f, rec } = framer();
    f.push(stream.subarray(0, cut));
    f.push(stream.subarray(cut));
    assert.deepEqual(rec.messages, [A, B, C], `cut at ${cut}`);
    assert.equal(rec.pings, 1, `cut at ${cut}`);
  }
});

test('one byte at a time', () => {
  const stream = Buffer.from(`${A}${B}${C}`, 'latin1');
  const { f, rec } = framer();
  for (let i = 0; i < stream.length; i++) f.push(stream.subarray(i, i + 1));
  assert.deepEqual(rec.messages, [A, B, C]);
});

test('a ping split over two reads is still one ping; a lone CRLF is not', () => {
  const { f, rec } = framer();
  f.push(Buffer.from('\r\n'));
  assert.equal(rec.pings, 0);
  f.push(Buffer.from('\r\n'));
  assert.equal(rec.pings, 1);
  f.push(Buffer.from(`\r\n${B}`, 'latin1'));
  assert.equal(rec.pings, 1);
  assert.deepEqual(rec.messages, [B]);
});

test('a message without Content-Length is a framing error on a stream (§18.3)', () => {
  const { f, rec } = framer();
  f.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n'));
  assert.equal(rec.errors.length, 1);
  assert.equal(rec.errors[0].code, 'SWB_ERR_SIP_PARSE');
  f.push(Buffer.from(B, 'latin1'));
  assert.equal(rec.messages.length, 0, 'a failed framer ignores further input');
  assert.equal(rec.errors.length, 1);
});

test('bad or conflicting Content-Length values are framing errors', () => {
  for (const head of ['Content-Length: -5', 'Content-Length: abc', 'Content-Length: 5\r\nl: 6']) {
    const { f, rec } = framer();
    f.push(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${head}\r\n\r\n`));
    assert.equal(rec.errors.length, 1, head);
  }
  const { f, rec } = framer();
  f.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2\r\nl: 2\r\n\r\nokNEXT'));
  assert.deepEqual(rec.messages, ['OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2\r\nl: 2\r\n\r\nok']);
});

test('a header section longer than maxBytes fails without buffering more', () => {
  const { f, rec } = framer(1024);
  f.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n'));
  for (let i = 0; i < 100 && rec.errors.length === 0; i++) {
    f.push(Buffer.from(`X-Filler: ${'y'.repeat(40)}\r\n`));
    assert.ok(f.bufferedBytes <= 1024 + 64);
  }
  assert.equal(rec.errors.length, 1);
  assert.equal(rec.errors[0].code, 'SWB_ERR_SIP_TOO_LARGE');
  assert.equal(f.bufferedBytes, 0);
});

test('a Content-Length that would exceed maxBytes fails at once, before the body arrives', () => {
  const { f, rec } = framer(1024);
  f.push(Buffer.from('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n'));
  assert.equal(rec.errors[0]?.code, 'SWB_ERR_SIP_TOO_LARGE');
});

test('a huge read is consumed in bounded slices', () => {
  const { f, rec } = framer(2048);
  const many = Buffer.from(Array.from({ length: 200 }, () => B).join(''), 'latin1');
  f.push(many);
  assert.equal(rec.messages.length, 200);
  assert.equal(rec.errors.length, 0);
  const flood = framer(2048);
  flood.f.push(Buffer.alloc(1 << 20, 0x41));
  assert.equal(flood.rec.errors.length, 1);
  assert.equal(flood.f.bufferedBytes, 0);
});

test('maxBytes must be a positive integer', () => {
  assert.throws(() => framer(0), RangeError);
  assert.throws(() => framer(1.5), RangeError);
});
