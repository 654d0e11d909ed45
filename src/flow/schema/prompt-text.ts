import { parseDuration } from './flow-values.js';

/**
 * The text of a `say` prompt part, split into what a renderer needs: plain text, `{{ expression }}` templates,
 * `<break 500ms/>` pauses and `<say-as kind>…</say-as>` spans. The loader uses it to reject bad prompts; the
 * runtime may use it to render them. Offsets are into the prompt text.
 */
export const SAY_AS_KINDS = ['digits', 'currency', 'date', 'time', 'phone', 'number'] as const;

export type SayAsKind = (typeof SAY_AS_KINDS)[number];

export type PromptInline =
  | { kind: 'text'; text: string; offset: number }
  /** `source` is the expression between `{{` and `}}`, trimmed; `offset` is where that source starts. */
  | { kind: 'template'; source: string; offset: number };

export type PromptToken =
  | PromptInline
  | { kind: 'break'; ms: number; offset: number }
  | { kind: 'say-as'; as: SayAsKind; parts: PromptInline[]; offset: number };

export type PromptTextResult =
  | { ok: true; tokens: PromptToken[] }
  | { ok: false; offset: number; message: string };

const BREAK_TAG = /^<break\s+([^/>]+?)\s*\/>/;
const SAY_AS_OPEN = /^<say-as\s+([^>]*?)\s*>/;
const SAY_AS_CLOSE = '</say-as>';

class PromptTextError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** Splits `text` into inline pieces, up to `stopAt` (a closing tag) or the end. */
function inline(text: string, from: number, out: PromptInline[], stopAt?: string): number {
  let i = from;
  let plainStart = i;
  const flush = (to: number) => {
    if (to > plainStart) out.push({ kind: 'text', text: text.slice(plainStart, to), offset: plainStart });
  };
  while (i < text.length) {
    if (text.startsWith('{{', i)) {
      flush(i);
      const close = findClose(text, i + 2);
      if (close < 0) throw new PromptTextError(i, "'{{' is not closed with '}}'");
      const raw = text.slice(i + 2, close);
      const lead = raw.length - raw.trimStart().length;
      if (raw.trim() === '') throw new PromptTextError(i, "'{{ }}' holds no expression");
      out.push({ kind: 'template', source: raw.trim(), offset: i + 2 + lead });
      i = close + 2;
      plainStart = i;
    } else if (text.startsWith('}}', i)) {
      throw new PromptTextError(i, "'}}' without '{{'");
    } else if (text[i] === '<' && /[A-Za-z/]/.test(text[i + 1] ?? '')) {
      if (stopAt !== undefined && text.startsWith(stopAt, i)) {
        flush(i);
        return i;
      }
      flush(i);
      return i;
    } else {
      i++;
    }
  }
  flush(i);
  return i;
}

/** The `}}` closing a template, skipping quoted strings so `{{ "}}" }}` works (as src/flow/expr does); -1 if none. */
function findClose(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '}' && text[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

export function parsePromptText(text: string): PromptTextResult {
  const tokens: PromptToken[] = [];
  try {
    let i = 0;
    while (i < text.length) {
      const pieces: PromptInline[] = [];
      i = inline(text, i, pieces);
      tokens.push(...pieces);
      if (i >= text.length) break;
      i = tag(text, i, tokens);
    }
  } catch (e) {
    if (e instanceof PromptTextError) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
  return { ok: true, tokens };
}

function tag(text: string, i: number, tokens: PromptToken[]): number {
  const rest = text.slice(i);
  const brk = BREAK_TAG.exec(rest);
  if (brk) {
    const ms = parseDuration(brk[1]);
    if (!ms.ok) throw new PromptTextError(i, `<break ${brk[1]}/>: ${ms.message}`);
    tokens.push({ kind: 'break', ms: ms.value, offset: i });
    return i + brk[0].length;
  }
  const open = SAY_AS_OPEN.exec(rest);
  if (open) {
    const as = open[1] as SayAsKind;
    if (!SAY_AS_KINDS.includes(as)) {
      throw new PromptTextError(i, `<say-as ${open[1]}> is not one of: ${SAY_AS_KINDS.join(', ')}`);
    }
    const parts: PromptInline[] = [];
    const end = inline(text, i + open[0].length, parts, SAY_AS_CLOSE);
    if (!text.startsWith(SAY_AS_CLOSE, end)) {
      throw new PromptTextError(i, end >= text.length ? `<say-as ${as}> is not closed with </say-as>` : 'tags cannot nest inside <say-as>');
    }
    tokens.push({ kind: 'say-as', as, parts, offset: i });
    return end + SAY_AS_CLOSE.length;
  }
  if (rest.startsWith(SAY_AS_CLOSE)) throw new PromptTextError(i, '</say-as> without <say-as>');
  const name = /^<\/?([A-Za-z-]*)/.exec(rest)?.[1] ?? '';
  throw new PromptTextError(i, `<${name}> is not a prompt tag (use <break 500ms/> or <say-as kind>…</say-as>)`);
}

/** The `{{ }}` templates of a prompt text, in order (nested in say-as spans too). */
export function promptTemplates(tokens: readonly PromptToken[]): { source: string; offset: number }[] {
  const out: { source: string; offset: number }[] = [];
  for (const t of tokens) {
    if (t.kind === 'template') out.push({ source: t.source, offset: t.offset });
    else if (t.kind === 'say-as') for (const p of t.parts) if (p.kind === 'template') out.push({ source: p.source, offset: p.offset });
  }
  return out;
}
