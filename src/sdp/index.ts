export * from './session-description.js';
export * from './sdp-parser.js';
export * from './sdp-serializer.js';
export * from './sdp-session-state.js';
export * from './offer-answer.js';
