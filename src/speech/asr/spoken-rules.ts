/**
 * JSGF rules for spoken numbers, dates and amounts, built from the word lists the spoken/ parsers read, so the
 * decoder can only hear what interpretation understands. Numbers are nested rules, each small and referenced
 * where it is needed, instead of one alternative per value: the FSG SoundSwallower builds from them stays a few
 * hundred arcs, where listing 1..999999 would be a million.
 *
 *   unit  = one | … | nine            teen = eleven | … | nineteen        tens = twenty | … | ninety
 *   u99   = unit | ten | teen | tens [unit]                                                  1..99
 *   u999  = (unit | a) hundred [[and] u99] | u99                                             1..999
 *   number = (u999 | a) thousand [[and] u999] | u999 | (teen | tens unit) hundred [[and] u99]  1..999999, "twelve hundred"
 *   amount = (number major | a major1) [[and] u99 [minor]] | number [cents | point digit [digit]] | (u99 minor | a minor1)
 *   date   = [the] ordinal [[of] month [year]] | month ([the] ordinal | day) [year]
 *          | today | tomorrow | yesterday | [the] day after tomorrow | [this | next | last] weekday
 *   year   = (nineteen | twenty) (ten | teen | tens [unit] | oh unit | hundred) | two thousand [[and] u99]
 *
 * Rule names carry a prefix per rule set (`w_` for a whole answer, `s0_` for the first slot), and every word
 * becomes a token through the builder's callback, which marks what the word is for.
 */
import {
  MAJOR_CURRENCY_WORDS, MINOR_CURRENCY_WORDS, MONTH_WORDS, ORDINAL_TEEN_WORDS, ORDINAL_TENS_WORDS, ORDINAL_UNIT_WORDS,
  SINGULAR_CURRENCY_WORDS, SPOKEN_DIGITS, TEEN_WORDS, TENS_WORDS, UNIT_WORDS, WEEKDAY_WORDS, parseSpokenAmount,
  parseSpokenDate,
} from '../spoken/index.js';
import { DIGIT_WORDS, type SlotGrammar } from './recognition-grammar.js';

/** The value of a slot's (or a whole digits, date or amount answer's) words, or null when they do not make one. */
export function slotValue(slot: SlotGrammar, words: readonly string[]): string | null {
  switch (slot.kind) {
    case 'digits': {
      const digits = words.map((w) => (Object.hasOwn(DIGIT_WORDS, w) ? DIGIT_WORDS[w] : '?')).join('');
      return !digits.includes('?') && digits.length >= slot.minLength && digits.length <= slot.maxLength ? digits : null;
    }
    case 'date':
      return parseSpokenDate(words);
    case 'amount': {
      const amount = parseSpokenAmount(words);
      return amount !== null && (slot.maxAmount === undefined || Number(amount) <= slot.maxAmount) ? amount : null;
    }
  }
}

export class SpokenRules {
  private readonly written: string[] = [];
  private readonly made = new Set<string>();

  constructor(private readonly prefix: string, private readonly token: (word: string) => string) {}

  /** The rule definitions made so far, one per line. */
  get lines(): readonly string[] {
    return this.written;
  }

  /** A digit string of minLength..maxLength digits ("oh" is zero). */
  digits(minLength: number, maxLength: number): string {
    return this.rule(`digits${minLength}_${maxLength}`, () => {
      const digit = this.rule('digit', () => this.words(Object.keys(DIGIT_WORDS)));
      let optional = '';
      for (let i = minLength; i < maxLength; i++) optional = optional === '' ? `[${digit}]` : `[${digit} ${optional}]`;
      return [...Array.from({ length: minLength }, () => digit), optional].filter((p) => p !== '').join(' ');
    });
  }

  /** Amounts up to maxAmount: the thousands and hundreds are left out when they cannot fit. */
  amount(maxAmount = Infinity): string {
    return this.rule('amount', () => {
      const number = maxAmount < 100 ? this.u99() : maxAmount < 1000 ? this.u999() : this.number();
      const major = this.rule('major', () => this.words(MAJOR_CURRENCY_WORDS));
      const minor = this.rule('minor', () => this.words(MINOR_CURRENCY_WORDS));
      const digit = this.rule('decimal', () => this.words(Object.keys(SPOKEN_DIGITS)));
      const cents = this.rule('cents', () => `${this.word('ten')} | ${this.teen()} | ${this.tens()} [${this.unit()}]`);
      const a = this.word('a');
      const one = (list: readonly string[]): string => this.words(list.filter((w) => SINGULAR_CURRENCY_WORDS.includes(w)));
      return [
        `(${number} ${major} | ${a} (${one(MAJOR_CURRENCY_WORDS)})) [[${this.word('and')}] ${this.u99()} [${minor}]]`,
        `${number} [${cents} | ${this.word('point')} ${digit} [${digit}]]`,
        `${this.u99()} ${minor} | ${a} (${one(MINOR_CURRENCY_WORDS)})`,
      ].join(' | ');
    });
  }

  date(): string {
    return this.rule('date', () => {
      const month = this.rule('month', () => this.words(MONTH_WORDS));
      const weekday = this.rule('weekday', () => this.words(WEEKDAY_WORDS));
      const ordinal = this.rule('ordinal', () => {
        const unit = this.rule('ordunit', () => this.words(ORDINAL_UNIT_WORDS));
        const [twentieth, thirtieth] = ORDINAL_TENS_WORDS;
        return `${unit} | ${this.words(ORDINAL_TEEN_WORDS)} | ${this.word(twentieth)} | ${this.word('twenty')} ${unit} `
          + `| ${this.word(thirtieth)} | ${this.word('thirty')} ${this.word('first')}`;
      });
      const day = this.rule('day', () => `${this.unit()} | ${this.word('ten')} | ${this.teen()} | ${this.word('twenty')} [${this.unit()}] `
        + `| ${this.word('thirty')} [${this.word('one')}]`);
      const year = this.rule('year', () => `(${this.word('nineteen')} | ${this.word('twenty')}) (${this.word('ten')} | ${this.teen()} `
        + `| ${this.tens()} [${this.unit()}] | ${this.word('oh')} ${this.unit()} | ${this.word('hundred')}) `
        + `| ${this.word('two')} ${this.word('thousand')} [[${this.word('and')}] ${this.u99()}]`);
      const the = this.word('the');
      return [
        `[${the}] ${ordinal} [[${this.word('of')}] ${month} [${year}]]`,
        `${month} ([${the}] ${ordinal} | ${day}) [${year}]`,
        this.words(['today', 'tomorrow', 'yesterday']),
        `[${the}] ${this.word('day')} ${this.word('after')} ${this.word('tomorrow')}`,
        `[${this.words(['this', 'next', 'last'])}] ${weekday}`,
      ].join(' | ');
    });
  }

  private unit(): string {
    return this.rule('unit', () => this.words(UNIT_WORDS));
  }

  private teen(): string {
    return this.rule('teen', () => this.words(TEEN_WORDS));
  }

  private tens(): string {
    return this.rule('tens', () => this.words(TENS_WORDS));
  }

  private u99(): string {
    return this.rule('u99', () => `${this.unit()} | ${this.word('ten')} | ${this.teen()} | ${this.tens()} [${this.unit()}]`);
  }

  private u999(): string {
    return this.rule('u999', () => `(${this.unit()} | ${this.word('a')}) ${this.word('hundred')} [[${this.word('and')}] ${this.u99()}] | ${this.u99()}`);
  }

  private number(): string {
    return this.rule('number', () => {
      const and = this.word('and');
      return `(${this.u999()} | ${this.word('a')}) ${this.word('thousand')} [[${and}] ${this.u999()}] | ${this.u999()} `
        + `| (${this.teen()} | ${this.tens()} ${this.unit()}) ${this.word('hundred')} [[${and}] ${this.u99()}]`;
    });
  }

  private word(w: string): string {
    return this.token(w);
  }

  private words(list: readonly string[]): string {
    return list.map((w) => this.token(w)).join(' | ');
  }

  /** A reference to the named rule, defining it on first use. */
  private rule(name: string, body: () => string): string {
    const ref = `<${this.prefix}${name}>`;
    if (!this.made.has(name)) {
      this.made.add(name);
      this.written.push(`${ref} = ${body()};`);
    }
    return ref;
  }
}
