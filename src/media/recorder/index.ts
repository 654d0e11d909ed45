export * from './wav-recorder.js';
