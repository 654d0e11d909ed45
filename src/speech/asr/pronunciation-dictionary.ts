/**
 * Word → phone strings, read once per process from the model's CMU-format dictionary (`word PH PH …`, alternates
 * written `word(2)`). Decoders start with an empty dictionary and get only the words of the grammars they decode
 * (see soundswallower-model.ts): the full 134 000-word dictionary would cost each decoder ~110 ms and ~20 MB.
 */
import { SwitchboardError } from '../../common/index.js';

const ALTERNATE = /^(.+)\((\d+)\)$/;

export class PronunciationDictionary {
  private readonly entries = new Map<string, string[]>();

  /** Parses CMU dictionary text; `;;` lines are comments. */
  static parse(text: string, source = 'dictionary'): PronunciationDictionary {
    const dict = new PronunciationDictionary();
    let lineNo = 0;
    for (const line of text.split('\n')) {
      lineNo++;
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith(';;')) continue;
      const space = trimmed.search(/\s/);
      if (space <= 0) {
        throw new SwitchboardError('SWB_ERR_ASR_MODEL', `${source}:${lineNo}: expected "word PHONE PHONE…", got ${JSON.stringify(trimmed.slice(0, 40))}`);
      }
      const head = trimmed.slice(0, space);
      const phones = trimmed.slice(space + 1).trim().replace(/\s+/g, ' ');
      const alt = ALTERNATE.exec(head);
      dict.add(alt ? alt[1] : head, phones);
    }
    return dict;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds a pronunciation (ArpaBet phones separated by spaces) after any the word already has. */
  add(word: string, phones: string): void {
    const key = word.toLowerCase();
    const list = this.entries.get(key);
    if (!list) this.entries.set(key, [phones]);
    else if (!list.includes(phones)) list.push(phones);
  }

  /** All pronunciations of a word, the dictionary's preferred one first; empty when the word is unknown. */
  lookup(word: string): readonly string[] {
    return this.entries.get(word.toLowerCase()) ?? [];
  }

  /** Every phone some pronunciation uses, sorted. */
  phones(): string[] {
    const set = new Set<string>();
    for (const prons of this.entries.values()) for (const p of prons) for (const ph of p.split(' ')) set.add(ph);
    return [...set].sort();
  }

  has(word: string): boolean {
    return this.entries.has(word.toLowerCase());
  }
}
