import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../common/index.js';
import { fliteArgs, loadFliteModule, MAX_TEXT_CHARS, prepareFliteRequest, sanitizeForFlite, synthesizeWithFlite } from './flite-engine.js';

function rejects(text: string, options: { voice?: string; rate?: number } | undefined, message: RegExp): void {
  assert.throws(() => prepareFliteRequest(text, options, 'slt'),
    (e) => isSwitchboardError(e, 'SWB_ERR_TTS_FAILED') && message.test(e.message));
}

test('empty and unspeakable text is refused with a clear error naming text and voice', () => {
  rejects('', undefined, /text "" with voice "slt": text is empty/);
  rejects(' \n\t ', { voice: 'rms' }, /voice "rms": text is empty/);
  rejects('...', undefined, /text "..." .*no letters or digits/);
});

test('text over the length limit is refused before any synthesis', () => {
  rejects('a'.repeat(MAX_TEXT_CHARS + 1), undefined, new RegExp(`${MAX_TEXT_CHARS + 1} characters, the limit is ${MAX_TEXT_CHARS}`));
  assert.equal(prepareFliteRequest('a'.repeat(MAX_TEXT_CHARS), undefined, 'slt').text.length, MAX_TEXT_CHARS);
});

test('unknown voices and out-of-range rates are refused', () => {
  rejects('hello', { voice: 'awb_time' }, /unknown voice; Flite has slt, rms, awb, kal, kal16/);
  rejects('hello', { rate: 3 }, /rate 3 is outside 0.5..2/);
  rejects('hello', { rate: Number.NaN }, /rate NaN/);
});

test('rate scales the voice’s own duration stretch', () => {
  assert.equal(prepareFliteRequest('hi', { rate: 2 }, 'slt').durationStretch, 0.5);
  assert.equal(prepareFliteRequest('hi', { voice: 'kal' }, 'slt').durationStretch, 1.1);
  assert.ok(Math.abs(prepareFliteRequest('hi', { voice: 'kal16', rate: 0.5 }, 'slt').durationStretch - 2.2) < 1e-9);
});

test('sanitising keeps ASCII, strips accents, maps typographic punctuation and drops the rest', () => {
  assert.equal(sanitizeForFlite('Café “naïve” — it’s\u0000 fine 😀…'), 'Cafe "naive" , it\'s fine ...');
  assert.equal(sanitizeForFlite('  line one\r\nline two  '), 'line one line two');
});

test('the text is one argv element, taken literally by -t even when it looks like an option', async () => {
  const request = prepareFliteRequest('-o none; rm -rf "$HOME"', undefined, 'slt');
  const args = fliteArgs(request);
  assert.equal(args[args.indexOf('-t') + 1], '-o none; rm -rf "$HOME"');
  const audio = synthesizeWithFlite(await loadFliteModule(), request);
  assert.ok(audio.pcm.length > audio.sampleRate, 'the whole string was spoken');
});

test('loading a missing module fails with SWB_ERR_TTS_FAILED naming the path', async () => {
  await assert.rejects(loadFliteModule('/nonexistent/flite.wasm'),
    (e) => isSwitchboardError(e, 'SWB_ERR_TTS_FAILED') && e.message.includes('/nonexistent/flite.wasm'));
});
