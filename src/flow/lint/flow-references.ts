import { parseTemplate } from '../expr/index.js';
import {
  checkExpression,
  exampleSlots,
  parsePromptText,
  promptTemplates,
  promptsOf,
  type FlowDocument,
  type FlowNode,
  type PromptPart,
} from '../schema/index.js';

/** A variable read or a schedule named somewhere in a flow, with where it is written. */
export interface FlowReference {
  name: string;
  path: (string | number)[];
  /** Character offset inside the string at `path`, when the reference is inside one. */
  offset?: number;
}

export interface FlowReferences {
  /** Variables read by expressions and prompt templates. */
  reads: FlowReference[];
  /** Variables stored by `gather.into`, `set.values`, `lookup.into` and the slots of an `ask`'s intents. */
  writes: FlowReference[];
  /** Schedules named by `open("…")`. */
  schedules: FlowReference[];
}

/** The `{{ }}` holes of a template that parses (one that does not was reported by the loader). */
function templateHoles(source: string): { source: string; offset: number }[] {
  try {
    return parseTemplate(source).parts.flatMap((p) => (p.kind === 'expression' ? [{ source: p.source, offset: p.offset }] : []));
  } catch {
    return [];
  }
}

/** The expression sources of a node, each with the path it is written at. */
function expressionsOf(node: FlowNode): { source: string; path: (string | number)[]; offset: number }[] {
  const at = (...rest: (string | number)[]) => ['nodes', node.id, ...rest];
  const out: { source: string; path: (string | number)[]; offset: number }[] = [];
  const template = (source: string | undefined, path: (string | number)[]) => {
    if (source === undefined) return;
    for (const t of templateHoles(source)) out.push({ source: t.source, path, offset: t.offset });
  };
  for (const { parts, path: promptPath } of promptsOf(node)) {
    parts.forEach((part: PromptPart, i) => {
      if (part.kind !== 'say') return;
      const parsed = parsePromptText(part.text);
      if (!parsed.ok) return;
      const path = parts.length > 1 ? [...promptPath, i] : promptPath;
      for (const t of promptTemplates(parsed.tokens)) out.push({ source: t.source, path, offset: t.offset });
    });
  }
  switch (node.type) {
    case 'menu':
      for (const [key, source] of Object.entries(node.optionConditions)) out.push({ source, path: at('options', key, 'when'), offset: 0 });
      break;
    case 'set':
      for (const [name, source] of Object.entries(node.values)) out.push({ source, path: at('values', name), offset: 0 });
      break;
    case 'branch':
      node.conditions.forEach((c, i) => out.push({ source: c.when, path: at('conditions', i, 'when'), offset: 0 }));
      break;
    case 'switch':
      out.push({ source: node.value, path: at('value'), offset: 0 });
      break;
    case 'lookup':
      template(node.key, at('key'));
      template(node.http?.url, at('http', 'url'));
      template(node.http?.body, at('http', 'body'));
      for (const [name, value] of Object.entries(node.http?.headers ?? {})) template(value, at('http', 'headers', name));
      break;
    case 'transfer':
      template(node.to, at('to'));
      for (const [name, value] of Object.entries(node.headers)) template(value, at('headers', name));
      break;
    case 'voicemail':
    case 'callback':
      template(node.webhook, at('webhook'));
      break;
    default:
      break;
  }
  return out;
}

/** Every variable read and written and every schedule named in a flow, in file order. */
export function referencesOf(flow: FlowDocument): FlowReferences {
  const refs: FlowReferences = { reads: [], writes: [], schedules: [] };
  for (const node of Object.values(flow.nodes)) {
    if (node.type === 'gather') refs.writes.push({ name: node.into, path: ['nodes', node.id, 'into'] });
    if (node.type === 'lookup') {
      for (const name of Object.keys(node.into)) refs.writes.push({ name, path: ['nodes', node.id, 'into', name] });
    }
    if (node.type === 'set') {
      for (const name of Object.keys(node.values)) refs.writes.push({ name, path: ['nodes', node.id, 'values', name] });
    }
    if (node.type === 'ask') {
      for (const intent of Object.keys(node.intents)) {
        const examples = Object.hasOwn(flow.intents, intent) ? flow.intents[intent].examples : [];
        const slots = new Set(examples.flatMap(exampleSlots));
        for (const name of slots) refs.writes.push({ name, path: ['nodes', node.id, 'intents', intent] });
      }
    }
    for (const { source, path, offset } of expressionsOf(node)) {
      const r = checkExpression(source);
      if (!r.ok) continue;
      for (const v of r.facts.variables) refs.reads.push({ name: v.name, path, offset: offset + v.offset });
      for (const s of r.facts.schedules) refs.schedules.push({ name: s.name, path, offset: offset + s.offset });
    }
  }
  return refs;
}
