export type {
  CallRecord,
  CallRecordError,
  CallRecordHangupPoint,
  CallRecordInput,
  CallRecordQuery,
  CallRecordStep,
  CallRecordSummary,
  NewCallRecord,
} from './call-record.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
export { DATABASE_FILE, MAX_LIST_LIMIT, SqliteCallRecordStore, type SqliteCallRecordStoreOptions } from './sqlite-call-record-store.js';
