export * from './dbm0.js';
export * from './tone-generator.js';
export * from './dtmf-tones.js';
export * from './call-progress-tones.js';
