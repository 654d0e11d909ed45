/**
 * SSML-like markup in prompt text (docs/flows.md, "Prompts") → plain text Flite reads well, plus pauses:
 *
 *   "Hello.<break 500ms/>You owe <say-as currency GBP>12.50</say-as>."
 *     → [{ text: 'Hello.' }, { pauseMs: 500 }, { text: 'You owe twelve pounds and fifty pence.' }]
 *
 * Tags: `<break/>` (500 ms), `<break 2s/>`, `<break time="750ms"/>`; `<say-as KIND [CURRENCY]>…</say-as>` with
 * KIND one of digits, number, currency, date, time, phone (SSML's `interpret-as="…"`/`currency="…"` also work).
 * A `<` not followed by a letter or `/` is ordinary text. Tags do not nest.
 */
import { SwitchboardError } from '../common/index.js';
import { SAY_AS_KINDS, sayAs, type SayAsKind } from './say-as-formats.js';

export type SpeechSegment = { text: string } | { pauseMs: number };

export interface SayAsOptions {
  /** ISO 4217 code for `<say-as currency>` without its own (default USD). */
  currency?: string;
  /**
   * Read content a say-as cannot interpret as written instead of failing. For run time, where the content came
   * from a variable; markup errors are the author's and fail either way.
   */
  lenient?: boolean;
  /** Longest allowed `<break>` (default 60 s). */
  maxPauseMs?: number;
}

/** Malformed markup or unreadable say-as content; `offset` is where in the text. */
export class SayAsError extends SwitchboardError {
  constructor(readonly reason: string, readonly offset: number) {
    super('SWB_ERR_SAY_AS', `${reason} at offset ${offset}`);
    this.name = 'SayAsError';
  }
}

const DEFAULT_PAUSE_MS = 500;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;
const CLOSE = '</say-as>';

/** Makes a value safe to insert into prompt text: it can no longer open or close a tag. */
export function escapeSpeechMarkup(text: string): string {
  return text.replace(/[<>]/g, ' ');
}

function parseDuration(spec: string, at: number, maxPauseMs: number): number {
  const m = /^(?:time\s*=\s*(["']?))?(\d+(?:\.\d+)?)\s*(ms|s|m)\1$/.exec(spec);
  if (!m) throw new SayAsError(`Bad break ${JSON.stringify(spec)}: expected e.g. <break 500ms/> or <break 2s/>`, at);
  const ms = Math.round(Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS]);
  if (ms > maxPauseMs) throw new SayAsError(`Break of ${ms} ms is longer than ${maxPauseMs} ms`, at);
  return ms;
}

function parseSayAs(attributes: string, at: number): { kind: SayAsKind; currency?: string } {
  let kind: string | undefined;
  let currency: string | undefined;
  for (const word of attributes.split(/\s+/).filter(Boolean)) {
    const kv = /^([a-z-]+)\s*=\s*(["']?)([^"']*)\2$/i.exec(word);
    if (kv && kv[1] === 'interpret-as') kind = kv[3];
    else if (kv && kv[1] === 'currency') currency = kv[3];
    else if (kv) throw new SayAsError(`Unknown say-as attribute ${kv[1]}`, at);
    else if (kind === undefined) kind = word;
    else if (currency === undefined && /^[A-Za-z]{3}$/.test(word)) currency = word.toUpperCase();
    else throw new SayAsError(`Unexpected ${JSON.stringify(word)} in <say-as>`, at);
  }
  if (!kind || !(SAY_AS_KINDS as readonly string[]).includes(kind)) {
    throw new SayAsError(`<say-as> needs one of ${SAY_AS_KINDS.join(', ')}${kind ? `, not ${JSON.stringify(kind)}` : ''}`, at);
  }
  if (currency !== undefined && kind !== 'currency') throw new SayAsError('Only <say-as currency> takes a currency', at);
  return currency === undefined ? { kind: kind as SayAsKind } : { kind: kind as SayAsKind, currency };
}

class SegmentBuilder {
  readonly segments: SpeechSegment[] = [];
  private text = '';
  private afterSayAs = false;

  append(text: string): void {
    // A say-as ending in "p.m." followed by the sentence's own full stop must not read "p.m..".
    this.text += this.afterSayAs && text.startsWith('.') && this.text.endsWith('.') ? text.slice(1) : text;
    this.afterSayAs = false;
  }

  appendSayAs(words: string): void {
    this.text += ` ${words}`;
    this.afterSayAs = true;
  }

  pause(ms: number): void {
    this.flush();
    this.afterSayAs = false;
    const last = this.segments[this.segments.length - 1];
    if (last && 'pauseMs' in last) last.pauseMs += ms;
    else if (ms > 0) this.segments.push({ pauseMs: ms });
  }

  flush(): SpeechSegment[] {
    const text = this.text.replace(/\s+/g, ' ').trim();
    this.text = '';
    if (text) this.segments.push({ text });
    return this.segments;
  }
}

/** Turns prompt text with markup into speakable text and pauses. Throws SayAsError. */
export function normalizeSpeech(text: string, options: SayAsOptions = {}): SpeechSegment[] {
  const maxPauseMs = options.maxPauseMs ?? 60_000;
  const out = new SegmentBuilder();
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('<', i);
    if (open < 0 || !/[A-Za-z/]/.test(text[open + 1] ?? '')) {
      const upTo = open < 0 ? text.length : open + 1;
      out.append(text.slice(i, upTo));
      i = upTo;
      continue;
    }
    out.append(text.slice(i, open));
    const end = text.indexOf('>', open);
    if (end < 0) throw new SayAsError('Unclosed tag', open);
    const tag = text.slice(open + 1, end).trim();
    const name = /^\/?[A-Za-z-]+/.exec(tag)?.[0] ?? '';
    if (name === 'break') {
      if (!tag.endsWith('/')) throw new SayAsError('<break> must close itself: <break 500ms/>', open);
      const spec = tag.slice(5, -1).trim();
      out.pause(spec ? parseDuration(spec, open, maxPauseMs) : DEFAULT_PAUSE_MS);
      i = end + 1;
    } else if (name === 'say-as') {
      const { kind, currency } = parseSayAs(tag.slice(6), open);
      const close = text.indexOf(CLOSE, end + 1);
      if (close < 0) throw new SayAsError('<say-as> without </say-as>', open);
      const content = text.slice(end + 1, close);
      const nested = content.indexOf('<');
      if (nested >= 0) throw new SayAsError('Tags cannot nest inside <say-as>', end + 1 + nested);
      out.appendSayAs(readContent(kind, content, currency ?? options.currency, options.lenient === true, end + 1));
      i = close + CLOSE.length;
    } else if (name === '/say-as') {
      throw new SayAsError('</say-as> without <say-as>', open);
    } else {
      throw new SayAsError(`Unknown tag <${name}>`, open);
    }
  }
  return out.flush();
}

function readContent(kind: SayAsKind, content: string, currency: string | undefined, lenient: boolean, at: number): string {
  try {
    return sayAs(kind, content, currency === undefined ? {} : { currency });
  } catch (e) {
    if (lenient) return content;
    const reason = e instanceof Error ? e.message : String(e);
    throw new SayAsError(reason, at);
  }
}
