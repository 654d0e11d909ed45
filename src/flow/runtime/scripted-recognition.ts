import {
  DIGIT_WORDS, grammarOptions, phraseWords, type RecognitionGrammar, type RecognitionResult,
} from '../../speech/index.js';

/**
 * Speech for simulations and tests, without audio: what a recognizer would return for words said against a
 * grammar. A scripted caller says `say:<words>` (confidence 1) or `say:<words>@0.4`, `silence` (no input) or
 * `noise` (heard, but nothing in the grammar).
 */

export type ScriptedSpeech = { kind: 'say'; text: string; confidence: number } | { kind: 'silence' } | { kind: 'noise' };

const SAY = /^say:(.*?)(?:@(0(?:\.\d+)?|1(?:\.0+)?))?$/;

/** A speech token, or undefined when `token` is not one. `say:` needs words. */
export function parseSpeechToken(token: string): ScriptedSpeech | undefined {
  if (token === 'silence') return { kind: 'silence' };
  if (token === 'noise') return { kind: 'noise' };
  const m = SAY.exec(token);
  if (!m || m[1].trim() === '') return undefined;
  return { kind: 'say', text: m[1].trim(), confidence: m[2] === undefined ? 1 : Number(m[2]) };
}

function result(status: RecognitionResult['status'], value: string | null, text: string, confidence: number, heard: string | null): RecognitionResult {
  return {
    status, value, text, confidence,
    nBest: status === 'no-input' ? [] : [{ value: heard, text, confidence }],
    speechStartMs: status === 'no-input' ? null : 0, speechEndMs: status === 'no-input' ? null : 0, decidedAtMs: 0, truncated: false,
  };
}

/** The value `text` has in `grammar` when said as a whole (case and punctuation aside), else null. */
export function grammarValue(grammar: RecognitionGrammar, text: string): string | null {
  const words = phraseWords(text);
  const said = words.join(' ');
  if (grammar.kind === 'digits') {
    if (words.length < grammar.minLength || words.length > grammar.maxLength) return null;
    const digits = words.map((w) => (Object.hasOwn(DIGIT_WORDS, w) ? DIGIT_WORDS[w] : undefined));
    return digits.every((d) => d !== undefined) ? digits.join('') : null;
  }
  for (const option of grammarOptions(grammar)) {
    if ((option.phrases ?? [option.value]).some((p) => phraseWords(p).join(' ') === said)) return option.value;
  }
  return null;
}

/** The recognition result of scripted speech; below `threshold` a fitting answer is a no-match, as with an engine. */
export function scriptedRecognition(grammar: RecognitionGrammar, speech: ScriptedSpeech, threshold = 0): RecognitionResult {
  if (speech.kind === 'silence') return result('no-input', null, '', 0, null);
  if (speech.kind === 'noise') return result('no-match', null, '', 0, null);
  const value = grammarValue(grammar, speech.text);
  if (value === null || speech.confidence < threshold) return result('no-match', null, speech.text, speech.confidence, value);
  return result('match', value, speech.text, speech.confidence, value);
}
