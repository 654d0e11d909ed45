export * from './server.js';
export * from './prompt-tools.js';
export * from './flow-service.js';
