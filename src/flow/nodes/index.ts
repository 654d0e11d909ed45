import type { NodeRegistry } from './node-handler.js';
import { branchNode } from './branch.js';
import { callbackNode } from './callback.js';
import { gatherNode } from './gather.js';
import { gotoNode } from './goto.js';
import { hangupNode } from './hangup.js';
import { lookupNode } from './lookup.js';
import { askNode } from './ask.js';
import { menuNode } from './menu.js';
import { playNode } from './play.js';
import { sayNode } from './say.js';
import { setNode } from './set.js';
import { subflowNode } from './subflow.js';
import { surveyNode } from './survey.js';
import { switchNode } from './switch.js';
import { transferNode } from './transfer.js';
import { voicemailNode } from './voicemail.js';

export type {
  CollectedKeys, DefaultWording, HeardAnswer, NodeContext, NodeHandler, NodeListenRequest, NodeListenResult, NodeOutcome,
  NodePlayOptions, NodeRegistry, SpeechFailure,
} from './node-handler.js';
export type {
  CallbackRequest, FlowStorage, NewVoicemail, PendingVoicemail, RecordedVoicemail, SurveyAnswer,
} from './flow-storage.js';
export { isValidEntry } from './gather.js';
export { confirmableValues, defaultConfirm } from './ask.js';
export { HttpTimeoutError, fetchHttp, type HttpFetch, type HttpRequest, type HttpResponse } from './http-fetch.js';
export { valueAtPath } from './lookup.js';
export { headerValue } from './transfer.js';
export { MIN_MESSAGE_MS } from './voicemail.js';
export { passesLuhn } from './luhn.js';

/** Every node type's handler; the mapped type makes a missing node type a compile error. */
export const NODE_HANDLERS: NodeRegistry = {
  say: sayNode, play: playNode, menu: menuNode, gather: gatherNode, set: setNode, branch: branchNode,
  switch: switchNode, goto: gotoNode, subflow: subflowNode, hangup: hangupNode,
  lookup: lookupNode, transfer: transferNode, voicemail: voicemailNode, callback: callbackNode, survey: surveyNode,
  ask: askNode,
};
