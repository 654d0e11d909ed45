import { Prompt } from '../media/index.js';

const RATE = 8000;

/** A sine sweep or steady tone at 8 kHz, like `sox -n synth D sine F1:F2 vol V` (the reference prompts). */
function renderSweep(durationMs: number, f1: number, f2: number, volume: number): Int16Array {
  const n = Math.round((durationMs / 1000) * RATE);
  const pcm = new Int16Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f = f1 + ((f2 - f1) * i) / n;
    phase += (2 * Math.PI * f) / RATE;
    pcm[i] = Math.round(32767 * volume * Math.sin(phase));
  }
  return pcm;
}

/** The two prompts of the load scenario: 3.0 s sweep 400→1200 Hz, 5.0 s 600 Hz (bench/README). */
export function renderBenchPrompts(): { prompt1: Prompt; prompt2: Prompt } {
  return {
    prompt1: Prompt.fromPcm(renderSweep(3000, 400, 1200, 0.3), RATE, 'bench/prompt1'),
    prompt2: Prompt.fromPcm(renderSweep(5000, 600, 600, 0.3), RATE, 'bench/prompt2'),
  };
}
