import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpeechEndpointer, type EndpointerEvent, type EndpointerOptions } from './index.js';

/** Feeds a VAD pattern ("." silence, "S" speech, one char per 20 ms frame) and lists events with their frame. */
function run(pattern: string, options: EndpointerOptions, complete = true, lag = 0): Array<[number, EndpointerEvent]> {
  const ep = new SpeechEndpointer(options, lag);
  const events: Array<[number, EndpointerEvent]> = [];
  [...pattern].forEach((c, i) => {
    const e = ep.frame(c === 'S', () => complete);
    if (e) events.push([i, e]);
  });
  return events;
}

describe('SpeechEndpointer', () => {
  it('reports no-input after the timeout in frames, and nothing else', () => {
    assert.deepEqual(run('.'.repeat(60), { noInputTimeoutMs: 1000 }), [[49, 'no-input']]);
  });

  it('starts the no-input timer only when told (prompt still playing)', () => {
    const ep = new SpeechEndpointer({ noInputTimeoutMs: 200, startTimers: false });
    for (let i = 0; i < 100; i++) assert.equal(ep.frame(false, () => true), null);
    ep.startTimers();
    const events = Array.from({ length: 10 }, () => ep.frame(false, () => true));
    assert.equal(events.indexOf('no-input'), 9);
  });

  it('ends a complete answer after the complete timeout and an incomplete one after the longer one', () => {
    const pattern = `..${'S'.repeat(20)}${'.'.repeat(60)}`;
    assert.deepEqual(run(pattern, { completeTimeoutMs: 200, incompleteTimeoutMs: 600 }, true), [[2, 'speech-start'], [31, 'speech-end']]);
    assert.deepEqual(run(pattern, { completeTimeoutMs: 200, incompleteTimeoutMs: 600 }, false), [[2, 'speech-start'], [51, 'speech-end']]);
  });

  it('keeps going through a pause shorter than the timeout', () => {
    const pattern = `${'S'.repeat(10)}${'.'.repeat(5)}${'S'.repeat(10)}${'.'.repeat(40)}`;
    assert.deepEqual(run(pattern, { completeTimeoutMs: 200 }), [[0, 'speech-start'], [34, 'speech-end']]);
  });

  it('cuts off speech at maxSpeechMs', () => {
    assert.deepEqual(run('S'.repeat(100), { maxSpeechMs: 1000 }), [[0, 'speech-start'], [49, 'max-speech']]);
  });

  it('moves speech times back by the VAD lag and counts silence from there', () => {
    const ep = new SpeechEndpointer({ completeTimeoutMs: 200 }, 5);
    const vad = `${'.'.repeat(20)}${'S'.repeat(30)}${'.'.repeat(20)}`;
    let end = -1;
    [...vad].forEach((c, i) => { if (ep.frame(c === 'S', () => true) === 'speech-end') end = i; });
    assert.equal(ep.speechStartFrame, 15);
    assert.equal(ep.speechEndFrame, 45);
    assert.equal(end, 54, '10 frames (200 ms) after the lag-corrected end');
  });
});
