import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../common/index.js';
import { FliteTtsProvider } from './flite-tts-provider.js';
import type { SynthesizedAudio } from './tts-provider.js';

const provider = new FliteTtsProvider();
after(() => provider.close());

function seconds(audio: SynthesizedAudio): number {
  return audio.pcm.length / audio.sampleRate;
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return Math.sqrt(sum / pcm.length);
}

test('synthesizes a welcome with slt: audible, plausible duration, 16 kHz', async () => {
  const audio = await provider.synthesize('Welcome to Switchboard.', { voice: 'slt' });
  assert.equal(audio.sampleRate, 16000);
  assert.ok(seconds(audio) >= 0.8 && seconds(audio) <= 3, `duration ${seconds(audio)} s`);
  assert.ok(rms(audio.pcm) > 300, `rms ${rms(audio.pcm)}`);
  assert.ok(audio.pcm.some((s) => Math.abs(s) > 5000), 'has speech-level peaks');
});

test('each voice reports its own sample rate and two voices sound different', async () => {
  const text = 'Please hold.';
  const [slt, rms16, kal] = await Promise.all(['slt', 'rms', 'kal'].map((voice) => provider.synthesize(text, { voice })));
  assert.equal(rms16.sampleRate, 16000);
  assert.equal(kal.sampleRate, 8000);
  assert.notDeepEqual(slt.pcm, rms16.pcm);
  assert.ok(seconds(kal) > 0.4 && seconds(kal) < 2, `kal duration ${seconds(kal)} s`);
});

test('the default voice applies when no voice is given', async () => {
  const kalProvider = new FliteTtsProvider({ defaultVoice: 'kal' });
  try {
    assert.equal((await kalProvider.synthesize('Hello.')).sampleRate, 8000);
  } finally {
    await kalProvider.close();
  }
});

test('rate 2 speaks faster and rate 0.5 slower than the normal pace', async () => {
  const text = 'Your call is important to us.';
  const [normal, fast, slow] = await Promise.all([1, 2, 0.5].map((rate) => provider.synthesize(text, { rate })));
  assert.ok(seconds(fast) < seconds(normal) * 0.7, `${seconds(fast)} vs ${seconds(normal)}`);
  assert.ok(seconds(slow) > seconds(normal) * 1.4, `${seconds(slow)} vs ${seconds(normal)}`);
});

test('empty text rejects with SWB_ERR_TTS_FAILED', async () => {
  await assert.rejects(provider.synthesize('   ', { voice: 'awb' }),
    (e) => isSwitchboardError(e, 'SWB_ERR_TTS_FAILED') && /voice "awb": text is empty/.test(e.message));
});

test('an unknown default voice is a configuration error', () => {
  assert.throws(() => new FliteTtsProvider({ defaultVoice: 'hal9000' }), (e) => isSwitchboardError(e, 'SWB_ERR_CONFIG_INVALID'));
});

test('lists the built-in voices', () => {
  assert.deepEqual(provider.voices(), ['slt', 'rms', 'awb', 'kal', 'kal16']);
  assert.equal(provider.name, 'flite');
});
