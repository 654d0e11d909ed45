export { DialogState, type DialogTerminationReason } from './dialog-state.js';
export {
  SipDialog, dialogKey, type DialogHost, type DialogId, type DialogParty, type DialogRequestOptions, type OfferReply,
} from './sip-dialog.js';
export { resolveRequestTarget, type RequestTarget } from './route-set.js';
