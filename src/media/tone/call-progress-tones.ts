/**
 * Ringback (audible ringing) played to a caller while a transfer rings. Frequencies and cadences per region, as
 * listed per country in ITU-T E.180 Supplement 2: North America 440 + 480 Hz, 2 s on / 4 s off (the "precise tone
 * plan", −19 dBm0 per frequency); UK 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off; most of Europe 425 Hz,
 * 1 s on / 4 s off. The −19 dBm0 level is used for all three.
 */
import { ToneGenerator, type ToneSpec } from './tone-generator.js';

export type RingbackRegion = 'us' | 'uk' | 'eu';

export const RINGBACK_TONES: Readonly<Record<RingbackRegion, ToneSpec>> = {
  us: { frequencies: [440, 480], levelDbm0: -19, cadenceMs: [2000, 4000], rampMs: 2 },
  uk: { frequencies: [400, 450], levelDbm0: -19, cadenceMs: [400, 200, 400, 2000], rampMs: 2 },
  eu: { frequencies: [425], levelDbm0: -19, cadenceMs: [1000, 4000], rampMs: 2 },
};

/** One full cadence period of ringback for `region` (6 s for 'us'), 8 kHz PCM16. */
export function renderRingback(region: RingbackRegion = 'us', sampleRate = 8000): Int16Array {
  const spec = RINGBACK_TONES[region];
  const periodMs = (spec.cadenceMs ?? []).reduce((a, b) => a + b, 0);
  const out = new Int16Array(Math.round((periodMs * sampleRate) / 1000));
  return new ToneGenerator({ ...spec, sampleRate }).fill(out);
}
