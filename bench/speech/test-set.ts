/**
 * The benchmark's utterances: every department synonym in every phrasing, spread over voices, speeds and noise,
 * and the out-of-grammar material that must be rejected. `scale` thins the set for development runs.
 */
import type { OptionsGrammar } from '../../src/speech/asr/index.js';
import {
  DEPARTMENTS, ENGLISH_VOICES, FOREIGN_SENTENCES, OUT_OF_GRAMMAR_SENTENCES, TEMPLATES, type VoiceSetting,
} from './department-corpus.js';
import { seededRandom } from '../dtmf/dtmf-battery.js';
import type { ClipSpec } from './telephone-audio.js';

export type CaseKind = 'in-grammar' | 'other-sentence' | 'other-language' | 'reversed-speech' | 'noise' | 'silence';

export interface TestCase {
  id: string;
  kind: CaseKind;
  /** The department expected; null when the utterance must be rejected. */
  expect: string | null;
  spec: ClipSpec;
}

const LEAD_MS = 400;
const TAIL_MS = 1500;
/** SNRs used for the noisy copies (dB, white noise over the telephone band). */
const SNRS = [20, 12];

export interface TestSetOptions {
  /** Copies of each in-grammar phrasing (different voice/speed/noise each); 3 for the full run. */
  copies: number;
  /** Keep every n-th phrasing only (development runs). */
  every: number;
}

export function buildTestSet(grammar: OptionsGrammar = DEPARTMENTS, options: TestSetOptions = { copies: 3, every: 1 }): TestCase[] {
  const rand = seededRandom(20261122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const voice = (v: VoiceSetting): Pick<ClipSpec, 'engine' | 'voice' | 'pitch' | 'speed'> => ({
    engine: v.engine, voice: v.voice, speed: pick(v.speeds), ...(v.pitch === undefined ? {} : { pitch: v.pitch }),
  });
  let voiceTurn = 0;
  /** Voices in turn (not at random) so every voice gets the same share of each phrasing. */
  const nextVoice = (): VoiceSetting => ENGLISH_VOICES[voiceTurn++ % ENGLISH_VOICES.length];
  const cases: TestCase[] = [];
  let n = 0;
  const condition = (copy: number): Pick<ClipSpec, 'snrDb' | 'levelDbm0'> => ({
    levelDbm0: -12 - Math.round(rand() * 14),
    ...(copy % 3 === 1 ? { snrDb: SNRS[Math.floor(rand() * SNRS.length)] } : {}),
  });
  for (const option of grammar.options) {
    for (const phrase of option.phrases ?? [option.value]) {
      for (const template of TEMPLATES) {
        if (n++ % options.every !== 0) continue;
        for (let copy = 0; copy < options.copies; copy++) {
          cases.push({
            id: `in-${cases.length}`,
            kind: 'in-grammar',
            expect: option.value,
            spec: { text: template.replace('{}', phrase), ...voice(nextVoice()), leadMs: LEAD_MS, tailMs: TAIL_MS, ...condition(copy) },
          });
        }
      }
    }
  }
  const rejectCopies = Math.max(1, options.copies);
  OUT_OF_GRAMMAR_SENTENCES.forEach((text, i) => {
    if (i % options.every !== 0 && options.every > 1 && i % 2 !== 0) return;
    for (let copy = 0; copy < rejectCopies; copy++) {
      cases.push({ id: `oog-${cases.length}`, kind: 'other-sentence', expect: null, spec: { text, ...voice(nextVoice()), leadMs: LEAD_MS, tailMs: TAIL_MS, ...condition(copy) } });
    }
  });
  for (const { voice, text } of FOREIGN_SENTENCES) {
    for (let copy = 0; copy < Math.min(2, rejectCopies); copy++) {
      cases.push({ id: `lang-${cases.length}`, kind: 'other-language', expect: null, spec: { text, voice, speed: pick([140, 175, 210]), leadMs: LEAD_MS, tailMs: TAIL_MS, ...condition(copy) } });
    }
  }
  for (const option of grammar.options) {
    const text = `${TEMPLATES[2].replace('{}', option.phrases?.[0] ?? option.value)}`;
    cases.push({ id: `rev-${cases.length}`, kind: 'reversed-speech', expect: null, spec: { text, reversed: true, ...voice(nextVoice()), leadMs: LEAD_MS, tailMs: TAIL_MS, ...condition(0) } });
  }
  for (const [noiseMs, level] of [[800, -35], [1500, -25], [2500, -18], [1200, -12], [3000, -30]] as const) {
    cases.push({ id: `noise-${cases.length}`, kind: 'noise', expect: null, spec: { noiseMs, snrDb: level, levelDbm0: 0, leadMs: LEAD_MS, tailMs: TAIL_MS } });
  }
  for (const level of [undefined, -60, -50]) {
    cases.push({ id: `sil-${cases.length}`, kind: 'silence', expect: null, spec: { noiseMs: 3000, ...(level === undefined ? {} : { snrDb: level }), levelDbm0: 0, leadMs: 0, tailMs: 0 } });
  }
  return cases;
}
