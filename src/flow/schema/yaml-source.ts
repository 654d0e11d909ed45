import { LineCounter, Scalar, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { SourcePosition } from './flow-types.js';
import { pathKey } from './positions.js';

/** Where one value of the file is: its key (for mapping entries) and the value's text span. */
export interface SourceEntry {
  key?: SourcePosition;
  value: SourcePosition;
  /** Offsets of the value's text in the file ([start, end)); equal when the value is empty. */
  start: number;
  end: number;
  /** Offset of a string's first character when the string is written verbatim on one line. */
  text?: number;
}

export interface SyntaxProblem {
  at: SourcePosition;
  message: string;
}

/**
 * A parsed flow file: the plain value plus an index from every path to where it is, so that any problem found
 * in the value (by zod or by the semantic checks) can be reported at file:line:column.
 */
export class FlowSource {
  readonly value: unknown;
  readonly problems: SyntaxProblem[];
  private readonly entries = new Map<string, SourceEntry>();
  private readonly lines = new LineCounter();

  constructor(readonly text: string) {
    // YAML 1.2 is a superset of JSON, so one parser (with positions) serves .yaml, .yml and .json alike.
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.problems = doc.errors.map((e) => ({ at: this.at(e.pos[0]), message: firstLine(e.message) }));
    this.value = this.problems.length === 0 ? doc.toJS({ maxAliasCount: 1000 }) : undefined;
    if (this.problems.length === 0) this.index(doc.contents as YamlNode | null, [], undefined);
  }

  /** 1-based line and column of an offset in the text. */
  at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, column: col };
  }

  /** The entry at exactly this path, if the file has it. */
  entry(path: readonly (string | number)[]): SourceEntry | undefined {
    return this.entries.get(pathKey(path));
  }

  /** Position of the value at `path`, or of its nearest enclosing value present in the file. */
  valueAt(path: readonly (string | number)[]): SourcePosition {
    for (let n = path.length; n >= 0; n--) {
      const e = this.entries.get(pathKey(path.slice(0, n)));
      if (e) return e.value;
    }
    return { line: 1, column: 1 };
  }

  /** Position of the key of the mapping entry at `path` (or its value, or the nearest enclosing one). */
  keyAt(path: readonly (string | number)[]): SourcePosition {
    for (let n = path.length; n >= 0; n--) {
      const e = this.entries.get(pathKey(path.slice(0, n)));
      if (e) return e.key ?? e.value;
    }
    return { line: 1, column: 1 };
  }

  /**
   * Position of character `offset` of the string value at `path`: exact when the string appears verbatim in the
   * source (plain and single-line quoted scalars), else the value's start.
   */
  insideValue(path: readonly (string | number)[], value: string, offset: number): SourcePosition {
    const e = this.entry(path);
    if (!e) return this.valueAt(path);
    const i = this.text.slice(e.start, e.end).indexOf(value);
    return i < 0 ? e.value : this.at(e.start + i + offset);
  }

  /** Strings whose characters map one to one onto source columns: path key → position of the first character. */
  textPositions(): Record<string, SourcePosition> {
    const out: Record<string, SourcePosition> = {};
    for (const [k, e] of this.entries) if (e.text !== undefined) out[k] = this.at(e.text);
    return out;
  }

  /** Every path the file has, as `pathKey` strings, with the value's position. */
  positions(): Record<string, SourcePosition> {
    const out: Record<string, SourcePosition> = {};
    for (const [k, e] of this.entries) out[k] = e.value;
    return out;
  }

  private textStart(node: YamlNode | null, start: number, end: number): number | undefined {
    if (!isScalar(node) || typeof node.value !== 'string') return undefined;
    const raw = this.text.slice(start, end);
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    if (!quoted && node.type !== Scalar.PLAIN) return undefined;
    const inner = quoted ? raw.slice(1, -1) : raw;
    return inner === node.value && !inner.includes('\n') ? start + (quoted ? 1 : 0) : undefined;
  }

  private index(node: YamlNode | null, path: (string | number)[], key: SourcePosition | undefined): void {
    const range = node?.range;
    const start = range ? range[0] : 0;
    const end = range ? range[1] : 0;
    const value = range ? this.at(start) : key ?? { line: 1, column: 1 };
    this.entries.set(pathKey(path), { key, value, start, end, text: range ? this.textStart(node, start, end) : undefined });
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const keyNode = pair.key;
        const keyPos = keyNode.range ? this.at(keyNode.range[0]) : value;
        const name = String(keyNode.value);
        // `1:` and `"1":` are different YAML keys but the same key once loaded; the second would silently win.
        if (seen.has(name)) this.problems.push({ at: keyPos, message: `Map keys must be unique ('${name}' appears twice)` });
        seen.add(name);
        const child = pair.value as YamlNode | null;
        const childPath = [...path, name];
        if (child) this.index(child, childPath, keyPos);
        else {
          const at = keyNode.range ? keyNode.range[1] : start;
          this.entries.set(pathKey(childPath), { key: keyPos, value: keyPos, start: at, end: at });
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => this.index(item as YamlNode | null, [...path, i], item ? undefined : value));
    }
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}
