import { SwitchboardError } from '../../common/index.js';
import type { FlowStorage } from '../nodes/index.js';

const refuse = (): Promise<never> =>
  Promise.reject(new SwitchboardError('SWB_ERR_FLOW_STORAGE', 'no storage is configured for voicemails, callbacks and surveys'));

/** The storage of a runner given none: every write fails, so those nodes take the escape instead of losing data. */
export const NO_STORAGE: FlowStorage = {
  startVoicemail: refuse,
  saveVoicemail: refuse,
  discardVoicemail: refuse,
  saveCallback: refuse,
  saveSurveyAnswer: refuse,
};
