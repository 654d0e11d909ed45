export * from './rfc4733.js';
export * from './rfc4733-receiver.js';
export * from './rfc4733-sender.js';
export * from './dtmf-relay-info.js';
export * from './inband-dtmf-detector.js';
