import type { FlowDiagnosticCode } from './diagnostics.js';
import type { RawNode, RawPromptPart } from './flow-schema.js';
import type { CallbackNode, PromptPart, SurveyNode, TransferNode, VoicemailNode } from './flow-types.js';
import { isIdentifier } from './flow-values.js';

type Path = (string | number)[];

/** The normalizer's checks, lent to the node builders of this file. */
export interface NodeChecks {
  error(code: FlowDiagnosticCode, path: Path, message: string, onKey?: boolean): void;
  /** Reports a reference to a node that does not exist; `what` names the key. */
  ref(path: Path, target: string | undefined, what: string): void;
  prompt(path: Path, parts: RawPromptPart[]): PromptPart[];
  /** Reports a `{{ }}` template that does not parse. */
  template(path: Path, source: string): void;
}

type Raw<T extends RawNode['type']> = Extract<RawNode, { type: T }>;

/** `X-Switchboard-<name>` must stay one RFC 3261 §25.1 token. */
const HEADER_SUFFIX = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function transferNode(id: string, n: Raw<'transfer'>, c: NodeChecks): TransferNode {
  const p = (...rest: Path): Path => ['nodes', id, ...rest];
  c.template(p('to'), n.to);
  if (n.trunk === undefined && !n.to.includes('{{') && !/^sips?:/i.test(n.to)) {
    c.error('SWB_FLOW_INVALID_VALUE', p('to'), `'${n.to}' is not a sip: URI; to dial a number name the 'trunk' it goes through`);
  }
  for (const [name, value] of Object.entries(n.headers)) {
    if (!HEADER_SUFFIX.test(name)) {
      c.error('SWB_FLOW_INVALID_VALUE', p('headers', name), `header '${name}' must be letters, digits and '-' (it is sent as X-Switchboard-${name})`, true);
    }
    c.template(p('headers', name), value);
  }
  for (const key of ['next', 'busy', 'noAnswer', 'failed'] as const) c.ref(p(key), n[key], key);
  return {
    id, type: 'transfer', to: n.to, ...opt('trunk', n.trunk), method: n.method,
    prompt: n.prompt ? c.prompt(p('prompt'), n.prompt) : [], headers: n.headers, ringTimeoutMs: n.ringTimeout,
    ...opt('next', n.next), ...opt('busy', n.busy), ...opt('noAnswer', n.noAnswer), failed: n.failed,
  };
}

export function voicemailNode(id: string, n: Raw<'voicemail'>, flowName: string, c: NodeChecks): VoicemailNode {
  const p = (...rest: Path): Path => ['nodes', id, ...rest];
  if (n.maxLength < 1000) c.error('SWB_FLOW_INVALID_VALUE', p('maxLength'), `maxLength of ${n.maxLength}ms leaves no time for a message`);
  if (n.webhook !== undefined) c.template(p('webhook'), n.webhook);
  c.ref(p('next'), n.next, 'next');
  c.ref(p('noMessage'), n.noMessage, 'noMessage');
  return {
    id, type: 'voicemail', mailbox: n.mailbox ?? flowName, prompt: c.prompt(p('prompt'), n.prompt), maxLengthMs: n.maxLength,
    endSilenceMs: n.endSilence, finishKey: n.finishKey, beep: n.beep,
    ...opt('savedPrompt', n.savedPrompt && c.prompt(p('savedPrompt'), n.savedPrompt)),
    ...opt('webhook', n.webhook), ...opt('next', n.next), ...opt('noMessage', n.noMessage),
  };
}

export function callbackNode(id: string, n: Raw<'callback'>, flowName: string, c: NodeChecks): CallbackNode {
  const p = (...rest: Path): Path => ['nodes', id, ...rest];
  if (n.webhook !== undefined) c.template(p('webhook'), n.webhook);
  n.windows.forEach((w, i) => {
    // A window is spoken inside runtime-made sentences ("For this afternoon, press 2."): plain words only.
    if (/[<>{}]/.test(w)) c.error('SWB_FLOW_INVALID_VALUE', p('windows', i), `window '${w}' is spoken as written: no tags or templates`);
  });
  c.ref(p('next'), n.next, 'next');
  c.ref(p('fallback'), n.fallback, 'fallback');
  return {
    id, type: 'callback', queue: n.queue ?? flowName, prompt: n.prompt ? c.prompt(p('prompt'), n.prompt) : [],
    windows: n.windows, ...opt('savedPrompt', n.savedPrompt && c.prompt(p('savedPrompt'), n.savedPrompt)),
    timeoutMs: n.timeout, retries: n.retries, ...opt('webhook', n.webhook), ...opt('next', n.next), ...opt('fallback', n.fallback),
  };
}

export function surveyNode(id: string, n: Raw<'survey'>, c: NodeChecks): SurveyNode {
  const p = (...rest: Path): Path => ['nodes', id, ...rest];
  const seen = new Set<string>();
  const questions = n.questions.map((q, i) => {
    if (!isIdentifier(q.id)) c.error('SWB_FLOW_INVALID_ID', p('questions', i, 'id'), `question id '${q.id}' is not an identifier`);
    else if (seen.has(q.id)) c.error('SWB_FLOW_INVALID_ID', p('questions', i, 'id'), `question id '${q.id}' is used twice in survey '${id}'`);
    seen.add(q.id);
    return { id: q.id, prompt: c.prompt(p('questions', i, 'prompt'), q.prompt), answer: q.answer };
  });
  c.ref(p('next'), n.next, 'next');
  return {
    id, type: 'survey', prompt: n.prompt ? c.prompt(p('prompt'), n.prompt) : [], questions, timeoutMs: n.timeout,
    retries: n.retries, ...opt('thanksPrompt', n.thanksPrompt && c.prompt(p('thanksPrompt'), n.thanksPrompt)), ...opt('next', n.next),
  };
}
