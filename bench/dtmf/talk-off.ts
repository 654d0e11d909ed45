/**
 * Talk-off part of the in-band DTMF battery: speech synthesised at run time by espeak-ng (several voices, pitches
 * and speeds), resampled to 8 kHz with our resampler, levelled, passed through G.711 µ-law and fed to the
 * detector. Any digit reported in speech is a false alarm. Needs the espeak-ng binary (Debian: espeak-ng).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav, resamplePcm } from '../../src/media/codec/index.js';
import type { InbandDtmfDetectorOptions } from '../../src/media/dtmf/inband-dtmf-detector.js';
import { dbm0ToMeanSquare } from '../../src/media/tone/index.js';
import { detectDigits, type Detection } from './dtmf-battery.js';

/** IVR-style caller speech, many with spoken digits (the hardest case: callers read numbers aloud). */
const ENGLISH_SENTENCES = [
  'Hello, I am calling about my account.',
  'My account number is four seven one one two nine eight three.',
  'Please transfer me to customer service.',
  'I would like to speak to an agent, please.',
  'The reference number is A B nine nine zero one.',
  'Can you repeat that? I did not hear the last part.',
  'My phone number is five five five, zero one nine nine.',
  'Yes, that is correct.',
  'No, I said billing, not technical support.',
  'I have been waiting on hold for twenty minutes.',
  'The package was supposed to arrive on Tuesday the fourteenth.',
  'Could you check the status of order number three one four one five nine?',
  'I need to reset my password.',
  'My date of birth is the second of March, nineteen eighty seven.',
  'Press one, press two, I pressed the pound key already.',
  'Star, hash, zero, one, two, three, four, five, six, seven, eight, nine.',
  'Operator! Operator! Representative!',
  'Mmm, hmm, well, let me think about it for a moment.',
  'The meeting has been moved to eleven thirty in the morning.',
  'Send the invoice to accounts payable at extension four four two.',
  'Whoooa, that is a really loud beep on this line.',
  'I am calling from a mobile phone and the reception is bad.',
  'Sing: do re mi fa so la ti do.',
  'Eeeeeeee, aaaaaaah, ooooooooh, uuuuuuuh.',
  'Could I have the weather forecast for Seattle and Portland?',
  'Thank you very much, goodbye.',
  'The card ends in six six two one, and it expires in October.',
  'Zero zero four four, two zero, seven nine four six, zero nine five eight.',
  'Please cancel my subscription effective immediately.',
  'Is anybody there? Hello? Hello?',
  'I would like to book a table for four people at eight pm.',
  'The total comes to one hundred and twenty three dollars and forty five cents.',
  'My name is Alexandra, spelled A L E X A N D R A.',
  'Nine one one, what is your emergency? Just kidding, wrong number.',
  'Please call me back at your earliest convenience.',
  'Ninety nine bottles of beer on the wall, ninety nine bottles of beer.',
  'The flight number is U A eight three five departing at six fifteen.',
  'Yes yes yes, no no no, maybe.',
  'Listen carefully, as our menu options have changed.',
  'One one one one, two two two two, three three three three.',
];

/** Other languages reading digits and numbers (espeak-ng speaks figures in the voice's language). */
const DIGIT_STRINGS = [
  '0800 555 1234.', '42, 1999, 2024, 31415926.', '7 8 9, 4 5 6, 1 2 3, 0.', '+49 30 1234 5678.',
  '12, 34, 56, 78, 90.', '1000000, 250, 17, 8.', '555 0199, 555 0123.', '3 2 1, 1 2 3, 9 8 7 6 5 4.',
];

interface VoiceConfig {
  voice: string;
  speed: number;
  pitch: number;
  english: boolean;
}

const VOICES: VoiceConfig[] = [
  { voice: 'en-us', speed: 160, pitch: 50, english: true },
  { voice: 'en-gb', speed: 175, pitch: 40, english: true },
  { voice: 'en-us+f3', speed: 150, pitch: 70, english: true },
  { voice: 'en+f5', speed: 140, pitch: 90, english: true },
  { voice: 'en+m3', speed: 190, pitch: 25, english: true },
  { voice: 'en-us+klatt2', speed: 165, pitch: 55, english: true },
  { voice: 'en-gb-scotland+m7', speed: 150, pitch: 35, english: true },
  { voice: 'en-us+whisper', speed: 160, pitch: 50, english: true },
  { voice: 'en+croak', speed: 145, pitch: 30, english: true },
  { voice: 'en-us+klatt4', speed: 180, pitch: 75, english: true },
  { voice: 'de+f2', speed: 160, pitch: 60, english: false },
  { voice: 'fr', speed: 170, pitch: 45, english: false },
  { voice: 'es+m2', speed: 165, pitch: 40, english: false },
];

/** Levels (RMS over each utterance, pauses included) at which every voice is tested. */
const SPEECH_LEVELS_DBM0 = [-20, -8];

export interface TalkOffResult {
  voices: string[];
  levelsDbm0: number[];
  utterances: number;
  /** Unique speech synthesised, in minutes. */
  speechMinutes: number;
  /** Speech fed to the detector (every voice at every level), in minutes. */
  testedMinutes: number;
  falseAlarms: number;
  alarms: { voice: string; levelDbm0: number; digit: string; durationMs: number }[];
}

function scaleToLevel(pcm: Int16Array, levelDbm0: number): Int16Array {
  let sum = 0;
  for (const v of pcm) sum += v * v;
  const gain = sum > 0 ? Math.sqrt(dbm0ToMeanSquare(levelDbm0) / (sum / pcm.length)) : 0;
  return Int16Array.from(pcm, (v) => Math.max(-32768, Math.min(32767, Math.round(v * gain))));
}

function synthesise(dir: string, config: VoiceConfig, index: number, text: string): Int16Array {
  const file = join(dir, `${index}.wav`);
  const run = spawnSync('espeak-ng', ['-v', config.voice, '-s', String(config.speed), '-p', String(config.pitch), '-w', file, text]);
  if (run.error || run.status !== 0) {
    throw new Error(`espeak-ng failed for voice ${config.voice}: ${run.error?.message ?? run.stderr.toString()}`);
  }
  const wav = readWav(readFileSync(file));
  return resamplePcm(wav.pcm, wav.sampleRate, 8000);
}

/** Synthesises the talk-off corpus into a temporary folder and counts detections. */
export function runTalkOff(options: InbandDtmfDetectorOptions = {}): TalkOffResult {
  const probe = spawnSync('espeak-ng', ['--version']);
  if (probe.error || probe.status !== 0) {
    throw new Error('espeak-ng is not installed (Debian: apt-get install -y espeak-ng); run with --no-talk-off to skip');
  }
  const dir = mkdtempSync(join(tmpdir(), 'swb-dtmf-talkoff-'));
  const result: TalkOffResult = {
    voices: VOICES.map((v) => `${v.voice} s${v.speed} p${v.pitch}`),
    levelsDbm0: SPEECH_LEVELS_DBM0,
    utterances: 0,
    speechMinutes: 0,
    testedMinutes: 0,
    falseAlarms: 0,
    alarms: [],
  };
  try {
    VOICES.forEach((config, v) => {
      const texts = config.english ? ENGLISH_SENTENCES : DIGIT_STRINGS;
      // One espeak-ng run per voice: sentences become one utterance separated by espeak's own pauses.
      const pcm = synthesise(dir, config, v, texts.join('\n'));
      result.utterances += texts.length;
      result.speechMinutes += pcm.length / 8000 / 60;
      for (const levelDbm0 of SPEECH_LEVELS_DBM0) {
        const found: Detection[] = detectDigits(scaleToLevel(pcm, levelDbm0), 160, Math.random, options);
        result.testedMinutes += pcm.length / 8000 / 60;
        result.falseAlarms += found.length;
        for (const d of found) result.alarms.push({ voice: result.voices[v], levelDbm0, digit: d.digit, durationMs: d.durationMs });
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
