/**
 * Property test: random mutations of the valid RFC 4475 messages (truncation, flipped bytes, duplicated and dropped
 * lines, inserted separators) never make the parser or the stream framer throw anything but SipParseError, and
 * every input is handled quickly. A fixed seed keeps runs reproducible.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parseSipMessage } from './parse-sip-message.js';
import { serializeSipMessage } from './serialize-sip-message.js';
import { SipStreamFramer } from './sip-stream-framer.js';
import { SipParseError } from './sip-parse-error.js';
import { getVias } from './message-accessors.js';
import { parseNameAddrList } from './parse-name-addr.js';
import { parseUri } from './parse-uri.js';
import { readRepoFile, repoPath } from './repo-fixtures.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const expectations = JSON.parse(readRepoFile('test', 'torture', 'expectations.json').toString('utf8')) as {
  messages: Record<string, { outcome: string }>;
};
const seeds = readdirSync(repoPath('test', 'torture', 'messages'))
  .filter((f) => expectations.messages[f]?.outcome === 'parse')
  .map((f) => readRepoFile('test', 'torture', 'messages', f));

const SPLICES = ['\r\n', '\n', ' ', ':', ';', ',', '"', '<', '>', '\\', '%', '@', '[', ']', '\r\n ', '\r\n\r\n', '\0'];

function mutate(input: Buffer, next: () => number): Buffer {
  const pick = (n: number): number => Math.floor(next() * n);
  const data = Buffer.from(input);
  switch (pick(6)) {
    case 0:
      return data.subarray(0, pick(data.length + 1));
    case 1: {
      for (let k = 1 + pick(4); k > 0; k--) data[pick(data.length)] = pick(256);
      return data;
    }
    case 2: {
      const lines = data.toString('latin1').split('\r\n');
      const at = pick(lines.length);
      lines.splice(at, 0, lines[pick(lines.length)]);
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
    case 3: {
      const lines = data.toString('latin1').split('\r\n');
      lines.splice(pick(lines.length), 1);
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
    case 4: {
      const at = pick(data.length + 1);
      return Buffer.concat([data.subarray(0, at), Buffer.from(SPLICES[pick(SPLICES.length)], 'latin1'), data.subarray(at)]);
    }
    default: {
      const at = pick(data.length);
      return Buffer.concat([data.subarray(0, at), data.subarray(at + 1 + pick(20))]);
    }
  }
}

/** Parses and, when that works, exercises the header parsers and a round trip too. */
function exercise(data: Buffer): void {
  try {
    const msg = parseSipMessage(data);
    getVias(msg);
    for (const name of ['Contact', 'Route', 'Record-Route']) for (const v of msg.headers.getAll(name)) parseNameAddrList(v);
    if (msg.kind === 'request') parseUri(msg.uri);
    parseSipMessage(serializeSipMessage(msg));
  } catch (err) {
    if (!(err instanceof SipParseError)) throw err;
  }
}

test('the corpus seeds are there', () => {
  assert.ok(seeds.length >= 20);
});

test('mutated messages only ever fail with SipParseError, and quickly', () => {
  const next = rng(0x5eed);
  let slowest = 0;
  for (const seed of seeds) {
    for (let i = 0; i < 150; i++) {
      const data = mutate(seed, next);
      const started = performance.now();
      assert.doesNotThrow(() => exercise(data), `mutation ${i} of a ${seed.length}-byte seed`);
      slowest = Math.max(slowest, performance.now() - started);
    }
  }
  assert.ok(slowest < 100, `slowest parse took ${slowest} ms`);
});

test('every prefix of a valid message fails cleanly or parses', () => {
  const seed = seeds.reduce((a, b) => (a.length > b.length ? a : b));
  for (let cut = 0; cut <= seed.length; cut++) exercise(seed.subarray(0, cut));
});

test('mutated streams only reach the framer error callback, with bounded buffering', () => {
  const next = rng(0xf4a3e);
  for (let round = 0; round < 200; round++) {
    const parts = Array.from({ length: 3 }, () => mutate(seeds[Math.floor(next() * seeds.length)], next));
    const stream = Buffer.concat(parts);
    const errors: unknown[] = [];
    const framer = new SipStreamFramer({
      message: (buf) => exercise(buf),
      error: (err) => errors.push(err),
    }, { maxBytes: 4096 });
    let at = 0;
    while (at < stream.length) {
      const size = 1 + Math.floor(next() * 700);
      assert.doesNotThrow(() => framer.push(stream.subarray(at, at + size)));
      assert.ok(framer.bufferedBytes <= 4096 + 700);
      at += size;
    }
    assert.ok(errors.length <= 1);
    for (const err of errors) assert.ok(err instanceof SipParseError);
  }
});
