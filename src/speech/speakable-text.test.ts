import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../common/index.js';
import { loadFliteModule } from './flite-engine.js';
import { speakableDigits, speakableTime } from './speakable-text.js';
import { runWasiCommand } from './wasi-memory-host.js';

/** The words Flite will actually say for `text` (`flite -pw`). */
async function fliteWords(text: string): Promise<string> {
  const result = runWasiCommand(await loadFliteModule(), { args: ['flite', '-pw', '-t', text, '-o', 'none'] });
  return result.stdout.trim();
}

test('digits and keys are read one at a time', async () => {
  assert.equal(speakableDigits('1234#'), '1, 2, 3, 4, pound');
  assert.equal(await fliteWords(speakableDigits('1234#')), 'one two three four pound');
  assert.equal(await fliteWords(speakableDigits('*07A')), 'star zero seven _a');
});

test('phone-number formatting is skipped and unknown characters are refused', () => {
  assert.equal(speakableDigits('+1 (555) 123-4567'), 'plus, 1, 5, 5, 5, 1, 2, 3, 4, 5, 6, 7');
  assert.throws(() => speakableDigits('12x'), (e) => isSwitchboardError(e, 'SWB_ERR_TTS_FAILED') && /"x"/.test(e.message));
});

test('times use the forms Flite says naturally, in the given zone', async () => {
  const at = new Date('2024-03-05T22:42:00Z');
  assert.equal(speakableTime(at, 'UTC'), '10:42 PM');
  assert.equal(speakableTime(at, 'Europe/Paris'), '11:42 PM');
  assert.equal(speakableTime(new Date('2024-03-05T09:05:00Z'), 'UTC'), '9:05 AM');
  assert.equal(speakableTime(new Date('2024-03-05T15:00:00Z'), 'UTC'), '3 PM');
  assert.equal(speakableTime(new Date('2024-03-05T12:00:00Z'), 'UTC'), 'noon');
  assert.equal(speakableTime(new Date('2024-03-05T00:00:00Z'), 'UTC'), 'midnight');
  assert.equal(await fliteWords(speakableTime(at, 'UTC')), 'ten forty two p m');
  assert.equal(await fliteWords('9:05 AM'), 'nine oh five _a m');
});

test('invalid dates and zones are refused', () => {
  assert.throws(() => speakableTime(new Date(Number.NaN)), (e) => isSwitchboardError(e, 'SWB_ERR_TTS_FAILED'));
  assert.throws(() => speakableTime(new Date(), 'Mars/Olympus'), (e) => isSwitchboardError(e, 'SWB_ERR_TTS_FAILED') && /Mars/.test(e.message));
});
