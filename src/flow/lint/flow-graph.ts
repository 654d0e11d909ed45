import type { FlowDocument, FlowNode } from '../schema/index.js';

/** One way a node leads to another; `path` is where the reference is written (for diagnostics). */
export interface FlowEdge {
  to: string;
  path: (string | number)[];
}

/** The nodes a node can lead to, in the order they are written. */
export function edgesOf(node: FlowNode): FlowEdge[] {
  const at = (...rest: (string | number)[]) => ['nodes', node.id, ...rest];
  const out: FlowEdge[] = [];
  const add = (to: string | undefined, ...rest: (string | number)[]) => {
    if (to !== undefined) out.push({ to, path: at(...rest) });
  };
  switch (node.type) {
    case 'say':
    case 'play':
    case 'set':
    case 'goto':
    case 'subflow':
      add(node.next, 'next');
      break;
    case 'menu':
      for (const [key, to] of Object.entries(node.options)) add(to, 'options', key);
      add(node.fallback, 'fallback');
      break;
    case 'gather':
      add(node.next, 'next');
      add(node.fallback, 'fallback');
      break;
    case 'branch':
      node.conditions.forEach((c, i) => add(c.next, 'conditions', i, 'next'));
      add(node.otherwise, 'otherwise');
      break;
    case 'switch':
      for (const [value, to] of Object.entries(node.cases)) add(to, 'cases', value);
      add(node.default, 'default');
      break;
    case 'lookup':
      add(node.next, 'next');
      add(node.error, 'error');
      add(node.notFound, 'notFound');
      break;
    case 'transfer':
      add(node.next, 'next');
      add(node.busy, 'busy');
      add(node.noAnswer, 'noAnswer');
      add(node.failed, 'failed');
      break;
    case 'voicemail':
      add(node.next, 'next');
      add(node.noMessage, 'noMessage');
      break;
    case 'callback':
      add(node.next, 'next');
      add(node.fallback, 'fallback');
      break;
    case 'survey':
      add(node.next, 'next');
      break;
    case 'ask':
      for (const [intent, to] of Object.entries(node.intents)) add(to, 'intents', intent);
      add(node.keys, 'keys');
      add(node.fallback, 'fallback');
      break;
    case 'hangup':
      break;
  }
  return out;
}

/**
 * How a path can stop at this node other than by following an edge: `undefined` when it cannot; otherwise why
 * (the key that is missing). Menus, gathers and asks without `fallback` end the call when their retries run out;
 * 'ends-call': a transfer, voicemail, callback or survey without `next` finishes the call itself, on purpose.
 */
export function endingOf(node: FlowNode): 'next' | 'otherwise' | 'default' | 'fallback' | 'hangup' | 'ends-call' | undefined {
  switch (node.type) {
    case 'say':
    case 'play':
    case 'set':
    case 'subflow':
    case 'lookup':
      return node.next === undefined ? 'next' : undefined;
    case 'gather':
      if (node.next === undefined) return 'next';
      return node.fallback === undefined ? 'fallback' : undefined;
    case 'menu':
    case 'ask':
      return node.fallback === undefined ? 'fallback' : undefined;
    case 'branch':
      return node.otherwise === undefined ? 'otherwise' : undefined;
    case 'switch':
      return node.default === undefined ? 'default' : undefined;
    case 'goto':
      return undefined;
    case 'hangup':
      return 'hangup';
    case 'transfer':
    case 'survey':
      return node.next === undefined ? 'ends-call' : undefined;
    case 'voicemail':
      return node.next === undefined || node.noMessage === undefined ? 'ends-call' : undefined;
    case 'callback':
      if (node.next === undefined) return 'ends-call';
      return node.fallback === undefined ? 'fallback' : undefined;
  }
}

/** Whether the node plays a prompt or waits for keys: the moments when a caller can press the escape key. */
export function hearsCaller(node: FlowNode): boolean {
  switch (node.type) {
    case 'say':
    case 'play':
      return node.prompt.length > 0;
    case 'transfer':
      return node.prompt.length > 0;
    case 'menu':
    case 'gather':
    case 'voicemail':
    case 'callback':
    case 'survey':
    case 'ask':
      return true;
    default:
      return false;
  }
}

/** Node ids reachable from `start`, from the escape target and from the speech operator route. */
export function reachableFrom(flow: FlowDocument): Set<string> {
  const seen = new Set<string>();
  const stack = [flow.start, ...(flow.escape ? [flow.escape.to] : []), ...(flow.speech.operator !== undefined ? [flow.speech.operator] : [])];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    const node = flow.nodes[id];
    if (seen.has(id) || !node) continue;
    seen.add(id);
    for (const e of edgesOf(node)) stack.push(e.to);
  }
  return seen;
}

/**
 * Strongly connected components of the node graph (Tarjan), restricted to `within`; only components that
 * hold a cycle (several nodes, or one node leading to itself) are returned, each in file order.
 */
export function cyclesOf(flow: FlowDocument, within: Set<string>): string[][] {
  const order = Object.keys(flow.nodes).filter((id) => within.has(id));
  const rank = new Map(order.map((id, i) => [id, i]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const visit = (id: string) => {
    index.set(id, counter);
    low.set(id, counter++);
    stack.push(id);
    onStack.add(id);
    for (const { to } of edgesOf(flow.nodes[id])) {
      if (!within.has(to) || !flow.nodes[to]) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id) as number, index.get(to) as number));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    for (;;) {
      const w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
      if (w === id) break;
    }
    const selfLoop = component.length === 1 && edgesOf(flow.nodes[id]).some((e) => e.to === id);
    if (component.length > 1 || selfLoop) out.push(component.sort((a, b) => (rank.get(a) as number) - (rank.get(b) as number)));
  };
  for (const id of order) if (!index.has(id)) visit(id);
  return out.sort((a, b) => (rank.get(a[0]) as number) - (rank.get(b[0]) as number));
}
