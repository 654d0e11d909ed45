export * from './call-control.js';
export * from './call.js';
export * from './call-manager.js';
export * from './prompt-library.js';
export * from './digit-buffer.js';
export type { TrunkConfig, Trunks } from './transfer-target.js';
export * from './call-listen.js';
