export * from './prompt.js';
export * from './playback-queue.js';
