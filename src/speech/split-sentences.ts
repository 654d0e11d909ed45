/**
 * Splits prompt text into pieces that can be synthesized and played one after another, so an uncached prompt starts
 * playing after its first sentence instead of after all of it. Terminal punctuation stays with its sentence because
 * Flite uses it for intonation.
 */

export interface SplitSentencesOptions {
  /** Longer sentences are cut at a clause boundary (, ; :) or, failing that, a space. */
  maxChars?: number;
}

/** Words that end in "." yet are normally followed by a capitalised name: "Dr. Smith", "St. Louis". */
const TITLE_ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'sr', 'jr', 'mt', 'ave', 'blvd', 'rd', 'vs', 'no']);

const SENTENCE_END = /[.!?\u2026]+["'\u2019\u201D)\]]*(?=\s|$)/g;

function isSpeakable(piece: string): boolean {
  return /[\p{L}\p{N}]/u.test(piece);
}

/** Whether the punctuation ending at `end` closes a sentence given what precedes and follows it. */
function endsSentence(text: string, start: number, end: number): boolean {
  const next = text.slice(end).trimStart();
  if (next === '') return true;
  // "a.m. tomorrow", "e.g. this": a lowercase continuation means the sentence goes on.
  if (/^\p{Ll}/u.test(next)) return false;
  if (text[start] !== '.' || end - start > 1) return true;
  const word = /([\p{L}.]+)$/u.exec(text.slice(0, start))?.[1] ?? '';
  if (TITLE_ABBREVIATIONS.has(word.toLowerCase())) {
    // "No. 5" is an abbreviation, "say no. Then" ends a sentence.
    return word === 'no' || (word === 'No' && !/^\p{N}/u.test(next));
  }
  return true;
}

function splitLong(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    let cut = Math.max(window.lastIndexOf(', '), window.lastIndexOf('; '), window.lastIndexOf(': ')) + 1;
    if (cut <= 0) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = maxChars;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  pieces.push(rest);
  return pieces;
}

export function splitSentences(text: string, options: SplitSentencesOptions = {}): string[] {
  const maxChars = options.maxChars ?? 300;
  const sentences: string[] = [];
  // A blank line always ends a sentence; single line breaks are just wrapping.
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim();
    let start = 0;
    for (const match of flat.matchAll(SENTENCE_END)) {
      const end = match.index + match[0].length;
      if (!endsSentence(flat, match.index, end)) continue;
      sentences.push(flat.slice(start, end).trim());
      start = end;
    }
    sentences.push(flat.slice(start).trim());
  }
  return sentences.filter(isSpeakable).flatMap((s) => splitLong(s, maxChars));
}
