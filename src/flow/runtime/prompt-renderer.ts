import type { PromptSource } from '../../call/index.js';
import { escapeSpeechMarkup, normalizeSpeech } from '../../speech/index.js';
import { parseTemplate, renderTemplate, type ExpressionScope, type Template } from '../expr/index.js';
import type { PromptPart } from '../schema/index.js';

export interface PromptEnvironment {
  scope: ExpressionScope;
  voice: string;
  currency: string;
}

const MAX_CACHED_TEMPLATES = 2000;

/**
 * Prompt parts → what the call layer plays: said text has its templates filled (inserted values cannot add
 * markup), its say-as spans read out and its breaks turned into silences; recorded files pass through.
 * Say-as content a variable made unreadable is spoken as written rather than failing the call.
 */
export class PromptRenderer {
  private readonly templates = new Map<string, Template>();

  render(parts: readonly PromptPart[], env: PromptEnvironment): PromptSource[] {
    const sources: PromptSource[] = [];
    for (const part of parts) {
      if (part.kind === 'play') {
        sources.push({ kind: 'file', path: part.file });
        continue;
      }
      const text = renderTemplate(this.template(part.text), env.scope, { format: escapeSpeechMarkup });
      for (const segment of normalizeSpeech(text, { currency: env.currency, lenient: true })) {
        sources.push('pauseMs' in segment
          ? { kind: 'silence', durationMs: segment.pauseMs }
          : { kind: 'tts', text: segment.text, voice: env.voice });
      }
    }
    return sources;
  }

  private template(text: string): Template {
    let t = this.templates.get(text);
    if (!t) {
      if (this.templates.size >= MAX_CACHED_TEMPLATES) this.templates.clear();
      t = parseTemplate(text);
      this.templates.set(text, t);
    }
    return t;
  }
}
