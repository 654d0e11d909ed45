import { SwitchboardError } from '../../common/index.js';
import type { FlowStorage } from '../nodes/index.js';

/**
 * Storage for simulations: keeps nothing, writes what would be stored into the transcript. `failing` makes every
 * write fail, to walk the path a call takes when the disk is full.
 */
export function simulatedStorage(write: (line: string) => void, failing = false): FlowStorage {
  let voicemails = 0;
  let callbacks = 0;
  const mailboxes = new Map<string, string>();
  const check = (what: string): void => {
    if (!failing) return;
    write(`STORAGE FAILS: ${what} not stored`);
    throw new SwitchboardError('SWB_ERR_FLOW_STORAGE', `${what} could not be stored (simulated)`);
  };
  return {
    async startVoicemail(message) {
      check('voicemail');
      const id = `vm-${++voicemails}`;
      mailboxes.set(id, message.mailbox);
      return { id, path: `/simulated/voicemail/${message.mailbox}/${id}.wav` };
    },
    async saveVoicemail(id, recorded) {
      check('voicemail');
      write(`SAVED voicemail ${id} in mailbox ${mailboxes.get(id) ?? '?'} (${(recorded.durationMs / 1000).toFixed(1)}s)`);
    },
    async discardVoicemail(id) {
      write(`DISCARDED voicemail ${id} (nothing said)`);
    },
    async saveCallback(request) {
      check('callback request');
      const id = `cb-${++callbacks}`;
      write(`SAVED callback ${id} for ${request.queue}: call ${request.number}${request.window !== undefined ? `, ${request.window}` : ''}`);
      return id;
    },
    async saveSurveyAnswer(answer) {
      check('survey answer');
      write(`SAVED survey answer ${answer.question} = ${JSON.stringify(answer.answer)}`);
    },
  };
}
