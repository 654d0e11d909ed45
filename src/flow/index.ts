export * from './builtin/demo-app.js';
export * from './builtin/bench-app.js';
