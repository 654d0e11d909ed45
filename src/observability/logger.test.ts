import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureLogging, logger } from './logger.js';

test('configureLogging reaches module loggers created before it', () => {
  const early = logger('test.early');
  configureLogging('silent');
  assert.equal(early.level, 'silent');
  assert.equal(logger('test.late').level, 'silent');
  configureLogging('debug');
  assert.equal(early.level, 'debug');
  assert.equal(logger('test.early'), early, 'one logger per module name');
  configureLogging('info');
});
