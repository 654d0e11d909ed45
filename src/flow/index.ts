export * from './builtin/bench-app.js';
export * from './schema/index.js';
export * from './registry/index.js';
export * from './lint/index.js';
export * from './runtime/index.js';
export * from './simulate/index.js';
export type {
  CallbackRequest, FlowStorage, NewVoicemail, PendingVoicemail, RecordedVoicemail, SurveyAnswer,
} from './nodes/index.js';
