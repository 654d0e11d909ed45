export * from './media-bridge.js';
export * from './relay-stream.js';
