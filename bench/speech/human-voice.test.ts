import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../dtmf/dtmf-battery.js';
import { DEPARTMENTS } from './department-corpus.js';
import {
  SHORT_ANSWERS, buildUtterance, parseTranscripts, planDigitStrings, selectOutOfGrammar, transcriptWords, trimSilence,
} from './human-voice.js';

describe('parseTranscripts', () => {
  it('reads name: transcript lines and skips comments and blank lines', () => {
    const t = parseTranscripts('; Core Asterisk Sounds in English\n\nactivated: Activated.\r\ndigits/oh: oh\nbeep: [this is a simple beep tone]\n');
    assert.deepEqual([...t], [['activated', 'Activated.'], ['digits/oh', 'oh'], ['beep', '[this is a simple beep tone]']]);
  });

  it('keeps colons inside the transcript', () => {
    assert.equal(parseTranscripts('vm-login: Comedian Mail:  Mailbox?').get('vm-login'), 'Comedian Mail:  Mailbox?');
  });

  it('rejects a line that is not name: transcript, naming its line number', () => {
    assert.throws(() => parseTranscripts('; c\nhello: Hello.\nno colon here'), /line 3/);
    assert.throws(() => parseTranscripts('empty:'), /line 1/);
  });
});

describe('transcriptWords', () => {
  it('splits hyphenated words and drops punctuation', () => {
    assert.deepEqual(transcriptWords('Speed-dial.'), ['speed', 'dial']);
    assert.deepEqual(transcriptWords('Call-Forward on No Answer.'), ['call', 'forward', 'on', 'no', 'answer']);
    assert.deepEqual(transcriptWords("I'm sorry."), ["i'm", 'sorry']);
  });
});

describe('trimSilence', () => {
  it('keeps the voiced part plus a 60 ms margin each side', () => {
    const pcm = new Int16Array(8000);
    pcm.fill(5, 0, 1000);
    for (let i = 1000; i < 3000; i++) pcm[i] = i % 2 ? 8000 : -8000;
    const trimmed = trimSilence(pcm);
    assert.equal(trimmed.length, 2000 + 2 * 480);
    assert.equal(trimmed[480], -8000);
    assert.equal(trimmed[0], 5);
  });

  it('does not reach past the ends of the recording', () => {
    const pcm = Int16Array.from([3000, 0, 0, 0, -3000, 0]);
    assert.equal(trimSilence(pcm).length, pcm.length);
  });

  it('treats samples under 0.3 % of the peak as silence, and keeps a weak fricative above it', () => {
    const pcm = new Int16Array(4000);
    pcm[500] = 60;
    pcm[1500] = 80;
    pcm[2000] = 20000;
    const trimmed = trimSilence(pcm, 0);
    assert.equal(trimmed.length, 501);
    assert.equal(trimmed[0], 80);
    assert.equal(trimmed[500], 20000);
  });

  it('returns nothing for a silent recording', () => {
    assert.equal(trimSilence(new Int16Array(800).fill(30)).length, 0);
  });
});

describe('buildUtterance', () => {
  it('puts lead, recordings with their pauses, then tail, through G.711 µ-law', () => {
    const a = new Int16Array(80).fill(1000);
    const b = new Int16Array(40).fill(-2000);
    const clip = buildUtterance([a, b], [10], 20, 50);
    assert.equal(clip.pcm.length, 160 + 80 + 80 + 40 + 400);
    assert.equal(clip.speechStart, 160);
    assert.equal(clip.speechEnd, 160 + 80 + 80 + 40);
    assert.equal(clip.pcm[159], 0);
    assert.ok(Math.abs(clip.pcm[160] - 1000) < 40, `µ-law keeps 1000 within its step, got ${clip.pcm[160]}`);
    assert.equal(clip.pcm[160 + 80 + 40], 0);
    assert.ok(Math.abs(clip.pcm[160 + 80 + 80] + 2000) < 80, `got ${clip.pcm[320]}`);
    assert.equal(clip.pcm[clip.speechEnd], 0);
  });
});

describe('planDigitStrings', () => {
  const plans = planDigitStrings(200, seededRandom(7));

  it('makes 4 to 8 digits, one recording per digit and a 40–200 ms pause between', () => {
    for (const p of plans) {
      assert.match(p.digits, /^\d{4,8}$/);
      assert.equal(p.prompts.length, p.digits.length);
      assert.equal(p.pausesMs.length, p.digits.length - 1);
      for (const ms of p.pausesMs) assert.ok(ms >= 40 && ms <= 200, `pause ${ms}`);
      p.prompts.forEach((prompt, i) => {
        assert.ok(prompt === `digits/${p.digits[i]}` || (p.digits[i] === '0' && prompt === 'digits/oh'), `${prompt} for ${p.digits[i]}`);
      });
    }
  });

  it('says zero both ways, spans every length and repeats with the seed', () => {
    const prompts = plans.flatMap((p) => p.prompts);
    assert.ok(prompts.includes('digits/oh') && prompts.includes('digits/0'));
    assert.deepEqual(new Set(plans.map((p) => p.digits.length)), new Set([4, 5, 6, 7, 8]));
    assert.deepEqual(planDigitStrings(200, seededRandom(7)), plans);
  });
});

describe('selectOutOfGrammar', () => {
  const transcripts = parseTranscripts([
    'all-circuits-busy-now: All circuits are busy now.',
    'check-number-dial-again: Please check the number and dial again.',
    'invalid: I am sorry, that is not a valid extension.  Please try again.',
    'agent-user: Agent login.  Please enter your agent number followed by the pound key.',
    'demo-thanks: Goodbye.  Thank you for trying out the Asterisk Open Source PBX.',
    'beep: [this is a simple beep tone here]',
    'spy-iax2: IAX (note: does not say "2")',
    'followme/pls-hold-while-try: please hold while I try to locate the person',
    'calling: Calling.',
    'pbx-invalid: I am sorry, that is not a valid extension.  Please try again.',
    'cannot-complete-as-dialed: Your call cannot be completed as dialed.',
    'conf-full: That conference is full.',
    'conf-full-again: That conference is full!',
    'missing-file: This prompt has no recording here.',
  ].join('\n'));
  const exists = (name: string): boolean => name !== 'missing-file';

  it('keeps sentences free of every grammar phrase, skipping tones, notes, subfolders, duplicates and missing files', () => {
    assert.deepEqual(
      selectOutOfGrammar(transcripts, [SHORT_ANSWERS, DEPARTMENTS], 4, exists),
      ['all-circuits-busy-now', 'cannot-complete-as-dialed', 'check-number-dial-again', 'conf-full'],
    );
  });

  it('spreads a smaller pick over the eligible list and fails when too few qualify', () => {
    assert.deepEqual(selectOutOfGrammar(transcripts, [SHORT_ANSWERS, DEPARTMENTS], 2, exists), ['all-circuits-busy-now', 'check-number-dial-again']);
    assert.throws(() => selectOutOfGrammar(transcripts, [SHORT_ANSWERS, DEPARTMENTS], 5, exists), /only 4/);
  });
});
