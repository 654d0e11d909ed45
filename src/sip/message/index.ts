export * from './headers.js';
export * from './types.js';
