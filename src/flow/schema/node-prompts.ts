import type { FlowNode, PromptPart } from './flow-types.js';

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
      for (const [key, label] of Object.entries(node.optionLabels)) add(`options.${key}`, optionLabelPrompt(label, key), 'options', key, 'say');
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

/** A menu option's label as the caller hears it: "To track a parcel, press 1." (one sentence, so it is said as one). */
export function optionLabelPrompt(label: readonly PromptPart[], key: string): PromptPart[] {
  const press = `press ${KEY_NAMES[key] ?? key}.`;
  const last = label[label.length - 1];
  if (last?.kind === 'say') {
    const text = last.text.trimEnd().replace(/[.,;:]$/, '');
    return [...label.slice(0, -1), { kind: 'say', text: `${text}, ${press}` }];
  }
  return [...label, { kind: 'say', text: press.charAt(0).toUpperCase() + press.slice(1) }];
}
