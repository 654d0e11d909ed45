import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitHeaderList } from './split-header-list.js';

test('splits on commas and trims elements', () => {
  assert.deepEqual(splitHeaderList('INVITE, ACK ,BYE'), ['INVITE', 'ACK', 'BYE']);
  assert.deepEqual(splitHeaderList('single'), ['single']);
  assert.deepEqual(splitHeaderList('   '), []);
});

test('commas inside quoted strings, including after escaped quotes, do not split', () => {
  assert.deepEqual(splitHeaderList('"Bell, Alexander" <sip:a@b>, "Watson, \\"Tom\\", Jr" <sip:t@w>'), [
    '"Bell, Alexander" <sip:a@b>', '"Watson, \\"Tom\\", Jr" <sip:t@w>',
  ]);
});

test('commas inside <> do not split', () => {
  assert.deepEqual(splitHeaderList('<sip:a@b;x=1,2>;q=0.5, <sip:c@d>'), ['<sip:a@b;x=1,2>;q=0.5', '<sip:c@d>']);
});

test('empty elements are kept so that a strict parser can reject them', () => {
  assert.deepEqual(splitHeaderList('a,,b,'), ['a', '', 'b', '']);
});
