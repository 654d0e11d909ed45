export * from './rtp-packet.js';
export * from './port-allocator.js';
