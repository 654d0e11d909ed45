import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SoundSwallowerModel, SpeechEndpointer, type EndpointerEvent, type EndpointerOptions } from './index.js';
import { TelephoneSpeaker, buzz, concat, noise, silence } from './speech-fixtures.js';

/** Runs audio through the real VAD and the endpointer; events with the audio time (ms) of the frame. */
function events(model: SoundSwallowerModel, pcm: Int16Array, options: EndpointerOptions): Array<[EndpointerEvent, number]> {
  const vad = model.createVad();
  const ep = new SpeechEndpointer(options, vad.lagFrames);
  const out: Array<[EndpointerEvent, number]> = [];
  for (let i = 0; i + vad.frameSamples <= pcm.length && ep.state !== 'done'; i += vad.frameSamples) {
    const e = ep.frame(vad.process(pcm, i), () => true);
    if (e) out.push([e, e === 'speech-start' ? ep.speechStartFrame * 20 : e === 'speech-end' ? ep.speechEndFrame * 20 : ep.frameCount * 20]);
  }
  return out;
}

describe('SoundSwallowerVad with SpeechEndpointer', () => {
  let model: SoundSwallowerModel;
  before(async () => {
    model = await SoundSwallowerModel.load();
  });

  it('hears nothing in silence and reports no-input at the timeout', () => {
    assert.deepEqual(events(model, silence(4000), { noInputTimeoutMs: 3000 }), [['no-input', 3000]]);
  });

  it('finds a voiced burst: start and end within a VAD window of the true edges', () => {
    const got = events(model, concat(silence(1000), buzz(800), silence(1500)), { completeTimeoutMs: 200 });
    assert.deepEqual(got.map(([e]) => e), ['speech-start', 'speech-end']);
    assert.ok(Math.abs(got[0][1] - 1000) <= 160, `start ${got[0][1]}`);
    assert.ok(Math.abs(got[1][1] - 1800) <= 200, `end ${got[1][1]}`);
  });

  it('ends speech in steady line noise, which the WebRTC VAD alone takes for speech', () => {
    const hiss = (ms: number): Int16Array => noise(ms, 800, ms);
    const burst = buzz(800).map((v, i) => v + ((i * 7919) % 1600) - 800);
    const got = events(model, concat(hiss(1000), burst, hiss(3000)), { completeTimeoutMs: 200, maxSpeechMs: 3000 });
    assert.deepEqual(got.map(([e]) => e), ['speech-start', 'speech-end'], 'not max-speech: the hiss is not speech');
    assert.ok(got[0][1] >= 900, `start ${got[0][1]} at the burst, not in the hiss before it`);
    assert.ok(got[1][1] <= 2200, `end ${got[1][1]} soon after the burst ends at 1800`);
  });

  it('holds through a short gap between bursts and ends after the last one', () => {
    const got = events(model, concat(silence(500), buzz(400), silence(120), buzz(400), silence(1500)), { completeTimeoutMs: 300 });
    assert.deepEqual(got.map(([e]) => e), ['speech-start', 'speech-end']);
    assert.ok(got[1][1] >= 1300, `end ${got[1][1]} comes after the second burst`);
  });

  it('finds telephone speech and resets between uses', async () => {
    const speaker = new TelephoneSpeaker();
    try {
      const speech = await speaker.speech('I would like to talk to billing please', 'slt');
      const got = events(model, concat(silence(700), speech, silence(1500)), { completeTimeoutMs: 300 });
      assert.deepEqual(got.map(([e]) => e), ['speech-start', 'speech-end']);
      assert.ok(got[0][1] >= 500 && got[0][1] <= 1000, `start ${got[0][1]}`);
      const endMs = 700 + (speech.length / 8000) * 1000;
      assert.ok(got[1][1] <= endMs + 100 && got[1][1] >= endMs - 800, `end ${got[1][1]} vs audio end ${endMs}`);
      const vad = model.createVad();
      const loud = concat(silence(300), buzz(500));
      for (let i = 0; i + 160 <= loud.length; i += 160) vad.process(loud, i);
      assert.equal(vad.process(loud, loud.length - 160), true);
      vad.reset();
      assert.equal(vad.process(silence(20), 0), false, 'reset forgets the speech just heard');
      const call = concat(silence(700), speech, silence(1500));
      const decisions = (v: typeof vad): boolean[] => {
        const out: boolean[] = [];
        for (let i = 0; i + 160 <= call.length; i += 160) out.push(v.process(call, i));
        return out;
      };
      const hiss = noise(3000, 4000);
      for (let i = 0; i + 160 <= hiss.length; i += 160) vad.process(hiss, i);
      vad.reset();
      assert.deepEqual(decisions(vad), decisions(model.createVad()), 'after a reset the VAD judges a call as a new one does');
    } finally {
      await speaker.close();
    }
  });
});
