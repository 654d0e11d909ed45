export * from './g711.js';
