/**
 * What the call layer needs from a media session and an engine, whichever thread the media runs on: MediaEngine /
 * MediaSession run it on the calling thread, WorkerMediaEngine / RemoteMediaSession (media/worker/) in worker
 * threads. Every method behaves the same in both, with two differences documented on the members: events (play
 * done, digits, recording done, RTP timeout) of a remote session arrive asynchronously, after the call that
 * caused them has returned; and `stats()` of a remote session is a snapshot, not a live reading.
 */
import type { PlayItem, PlayOptions } from '../player/index.js';
import type { RecordingOptions } from '../recorder/index.js';
import type { MediaSessionConfig } from './media-session-config.js';
import type { MediaCloseCause } from './media-session-events.js';
import type { DtmfListener, MediaSessionStats } from './media-session-types.js';
import type { MediaEngineStats } from './media-engine.js';

export interface MediaSessionLike {
  /** The local RTP port to put in SDP. */
  readonly localPort: number;
  /** True once close() was called or the session failed. */
  readonly closed: boolean;
  /** Applies a negotiated session description (again for re-INVITEs); throws listing every invalid field. */
  configure(config: MediaSessionConfig): void;
  /** Queues items to play after those already queued; onDone: 'finished', 'interrupted' or 'stopped'. */
  play(items: readonly PlayItem[], options?: PlayOptions): void;
  /** Interrupts the playing request and drops the queued ones (each onDone('interrupted')). */
  stopPlayback(): void;
  /** Sends digits as RFC 4733 events when negotiated, else as in-band tones; throws before configure. */
  sendDtmf(digits: string, durationMs?: number): void;
  /** Digits received by RTP (RFC 4733 or in-band) or injected; returns the unsubscribe function. */
  onDtmf(listener: DtmfListener): () => void;
  /** Reports a digit that arrived by signalling (SIP INFO) through the same listeners as RTP digits. */
  injectDtmf(digit: string, source: 'info'): void;
  /** Called once when the peer, expected to send, has sent no RTP for the engine's rtpTimeoutMs. */
  onRtpTimeout(listener: () => void): () => void;
  /** Called once when the session closes: 'closed' after close(), 'failed' when its worker thread died. */
  onClose(listener: (cause: MediaCloseCause) => void): () => void;
  /** Throws when a recording is already running; options.onDone runs once the file is on disk. */
  startRecording(options: RecordingOptions): void;
  stopRecording(): void;
  /**
   * From now on writes the caller's audio (what arrives from the peer, decoded to 8 kHz PCM16 — bridged or not)
   * into `new PcmRing(ring)`, in step with wall time: when no audio arrives for a while (muted, DTX, loss, hold),
   * the pacer tick writes silence for the gap, so the consumer can time no-input and end of speech by counting
   * samples. Audio may trail real time by up to 60 ms of jitter allowance before a gap is filled. A running tap is
   * replaced (its ring closed; the running ring again is a no-op). A consumer that closes the ring ends the tap too. Throws SWB_ERR_MEDIA_STATE when
   * closed; a RangeError when `ring` is not a PcmRing buffer. A remote session passes the buffer to its worker
   * (shared, not copied) and closes a replaced or stopped ring at once, so nothing is written to it afterwards.
   */
  startAudioTap(ring: SharedArrayBuffer): void;
  /** Stops writing and closes the ring; idempotent. close() does the same. */
  stopAudioTap(): void;
  /**
   * Relays media both ways with `other`, which must belong to the same engine and, for a worker engine, to the
   * same worker: create it with `createSession({ near: this })`.
   */
  bridgeTo(other: MediaSessionLike): void;
  unbridge(): void;
  /**
   * Counters and the current RTP destination. A local session reads them live; a remote session returns the
   * snapshot taken at its last refresh (RemoteMediaSession.refreshStats) or at close — zeros before either.
   */
  stats(): MediaSessionStats;
  /** Ends playback ('stopped'), finishes a running recording (reason 'hangup') and returns the ports. */
  close(): Promise<void>;
}

export interface CreateSessionOptions {
  /**
   * Create the session where `near` lives (same engine, same worker thread), so the two can be bridged. `near`
   * must be an open session of this engine.
   */
  near?: MediaSessionLike;
}

export interface MediaEngineLike {
  /** Binds a port pair and returns a session ready to configure; rejects with SWB_ERR_RTP_NO_PORTS when full. */
  createSession(options?: CreateSessionOptions): Promise<MediaSessionLike>;
  /** Synchronous (health checks call it); a worker engine returns its workers' last reports, aggregated. */
  stats(): MediaEngineStats;
  /** Closes every session (recordings are finished, not lost) and stops the media threads or pacer. */
  close(): Promise<void>;
}
