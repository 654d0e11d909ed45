export type {
  CallRecord,
  CallRecordError,
  CallRecordHangupPoint,
  CallRecordInput,
  CallRecordOutcome,
  CallRecordTurn,
  CallRecordQuery,
  CallRecordStep,
  CallRecordSummary,
  NewCallRecord,
} from './call-record.js';
export type {
  CallbackQuery,
  CallbackRecord,
  CallbackState,
  NewCallbackRecord,
  NewSurveyAnswerRecord,
  NewVoicemailRecord,
  SurveyAnswerQuery,
  SurveyAnswerRecord,
  VoicemailQuery,
  VoicemailRecord,
  VoicemailState,
  WebhookAttemptFailure,
  WebhookDelivery,
  WebhookState,
} from './message-record.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
export { SqliteCallRecordStore, type SqliteCallRecordStoreOptions } from './sqlite-call-record-store.js';
export { DATABASE_FILE, MAX_LIST_LIMIT } from './sqlite-database.js';
export {
  SqliteMessageStore, VOICEMAIL_FOLDER, mailboxFolder, type SqliteMessageStoreOptions, type VoicemailRecoveryReport,
} from './sqlite-message-store.js';
export { SqliteWebhookOutbox } from './sqlite-webhook-outbox.js';
export { VOICEMAIL_SAMPLE_RATE, pcm16MonoWavHeader } from './wav-repair.js';
export type { CallbackRequestedEvent, VoicemailSavedEvent } from './webhook-events.js';
