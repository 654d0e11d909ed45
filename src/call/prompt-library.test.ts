import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSwitchboardError } from '../common/index.js';
import { writeWav } from '../media/index.js';
import type { SynthesizedAudio, TtsProvider } from '../speech/index.js';
import { PromptLibrary, trimLeadingSilence } from './prompt-library.js';

/** Counts syntheses; the audio is a 16 kHz ramp whose length depends on the text, so results are distinguishable. */
class CountingTts implements TtsProvider {
  readonly name = 'counting';
  calls = 0;
  voices(): string[] {
    return ['a', 'b'];
  }
  async synthesize(text: string): Promise<SynthesizedAudio> {
    this.calls++;
    const pcm = new Int16Array(16 * 20 * text.length);
    for (let i = 0; i < pcm.length; i++) pcm[i] = (i * 37) % 8000;
    return { pcm, sampleRate: 16000 };
  }
}

test('speech is synthesized once per voice and text, then served from the cache', async () => {
  const tts = new CountingTts();
  const lib = new PromptLibrary(tts, 'a');
  const [p1, p2] = await Promise.all([lib.speech('hello'), lib.speech('hello')]);
  assert.equal(p1, p2);
  assert.equal(tts.calls, 1);
  await lib.speech('hello', 'b');
  assert.equal(tts.calls, 2);
  assert.equal(p1.durationMs, 100, '5 characters × 20 ms at 16 kHz, resampled to 8 kHz');
});

test('the speech cache is bounded, oldest entry first out', async () => {
  const tts = new CountingTts();
  const lib = new PromptLibrary(tts, 'a', 2);
  await lib.speech('one');
  await lib.speech('two');
  await lib.speech('one');
  await lib.speech('three');
  await lib.speech('one');
  assert.equal(tts.calls, 3, '"one" was used recently, so "two" was evicted instead');
  await lib.speech('two');
  assert.equal(tts.calls, 4);
});

test('recorded files load once, at any rate, and resolve as prompts; unknown names are errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-prompts-'));
  const path = join(dir, 'greeting.wav');
  writeFileSync(path, writeWav(new Int16Array(44100).fill(1000), 44100));
  const lib = new PromptLibrary(new CountingTts(), 'a');
  const items = await lib.resolve([{ kind: 'file', path }, { kind: 'silence', durationMs: 300 }]);
  assert.equal(items.length, 2);
  assert.equal(items[0].kind, 'prompt');
  if (items[0].kind === 'prompt') assert.equal(items[0].prompt.durationMs, 1000);
  assert.equal(await lib.file(path), await lib.file(path));
  await assert.rejects(lib.resolve([{ kind: 'named', name: 'nope' }]), (e) => isSwitchboardError(e) && /nope/.test(e.message));
  await assert.rejects(lib.file(join(dir, 'missing.wav')), /ENOENT/);
});

test('pending items: uncached speech is one item per sentence, a text cached whole stays one item', async () => {
  const tts = new CountingTts();
  const lib = new PromptLibrary(tts, 'a');
  lib.register('beep', (await lib.speech('beep')));
  const text = 'Hello Bob. You have two new messages.';
  const items = lib.pendingItems([{ kind: 'named', name: 'beep' }, { kind: 'tts', text }, { kind: 'silence', durationMs: 100 }]);
  assert.equal(items.length, 4);
  assert.equal(items[0] instanceof Promise, false, 'a named prompt is ready at once');
  const names = (await Promise.all(items)).map((i) => (i.kind === 'prompt' ? i.prompt.name : 'silence'));
  assert.deepEqual(names, ['beep', 'Hello Bob.', 'You have two new messages.', 'silence']);
  assert.equal(tts.calls, 3);
  assert.equal((await Promise.all(lib.pendingItems([{ kind: 'tts', text }]))).length, 2);
  assert.equal(tts.calls, 3, 'the sentences come from the cache the second time');
  await lib.speech('Good morning. Press one.');
  const whole = lib.pendingItems([{ kind: 'tts', text: 'Good morning. Press one.' }]);
  assert.equal(whole.length, 1, 'a text rendered whole (static prompts at flow load) is not split');
  assert.equal(tts.calls, 4);
  assert.throws(() => lib.pendingItems([{ kind: 'tts', text: 'Hi there. Bye.' }, { kind: 'named', name: 'nope' }]), /nope/);
  assert.equal(tts.calls, 4, 'an unknown name fails before anything is synthesized');
});

test('synthesized speech starts 40 ms before its first sound, whatever padding the engine put before it', () => {
  const rate = 16_000;
  const padded = new Int16Array(rate);
  padded.fill(2000, 3200, 8000); // 200 ms of silence, then sound
  const trimmed = trimLeadingSilence(padded, rate);
  assert.equal(trimmed.length, rate - 3200 + 640, '40 ms (640 samples at 16 kHz) kept before the sound');
  assert.equal(trimmed[640], 2000);
  assert.equal(trimLeadingSilence(padded.subarray(3000), rate).length, rate - 3000, 'less padding than that is left alone');
  const silent = new Int16Array(800);
  assert.equal(trimLeadingSilence(silent, 8000), silent, 'all silence is left as it is');
});
