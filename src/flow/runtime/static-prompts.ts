import type { PromptSource } from '../../call/index.js';
import { createScope, isStaticTemplate, parseTemplate } from '../expr/index.js';
import { confirmableValues, defaultConfirm } from '../nodes/index.js';
import { promptsOf, type FlowDocument, type PromptPart } from '../schema/index.js';
import { DEFAULT_WORDINGS } from './flow-runner.js';
import { PromptRenderer } from './prompt-renderer.js';

export interface StaticPrompt {
  /**
   * `<node>` for a node's main prompt, `<node>.<field>` for its others, `default.<wording>` for built-in wordings;
   * in a prompt that mixes fixed and templated parts, each fixed part alone: `<node>.part<N>` (1-based).
   */
  name: string;
  sources: PromptSource[];
}

/**
 * Every prompt of a flow that needs no call to render (no templates), rendered exactly as the runtime will
 * render it, so synthesizing these at load fills the same cache entries calls then hit: no caller waits for
 * synthesis of a static prompt. An ask's default confirmation is rendered for each value it can name
 * (`<ask>.confirm.<value>`).
 */
export function staticPrompts(flow: FlowDocument, wordings: Readonly<Record<string, string>> = DEFAULT_WORDINGS): StaticPrompt[] {
  const renderer = new PromptRenderer();
  const env = { scope: createScope({ timeZone: flow.timezone }), voice: flow.voice, currency: flow.currency };
  const out: StaticPrompt[] = [];
  const add = (name: string, parts: readonly PromptPart[] | undefined): void => {
    if (!parts || parts.length === 0) return;
    const fixed = parts.map((p) => p.kind === 'play' || isStaticTemplate(parseTemplate(p.text)));
    if (fixed.every(Boolean)) {
      out.push({ name, sources: renderer.render(parts, env) });
      return;
    }
    parts.forEach((p, i) => {
      if (fixed[i]) out.push({ name: `${name}.part${i + 1}`, sources: renderer.render([p], env) });
    });
  };
  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const p of promptsOf(node)) add(p.name === '' ? id : `${id}.${p.name}`, p.parts);
    if (node.type === 'ask' && !node.confirm) {
      for (const value of confirmableValues(node, flow)) add(`${id}.confirm.${value}`, defaultConfirm(value));
    }
  }
  for (const [key, text] of Object.entries(wordings)) add(`default.${key}`, [{ kind: 'say', text }]);
  return out;
}
