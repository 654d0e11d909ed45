export { MediaEngine, type MediaEngineOptions, type MediaEngineStats } from './media-engine.js';
export {
  MediaSession, type DtmfListener, type DtmfSource, type InbandDtmfDetectorFactory, type InbandDtmfSink,
  type MediaSessionStats,
} from './media-session.js';
export type { CreateSessionOptions, MediaEngineLike, MediaSessionLike } from './media-session-like.js';
export { MediaSessionEvents, type MediaCloseCause } from './media-session-events.js';
export { validateSessionConfig, type MediaDirection, type MediaSessionConfig } from './media-session-config.js';
export { Pacer, type PacerMember, type PacerOptions, type PacerStats } from './pacer.js';
export { RtpSourceLatch, RELATCH_PACKETS } from './rtp-source-latch.js';
