import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeShare, firstActiveSec, matchEnvelope, pearson, rmsEnvelope } from './envelope-match.js';
import { encodeWav, parseWav } from './wav-file.js';

/** Deterministic "speech": bursts of noise with varying loudness, separated by pauses. */
function speechLike(seed: number, seconds: number, rate = 8000): Int16Array {
  let x = seed;
  const rand = (): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
  const out = new Int16Array(Math.round(seconds * rate));
  let i = 0;
  while (i < out.length) {
    const burst = Math.round((0.08 + rand() * 0.3) * rate);
    const level = 2000 + rand() * 12000;
    for (let k = 0; k < burst && i < out.length; k++, i++) out[i] = Math.round((rand() * 2 - 1) * level);
    i += Math.round((0.05 + rand() * 0.25) * rate);
  }
  return out;
}

test('WAV round trip, a still-growing recording (data size 0) is read, and errors name the file', () => {
  const s = Int16Array.from([0, 1, -1, 32767, -32768]);
  const back = parseWav(encodeWav(s, 8000));
  assert.equal(back.sampleRate, 8000);
  assert.deepEqual([...back.samples], [...s]);

  const growing = encodeWav(s, 16000);
  growing.writeUInt32LE(0, 40);
  assert.deepEqual([...parseWav(growing).samples], [...s]);
  assert.throws(() => parseWav(Buffer.from('RIFF0000WAVEjunk'), 'rec.wav'), /rec\.wav: .*no fmt chunk/);
});

test('pearson is 1 for scaled copies, -1 for inverted, 0 for a constant', () => {
  const a = [1, 5, 2, 8, 3];
  assert.ok(Math.abs(pearson(a, a.map((v) => v * 3 + 7), 0, 0, 5) - 1) < 1e-12);
  assert.ok(Math.abs(pearson(a, a.map((v) => -v), 0, 0, 5) + 1) < 1e-12);
  assert.equal(pearson(a, [4, 4, 4, 4, 4], 0, 0, 5), 0);
});

test('matchEnvelope finds a reference inside a longer, quieter recording at its delay', () => {
  const ref = speechLike(7, 3);
  const rec = new Int16Array(8000 * 10);
  const delay = Math.round(8000 * 2.37);
  for (let i = 0; i < ref.length; i++) rec[delay + i] = Math.round(ref[i] * 0.4);
  const m = matchEnvelope({ samples: ref, sampleRate: 8000 }, { samples: rec, sampleRate: 8000 })!;
  assert.ok(m.correlation > 0.97, `correlation ${m.correlation}`);
  const leading = firstActiveSec({ samples: ref, sampleRate: 8000 }, 0, 10)!;
  assert.ok(Math.abs(m.startSec - (2.37 + leading)) <= 0.011, `start ${m.startSec}`);
  assert.ok(m.endSec > m.startSec && Math.abs(m.endSec - m.startSec - m.speechSec) < 1e-9);

  const other = matchEnvelope({ samples: speechLike(99, 3), sampleRate: 8000 }, { samples: rec, sampleRate: 8000 })!;
  assert.ok(other.correlation < 0.6, `unrelated speech correlates ${other.correlation}`);
  assert.equal(matchEnvelope({ samples: new Int16Array(800), sampleRate: 8000 }, { samples: rec, sampleRate: 8000 }), undefined);
  const window = matchEnvelope({ samples: ref, sampleRate: 8000 }, { samples: rec, sampleRate: 8000 }, { fromSec: 5 });
  assert.ok(!window || window.correlation < 0.6, 'a search window after the speech does not find it');
});

test('envelope helpers: 10 ms frames, active share, first active run', () => {
  const s = new Int16Array(8000);
  s.fill(10000, 4000, 6000);
  assert.equal(rmsEnvelope({ samples: s, sampleRate: 8000 }).length, 100);
  assert.equal(rmsEnvelope({ samples: new Int16Array(16000), sampleRate: 16000 }).length, 100, 'frames are 10 ms at any rate');
  assert.equal(activeShare({ samples: s, sampleRate: 8000 }, 0, 1), 0.25);
  assert.equal(activeShare({ samples: s, sampleRate: 8000 }, 0, 0.5), 0);
  assert.equal(firstActiveSec({ samples: s, sampleRate: 8000 }, 0), 0.5);
  assert.equal(firstActiveSec({ samples: s, sampleRate: 8000 }, 0.8), undefined);
});
