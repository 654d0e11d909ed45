export * from './http-server.js';
export type { MessageSources } from './message-routes.js';
