import { FlowExpressionError } from './flow-expression-error.js';

export type TokenKind = 'number' | 'string' | 'identifier' | 'keyword' | 'operator' | 'end';

export interface Token {
  kind: TokenKind;
  /** The number's value, the string's unescaped text, the name, keyword or operator. */
  text: string;
  offset: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);
/** Longest first, so `<=` is not read as `<` then `=`. */
const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '(', ')', '[', ']', ',', '.'];
/** Spellings from other languages, refused with the word to use instead. */
const FOREIGN: Record<string, string> = { '&&': "use 'and'", '||': "use 'or'", '!': "use 'not'", '=': "use '==' to compare" };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" };

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (reason: string, at: number): never => {
    throw new FlowExpressionError(reason, source, at);
  };
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      while (i < source.length && isDigit(source[i])) i++;
      if (source[i] === '.' && isDigit(source[i + 1] ?? '')) {
        i++;
        while (i < source.length && isDigit(source[i])) i++;
      }
      if (isIdentStart(source[i] ?? '')) fail(`Unexpected ${JSON.stringify(source[i])} after a number`, i);
      tokens.push({ kind: 'number', text: source.slice(start, i), offset: start });
      continue;
    }
    if (c === '"' || c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) fail('Unterminated string', start);
        const d = source[i];
        if (d === c) break;
        if (d === '\\') {
          const e = ESCAPES[source[i + 1] ?? ''];
          if (e === undefined) fail(`Unknown escape \\${source[i + 1] ?? ''}`, i);
          text += e;
          i += 2;
          continue;
        }
        text += d;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text, offset: start });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < source.length && isIdentPart(source[i])) i++;
      const word = source.slice(start, i);
      tokens.push({ kind: KEYWORDS.has(word) ? 'keyword' : 'identifier', text: word, offset: start });
      continue;
    }
    const foreign = Object.keys(FOREIGN).find((f) => source.startsWith(f, i) && !OPERATORS.some((o) => o.length > f.length && source.startsWith(o, i)));
    if (foreign) fail(`Unknown operator '${foreign}' (${FOREIGN[foreign]})`, i);
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) fail(`Unexpected character ${JSON.stringify(c)}`, i);
    tokens.push({ kind: 'operator', text: op as string, offset: start });
    i += (op as string).length;
  }
  tokens.push({ kind: 'end', text: '', offset: source.length });
  return tokens;
}
