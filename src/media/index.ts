/**
 * The media layer's public surface. The call layer types against MediaEngineLike/MediaSessionLike, implemented by
 * MediaEngine/MediaSession (media on the calling thread) and WorkerMediaEngine/RemoteMediaSession (media on
 * worker threads); it also uses Prompt and the DTMF INFO parser. The packet codecs are public for tools and
 * tests. Bridging is reached through bridgeTo, so bridge/ internals stay private.
 */
export * from './codec/index.js';
export * from './tone/index.js';
export * from './rtp/index.js';
export * from './rtcp/index.js';
export * from './dtmf/index.js';
export * from './player/index.js';
export * from './recorder/index.js';
export * from './engine/index.js';
export * from './worker/index.js';
