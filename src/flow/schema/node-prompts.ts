import type { FlowNode, MenuNode, PromptPart } from './flow-types.js';

export interface NodePrompt {
  /** '' for the node's main prompt, else e.g. 'invalidPrompt', 'options.1', 'questions.rating'. */
  name: string;
  /** Where the prompt is written in the file, for diagnostics. */
  path: (string | number)[];
  parts: readonly PromptPart[];
}

/** Every prompt a node can play, in file order (the runtime's own default wordings are not included). */
export function promptsOf(node: FlowNode): NodePrompt[] {
  const out: NodePrompt[] = [];
  const add = (name: string, parts: readonly PromptPart[] | undefined, ...path: (string | number)[]) => {
    if (parts && parts.length > 0) out.push({ name, parts, path: ['nodes', node.id, ...(path.length > 0 ? path : [name])] });
  };
  switch (node.type) {
    case 'say':
    case 'play':
    case 'hangup':
    case 'transfer':
      add('', node.prompt, 'prompt');
      break;
    case 'menu':
      add('', node.prompt, 'prompt');
      for (const [key, label] of Object.entries(node.optionLabels)) {
        add(`options.${key}`, optionLabelPrompt(label, key), 'options', key, 'say');
        if (node.input !== 'dtmf') add(`options.${key}.speech`, menuOptionLabel(node, key, true), 'options', key, 'say');
      }
      add('invalidPrompt', node.invalidPrompt);
      add('noInputPrompt', node.noInputPrompt);
      break;
    case 'gather':
      add('', node.prompt, 'prompt');
      add('invalidPrompt', node.invalidPrompt);
      add('noInputPrompt', node.noInputPrompt);
      break;
    case 'voicemail':
      add('', node.prompt, 'prompt');
      add('savedPrompt', node.savedPrompt);
      break;
    case 'callback':
      add('', node.prompt, 'prompt');
      add('savedPrompt', node.savedPrompt);
      break;
    case 'ask':
      add('', node.prompt, 'prompt');
      add('confirm', node.confirm);
      add('retryPrompt', node.retryPrompt);
      add('noInputPrompt', node.noInputPrompt);
      break;
    case 'survey':
      add('', node.prompt, 'prompt');
      node.questions.forEach((q, i) => add(`questions.${q.id}`, q.prompt, 'questions', i, 'prompt'));
      add('thanksPrompt', node.thanksPrompt);
      break;
    case 'set':
    case 'branch':
    case 'switch':
    case 'goto':
    case 'subflow':
    case 'lookup':
      break;
  }
  return out;
}

const KEY_NAMES: Readonly<Record<string, string>> = { '*': 'star', '#': 'hash' };

/**
 * A menu option's label as the caller hears it: "To track a parcel, press 1." (one sentence, so it is said as one);
 * with a phrase to say: "For billing, say billing." or, keys working too, "For billing, say billing or press 1.".
 */
export function optionLabelPrompt(label: readonly PromptPart[], key: string | undefined, phrase?: string): PromptPart[] {
  const ways = [phrase === undefined ? undefined : `say ${phrase}`, key === undefined ? undefined : `press ${KEY_NAMES[key] ?? key}`];
  const press = `${ways.filter((w) => w !== undefined).join(' or ')}.`;
  const last = label[label.length - 1];
  if (last?.kind === 'say') {
    const text = last.text.trimEnd().replace(/[.,;:]$/, '');
    return [...label.slice(0, -1), { kind: 'say', text: `${text}, ${press}` }];
  }
  return [...label, { kind: 'say', text: press.charAt(0).toUpperCase() + press.slice(1) }];
}

/** The label of a menu's option (undefined when it has none), worded for keys or, `speech`, for the menu's input mode. */
export function menuOptionLabel(node: MenuNode, key: string, speech: boolean): PromptPart[] | undefined {
  const label = node.optionLabels[key];
  if (!label) return undefined;
  const phrase = node.optionPhrases[key]?.[0];
  if (!speech || phrase === undefined) return optionLabelPrompt(label, key);
  return optionLabelPrompt(label, node.input === 'speech' ? undefined : key, phrase);
}
