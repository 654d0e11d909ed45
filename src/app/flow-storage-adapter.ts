import type {
  CallbackRequest, FlowStorage, NewVoicemail, PendingVoicemail, RecordedVoicemail, SurveyAnswer,
} from '../flow/index.js';
import type { SqliteMessageStore } from '../store/index.js';

/**
 * The flow layer's storage port over the SQLite message store. Each method resolves only after the store has
 * committed (its writes are synchronous, WAL + synchronous=FULL), and rejects with the store's SWB_ERR_STORE
 * error otherwise, so a node never tells a caller "saved" on a failed write. A queued webhook wakes the notifier.
 */
export class FlowStorageAdapter implements FlowStorage {
  constructor(
    private readonly store: SqliteMessageStore,
    private readonly notifier?: { wake(): void },
  ) {}

  async startVoicemail(message: NewVoicemail): Promise<PendingVoicemail> {
    const started = this.store.startVoicemail(message);
    return { id: started.id, path: started.path };
  }

  async saveVoicemail(id: string, recorded: RecordedVoicemail): Promise<void> {
    const saved = this.store.saveVoicemail(id, recorded);
    if (saved.webhook !== undefined) this.notifier?.wake();
  }

  async discardVoicemail(id: string): Promise<void> {
    this.store.discardVoicemail(id);
  }

  async saveCallback(request: CallbackRequest): Promise<string> {
    const saved = this.store.saveCallback(request);
    if (saved.webhook !== undefined) this.notifier?.wake();
    return saved.id;
  }

  async saveSurveyAnswer(answer: SurveyAnswer): Promise<void> {
    this.store.saveSurveyAnswer(answer);
  }
}
