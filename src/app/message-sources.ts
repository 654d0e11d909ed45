import type { MessageSources } from '../api/index.js';
import type { CallbackState, SqliteMessageStore, VoicemailState } from '../store/index.js';

/**
 * The HTTP routes' view of the message store. A message still being recorded has no audio to serve yet: its file
 * holds a placeholder header until the recorder finishes.
 */
export function messageSources(store: SqliteMessageStore): Required<MessageSources> {
  return {
    voicemails: {
      list: (q) => store.listVoicemails({ ...q, state: q.state as VoicemailState | undefined }),
      get: (id) => store.getVoicemail(id),
      audioPath: (id) => {
        const v = store.getVoicemail(id);
        return v && v.state !== 'recording' ? v.path : undefined;
      },
    },
    callbacks: {
      list: (q) => store.listCallbacks({ ...q, state: q.state as CallbackState | undefined }),
      markDone: (id) => store.markCallbackDone(id),
    },
    surveys: {
      list: (q) => store.listSurveyAnswers(q),
    },
  };
}
