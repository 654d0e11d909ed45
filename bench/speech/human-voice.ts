/**
 * The speech benchmark on a real human voice: Asterisk's English prompts as recorded by Allison Smith (Debian
 * package asterisk-core-sounds-en-wav, 8 kHz 16-bit), read from the installed package at run time so that no
 * recording enters the repository. Three sets, each passed through G.711 µ-law like a call's inbound audio:
 * account numbers spliced from the digit recordings with seeded pauses (digits grammar), dates and amounts spliced
 * from the month, ordinal and number words (date and amount grammars), one-to-three-word prompts as answers to a
 * short-answer options grammar, and longer sentences that the short-answer and the departments grammars must both
 * reject.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeG711, encodeG711, readWav, resamplePcm } from '../../src/media/codec/index.js';
import {
  DEFAULT_CONFIDENCE_THRESHOLD, grammarOptions, phraseWords,
  type AmountGrammar, type DateGrammar, type DigitsGrammar, type OptionsGrammar, type RecognitionGrammar, type RecognitionStatus, type SpeechRecognizer,
} from '../../src/speech/asr/index.js';
import { seededRandom } from '../dtmf/dtmf-battery.js';
import { DEPARTMENTS } from './department-corpus.js';
import { recognizeClip } from './evaluate.js';
import { planAmounts, planDates, type SpokenValuePlan } from './spoken-value-plans.js';
import { SAMPLE_RATE, type Clip } from './telephone-audio.js';

export const HUMAN_VOICE_PACKAGE = 'asterisk-core-sounds-en-wav';
export const SOUNDS_DIR = '/usr/share/asterisk/sounds/en_US_f_Allison';
export const TRANSCRIPTS_FILE = '/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz';

const SEED = 20261123;
const LEAD_MS = 400;
const TAIL_MS = 1500;
const DIGIT_STRINGS = 40;
const DATES = 25;
const AMOUNTS = 25;
const OUT_OF_GRAMMAR_SENTENCES = 40;
/** Long enough to be a sentence, short enough to stay under the endpointer's 10 s maxSpeechMs. */
const SENTENCE_WORDS = { min: 4, max: 14 };

/** One-to-three-word prompts and the answer each one is; every transcript must be exactly the value's words. */
export const SHORT_ANSWER_PROMPTS: readonly { value: string; prompt: string }[] = [
  { value: 'activated', prompt: 'activated' },
  { value: 'added', prompt: 'added' },
  { value: 'calling', prompt: 'calling' },
  { value: 'cancelled', prompt: 'cancelled' },
  { value: 'call forwarding', prompt: 'call-forwarding' },
  { value: 'call waiting', prompt: 'call-waiting' },
  { value: 'disabled', prompt: 'disabled' },
  { value: 'enabled', prompt: 'enabled' },
  { value: 'goodbye', prompt: 'goodbye' },
  { value: 'removed', prompt: 'removed' },
  { value: 'transfer', prompt: 'pbx-transfer' },
  { value: 'extension', prompt: 'extension' },
  { value: 'speed dial', prompt: 'speed-dial' },
  { value: 'do not disturb', prompt: 'do-not-disturb' },
  { value: 'hello', prompt: 'hello' },
  { value: 'thank you', prompt: 'auth-thankyou' },
];

export const SHORT_ANSWERS: OptionsGrammar = {
  kind: 'options',
  options: SHORT_ANSWER_PROMPTS.map((p) => ({ value: p.value })),
};

export const ACCOUNT_DIGITS: DigitsGrammar = { kind: 'digits', minLength: 4, maxLength: 8 };
export const SPOKEN_DATE: DateGrammar = { kind: 'date' };
export const SPOKEN_AMOUNT: AmountGrammar = { kind: 'amount' };

export type HumanCaseKind = 'digit-string' | 'date' | 'amount' | 'short-answer' | 'out-of-grammar';

export interface HumanCase {
  id: string;
  kind: HumanCaseKind;
  grammarName: 'account-digits' | 'date' | 'amount' | 'short-answers' | 'departments';
  grammar: RecognitionGrammar;
  /** The words spoken. */
  said: string;
  /** The value a correct recognition returns; null when it must be rejected. */
  expect: string | null;
  clip: Clip;
}

export interface HumanVoiceError {
  kind: HumanCaseKind;
  grammar: HumanCase['grammarName'];
  said: string;
  expected: string | null;
  /** 'none' when no result came before the flush ran out. */
  status: RecognitionStatus | 'none';
  heard: string;
  value: string | null;
  confidence: number;
}

export interface HumanVoiceSummary {
  source: string;
  digitStrings: { cases: number; correct: number; accuracy: number };
  dates: { cases: number; correct: number; accuracy: number };
  amounts: { cases: number; correct: number; accuracy: number };
  shortAnswers: { cases: number; correct: number; accuracy: number };
  outOfGrammar: { cases: number; falseAccepts: number; rate: number };
  /** At most 20, taken in turn from the five sets so that each shows. */
  errors: HumanVoiceError[];
}

export function requireHumanVoice(): void {
  if (!existsSync(join(SOUNDS_DIR, 'digits/0.wav')) || !existsSync(TRANSCRIPTS_FILE)) {
    throw new Error(`${HUMAN_VOICE_PACKAGE} is not installed (Debian: apt-get install -y ${HUMAN_VOICE_PACKAGE})`);
  }
}

/** Reads the package's transcript list: `name: Transcript.` per line, `;` comments and blank lines between. */
export function parseTranscripts(text: string): Map<string, string> {
  const transcripts = new Map<string, string>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) continue;
    const match = /^([^\s:]+):\s*(.*)$/.exec(line);
    if (!match || match[2] === '') throw new Error(`transcript line ${i + 1} is not "name: transcript": ${line}`);
    transcripts.set(match[1], match[2]);
  }
  return transcripts;
}

/** Words of a transcript as the grammar sees them; "Speed-dial." is the two words of "speed dial". */
export function transcriptWords(transcript: string): string[] {
  return phraseWords(transcript).flatMap((w) => w.split('-')).filter((w) => w !== '');
}

/**
 * Samples below this (or 0.3 % of the recording's peak, if higher) count as the recording's silence. Low on purpose:
 * the /f/ of "four" and "five" lies 100 ms ahead of the vowel at a tenth of its level, and a cut there turns "five"
 * into "nine" for any recognizer.
 */
const SILENCE_FLOOR = 40;

/** Cuts a recording's leading and trailing silence, keeping `marginMs` of it on either side. */
export function trimSilence(pcm: Int16Array, marginMs = 60): Int16Array {
  let peak = 0;
  for (const v of pcm) peak = Math.max(peak, Math.abs(v));
  const threshold = Math.max(SILENCE_FLOOR, peak / 300);
  let first = 0;
  while (first < pcm.length && Math.abs(pcm[first]) < threshold) first++;
  if (first === pcm.length) return pcm.subarray(0, 0);
  let last = pcm.length - 1;
  while (Math.abs(pcm[last]) < threshold) last--;
  const margin = Math.round((marginMs / 1000) * SAMPLE_RATE);
  return pcm.subarray(Math.max(0, first - margin), Math.min(pcm.length, last + 1 + margin));
}

/** Lead silence, the recordings with digital silence of `pausesMs[i]` after the i-th, tail silence, then G.711 µ-law. */
export function buildUtterance(recordings: Int16Array[], pausesMs: number[], leadMs = LEAD_MS, tailMs = TAIL_MS): Clip {
  const samples = (ms: number): number => Math.round((ms / 1000) * SAMPLE_RATE);
  const lead = samples(leadMs);
  const speech = recordings.reduce((n, r, i) => n + r.length + (i < recordings.length - 1 ? samples(pausesMs[i] ?? 0) : 0), 0);
  const linear = new Int16Array(lead + speech + samples(tailMs));
  let at = lead;
  for (const [i, r] of recordings.entries()) {
    linear.set(r, at);
    at += r.length + (i < recordings.length - 1 ? samples(pausesMs[i] ?? 0) : 0);
  }
  return { pcm: decodeG711('pcmu', encodeG711('pcmu', linear)), speechStart: lead, speechEnd: lead + speech };
}

export interface DigitStringPlan {
  digits: string;
  /** Prompt names, e.g. "digits/4", "digits/oh". */
  prompts: string[];
  /** Pause after each prompt but the last. */
  pausesMs: number[];
}

/** Account numbers as callers say them: 4–8 digits, a zero said "oh" half the time, 40–200 ms between digits. */
export function planDigitStrings(count: number, random: () => number): DigitStringPlan[] {
  const plans: DigitStringPlan[] = [];
  for (let n = 0; n < count; n++) {
    const length = ACCOUNT_DIGITS.minLength + Math.floor(random() * (ACCOUNT_DIGITS.maxLength - ACCOUNT_DIGITS.minLength + 1));
    let digits = '';
    const prompts: string[] = [];
    const pausesMs: number[] = [];
    for (let i = 0; i < length; i++) {
      const d = Math.floor(random() * 10);
      digits += String(d);
      prompts.push(d === 0 && random() < 0.5 ? 'digits/oh' : `digits/${d}`);
      if (i < length - 1) pausesMs.push(Math.round(40 + random() * 160));
    }
    plans.push({ digits, prompts, pausesMs });
  }
  return plans;
}

function containsPhrase(words: string[], phrase: string[]): boolean {
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

/**
 * Sentence prompts no grammar of the set may accept: top-level prompts of SENTENCE_WORDS words, no tone or
 * silence ([bracketed] transcripts) and none whose transcript carries a (note) on what is said, none holding a
 * phrase of `grammars`, one per distinct transcript; `count` of them spread evenly over the alphabetical list so
 * that every family of prompts (agent-, conf-, vm-…) shows.
 */
export function selectOutOfGrammar(
  transcripts: Map<string, string>, grammars: OptionsGrammar[], count: number, exists: (prompt: string) => boolean,
): string[] {
  const phrases = grammars.flatMap((g) => grammarOptions(g).flatMap((o) => (o.phrases ?? [o.value]).map(transcriptWords)));
  const seen = new Set<string>();
  const eligible: string[] = [];
  for (const name of [...transcripts.keys()].sort()) {
    const transcript = transcripts.get(name) ?? '';
    const words = transcriptWords(transcript);
    const key = words.join(' ');
    if (name.includes('/') || /[[\]()]/.test(transcript) || seen.has(key)) continue;
    if (words.length < SENTENCE_WORDS.min || words.length > SENTENCE_WORDS.max) continue;
    if (phrases.some((p) => containsPhrase(words, p)) || !exists(name)) continue;
    seen.add(key);
    eligible.push(name);
  }
  if (eligible.length < count) throw new Error(`only ${eligible.length} sentence prompts qualify as out of grammar; ${count} wanted`);
  return Array.from({ length: count }, (_, i) => eligible[Math.floor((i * eligible.length) / count)]);
}

function promptFile(prompt: string): string {
  return join(SOUNDS_DIR, `${prompt}.wav`);
}

function loadPrompt(prompt: string): Int16Array {
  const wav = readWav(readFileSync(promptFile(prompt)));
  return trimSilence(wav.sampleRate === SAMPLE_RATE ? wav.pcm : resamplePcm(wav.pcm, wav.sampleRate, SAMPLE_RATE));
}

export function readTranscripts(): Map<string, string> {
  return parseTranscripts(gunzipSync(readFileSync(TRANSCRIPTS_FILE)).toString('utf8'));
}

/** The whole set, in order: digit strings, dates, amounts, short answers, then each sentence against both grammars. */
export function buildHumanVoiceSet(): HumanCase[] {
  requireHumanVoice();
  const transcripts = readTranscripts();
  const cache = new Map<string, Int16Array>();
  const load = (prompt: string): Int16Array => {
    let pcm = cache.get(prompt);
    if (!pcm) cache.set(prompt, (pcm = loadPrompt(prompt)));
    return pcm;
  };
  const cases: HumanCase[] = [];

  for (const [i, plan] of planDigitStrings(DIGIT_STRINGS, seededRandom(SEED)).entries()) {
    cases.push({
      id: `digits-${String(i + 1).padStart(2, '0')}`, kind: 'digit-string', grammarName: 'account-digits', grammar: ACCOUNT_DIGITS,
      said: plan.prompts.map((p) => transcripts.get(p) ?? p).join(' '), expect: plan.digits,
      clip: buildUtterance(plan.prompts.map(load), plan.pausesMs),
    });
  }

  const spoken = (kind: 'date' | 'amount', grammar: DateGrammar | AmountGrammar, plans: SpokenValuePlan[]): void => {
    for (const [i, plan] of plans.entries()) {
      cases.push({
        id: `${kind}-${String(i + 1).padStart(2, '0')}`, kind, grammarName: kind, grammar,
        said: plan.prompts.map((p) => transcripts.get(p) ?? p).join(' '), expect: plan.expect,
        clip: buildUtterance(plan.prompts.map(load), plan.pausesMs),
      });
    }
  };
  spoken('date', SPOKEN_DATE, planDates(DATES - 3, seededRandom(SEED + 1)));
  spoken('amount', SPOKEN_AMOUNT, planAmounts(AMOUNTS, seededRandom(SEED + 2)));

  for (const { value, prompt } of SHORT_ANSWER_PROMPTS) {
    const transcript = transcripts.get(prompt);
    if (transcript === undefined || !existsSync(promptFile(prompt))) throw new Error(`prompt ${prompt} is missing from ${HUMAN_VOICE_PACKAGE}`);
    if (transcriptWords(transcript).join(' ') !== value) throw new Error(`prompt ${prompt} says "${transcript}", not "${value}"`);
    cases.push({
      id: `answer-${prompt}`, kind: 'short-answer', grammarName: 'short-answers', grammar: SHORT_ANSWERS,
      said: transcript, expect: value, clip: buildUtterance([load(prompt)], []),
    });
  }

  const sentences = selectOutOfGrammar(transcripts, [SHORT_ANSWERS, DEPARTMENTS], OUT_OF_GRAMMAR_SENTENCES, (p) => existsSync(promptFile(p)));
  for (const prompt of sentences) {
    const clip = buildUtterance([load(prompt)], []);
    const said = transcripts.get(prompt) ?? prompt;
    cases.push({ id: `oog-${prompt}-short-answers`, kind: 'out-of-grammar', grammarName: 'short-answers', grammar: SHORT_ANSWERS, said, expect: null, clip });
    cases.push({ id: `oog-${prompt}-departments`, kind: 'out-of-grammar', grammarName: 'departments', grammar: DEPARTMENTS, said, expect: null, clip });
  }
  return cases;
}

function packageVersion(): string {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Version}', HUMAN_VOICE_PACKAGE]);
  return query.status === 0 ? ` ${query.stdout.toString().trim()}` : '';
}

function ratio(n: number, of: number): number {
  return of === 0 ? NaN : Number((n / of).toFixed(4));
}

/** Runs every case at the recognizer's default confidence threshold; a match on an out-of-grammar case is a false accept. */
export function evaluateHumanVoice(recognizer: SpeechRecognizer, cases: HumanCase[] = buildHumanVoiceSet()): HumanVoiceSummary {
  /** Per set: cases, and hits (correct answers in grammar, false accepts out of it). */
  const tally: Record<HumanCaseKind, { cases: number; hits: number }> = {
    'digit-string': { cases: 0, hits: 0 }, date: { cases: 0, hits: 0 }, amount: { cases: 0, hits: 0 },
    'short-answer': { cases: 0, hits: 0 }, 'out-of-grammar': { cases: 0, hits: 0 },
  };
  const errors: Record<HumanCaseKind, HumanVoiceError[]> = { 'digit-string': [], date: [], amount: [], 'short-answer': [], 'out-of-grammar': [] };
  for (const c of cases) {
    const { result } = recognizeClip(recognizer, c.grammar, c.clip, { confidenceThreshold: DEFAULT_CONFIDENCE_THRESHOLD });
    const matched = result?.status === 'match';
    const correct = c.expect !== null && matched && result?.value === c.expect;
    const falseAccept = c.expect === null && matched;
    tally[c.kind].cases++;
    if (correct || falseAccept) tally[c.kind].hits++;
    if (c.expect !== null ? !correct : falseAccept) {
      errors[c.kind].push({
        kind: c.kind, grammar: c.grammarName, said: c.said, expected: c.expect,
        status: result?.status ?? 'none', heard: result?.text ?? '',
        value: result?.value ?? null, confidence: Number((result?.confidence ?? 0).toFixed(3)),
      });
    }
  }
  const interleaved: HumanVoiceError[] = [];
  for (let i = 0; interleaved.length < 20 && Object.values(errors).some((e) => e.length > i); i++) {
    for (const e of Object.values(errors)) if (i < e.length && interleaved.length < 20) interleaved.push(e[i]);
  }
  const { 'digit-string': d, date, amount, 'short-answer': a, 'out-of-grammar': o } = tally;
  return {
    source: `Allison Smith's recorded Asterisk prompts, Debian ${HUMAN_VOICE_PACKAGE}${packageVersion()} (${SOUNDS_DIR}), `
      + `at their recorded level, silence-trimmed, ${LEAD_MS} ms lead and ${TAIL_MS} ms tail, G.711 µ-law; `
      + 'digit strings, dates (month + ordinal day; today, tomorrow, yesterday) and whole-dollar amounts spliced from '
      + 'digits/*.wav with 40–200 ms pauses',
    digitStrings: { cases: d.cases, correct: d.hits, accuracy: ratio(d.hits, d.cases) },
    dates: { cases: date.cases, correct: date.hits, accuracy: ratio(date.hits, date.cases) },
    amounts: { cases: amount.cases, correct: amount.hits, accuracy: ratio(amount.hits, amount.cases) },
    shortAnswers: { cases: a.cases, correct: a.hits, accuracy: ratio(a.hits, a.cases) },
    outOfGrammar: { cases: o.cases, falseAccepts: o.hits, rate: ratio(o.hits, o.cases) },
    errors: interleaved,
  };
}

export function formatHumanVoice(summary: HumanVoiceSummary): string {
  const { digitStrings: d, dates, amounts, shortAnswers: a, outOfGrammar: o } = summary;
  return `human voice (Allison, ${HUMAN_VOICE_PACKAGE}): digit strings ${d.correct}/${d.cases}, dates ${dates.correct}/${dates.cases}, `
    + `amounts ${amounts.correct}/${amounts.cases}, short answers ${a.correct}/${a.cases}, false accepts ${o.falseAccepts}/${o.cases}`;
}
