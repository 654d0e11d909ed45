export * from './pcap-writer.js';
export * from './pcap-reader.js';
export * from './rtp-stream-builder.js';
export * from './rtp-decoder.js';
export * from './wav-file.js';
export * from './envelope-match.js';
export * from './sip-ladder.js';
