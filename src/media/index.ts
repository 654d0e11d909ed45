/**
 * The media layer's public surface. The call layer uses MediaEngine/MediaSession, Prompt and the DTMF INFO
 * parser; the packet codecs are public for tools and tests. Bridging is reached through MediaSession.bridgeTo,
 * so bridge/ internals stay private.
 */
export * from './codec/index.js';
export * from './tone/index.js';
export * from './rtp/index.js';
export * from './rtcp/index.js';
export * from './dtmf/index.js';
export * from './player/index.js';
export * from './recorder/index.js';
export * from './engine/index.js';
