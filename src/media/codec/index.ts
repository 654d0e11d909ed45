export * from './g711.js';
export * from './resample.js';
export * from './wav.js';
