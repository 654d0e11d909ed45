export * from './rtcp-packet.js';
export * from './receiver-statistics.js';
