export * from './bounded-process.js';
export * from './start-server.js';
export * from './run-sipp.js';
export * from './baresip-profile.js';
export * from './baresip-ctrl.js';
export * from './start-baresip.js';
export * from './tcpdump-capture.js';
