import type { NodeRegistry } from './node-handler.js';
import { branchNode } from './branch.js';
import { gatherNode } from './gather.js';
import { gotoNode } from './goto.js';
import { hangupNode } from './hangup.js';
import { lookupNode } from './lookup.js';
import { menuNode } from './menu.js';
import { playNode } from './play.js';
import { sayNode } from './say.js';
import { setNode } from './set.js';
import { subflowNode } from './subflow.js';
import { switchNode } from './switch.js';

export type {
  CollectedKeys, DefaultWording, NodeContext, NodeHandler, NodePlayOptions, NodeRegistry,
} from './node-handler.js';
export { isValidEntry } from './gather.js';
export { HttpTimeoutError, fetchHttp, type HttpFetch, type HttpRequest, type HttpResponse } from './http-fetch.js';
export { valueAtPath } from './lookup.js';
export { passesLuhn } from './luhn.js';

/** Every node type's handler; the mapped type makes a missing node type a compile error. */
export const NODE_HANDLERS: NodeRegistry = {
  say: sayNode, play: playNode, menu: menuNode, gather: gatherNode, set: setNode, branch: branchNode,
  switch: switchNode, goto: gotoNode, subflow: subflowNode, hangup: hangupNode,
  lookup: lookupNode,
};
