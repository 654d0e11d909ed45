/**
 * The main-thread face of a MediaSession living in a media worker. Arguments are checked here, synchronously and
 * with the same errors as MediaSession (bad config, bad digits, sendDtmf before configure, use after close), so a
 * caller sees a mistake where it made it; the action itself is one message to the worker. Events come back as
 * messages, so they arrive after the call that caused them returned (stopPlayback's onDone('interrupted')
 * included).
 *
 * If the worker dies, `fail` ends the session: queued plays end 'stopped', a running recording ends 'error'
 * (the file may be incomplete), an audio tap's ring is closed, close() resolves, and onClose listeners hear 'failed'.
 */
import { PcmRing, SwitchboardError } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import { assertDtmfDigits } from '../dtmf/index.js';
import {
  MediaSessionEvents, validateSessionConfig,
  type DtmfListener, type MediaCloseCause, type MediaSessionConfig, type MediaSessionLike, type MediaSessionStats,
} from '../engine/index.js';
import type { PlayItem, PlayOptions } from '../player/index.js';
import type { RecordingOptions } from '../recorder/index.js';
import { fromWireError, type SessionEvent, type ToWorker, type WirePlayItem } from './media-worker-protocol.js';

const log = logger('media.worker');

/** What a remote session needs from the worker it lives in. */
export interface RemoteSessionLink {
  readonly workerIndex: number;
  post(message: ToWorker): void;
  /** Turns play items into wire items, registering their prompts with the worker first if needed. */
  encodeItems(items: readonly PlayItem[]): WirePlayItem[];
  /** Fresh counters of one session, or undefined if the worker no longer has it. */
  requestSessionStats(id: number): Promise<MediaSessionStats | undefined>;
}

const EMPTY_STATS: MediaSessionStats = Object.freeze({
  packetsSent: 0, packetsReceived: 0, bytesSent: 0, bytesReceived: 0, packetsLost: 0, jitterMs: 0, lateTicks: 0,
  ignoredFromUnexpectedSource: 0, ignoredPayloadType: 0, malformedPackets: 0, rtcpReceived: 0, latched: false,
});

export class RemoteMediaSession implements MediaSessionLike {
  private readonly events = new MediaSessionEvents(log, () => ({ localPort: this.localPort, worker: this.link.workerIndex }));
  private readonly plays = new Map<number, PlayOptions['onDone']>();
  private readonly recordings = new Map<number, RecordingOptions>();
  private nextPlay = 0;
  private nextRecording = 0;
  private activeRecording = 0;
  /** The tap's ring, closed from this thread on stop so the worker writes no more even before it hears of it. */
  private tapRing: PcmRing | undefined;
  private configured = false;
  private closing: Promise<void> | undefined;
  private resolveClosed: (() => void) | undefined;
  private ended = false;
  private snapshot: MediaSessionStats = EMPTY_STATS;

  constructor(readonly id: number, readonly localPort: number, readonly localRtcpPort: number, readonly link: RemoteSessionLink) {}

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** True while a play request has not reported its end. */
  get playing(): boolean {
    return this.plays.size > 0;
  }

  configure(config: MediaSessionConfig): void {
    this.assertOpen();
    const valid = validateSessionConfig(config);
    this.configured = true;
    this.post({ t: 'configure', id: this.id, config: { ...valid } });
  }

  play(items: readonly PlayItem[], options: PlayOptions = {}): void {
    this.assertOpen();
    const wire = this.link.encodeItems(items);
    const play = ++this.nextPlay;
    this.plays.set(play, options.onDone);
    this.post({ t: 'play', id: this.id, play, items: wire });
  }

  stopPlayback(): void {
    if (this.closed || this.plays.size === 0) return;
    this.post({ t: 'stop-playback', id: this.id });
  }

  sendDtmf(digits: string, durationMs = 100): void {
    this.assertOpen();
    assertDtmfDigits(digits);
    if (!this.configured) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'sendDtmf before configure');
    this.post({ t: 'send-dtmf', id: this.id, digits, durationMs });
  }

  onDtmf(listener: DtmfListener): () => void {
    return this.events.onDtmf(listener);
  }

  /** Goes through the worker so a recording there can end on the digit; listeners hear it when it comes back. */
  injectDtmf(digit: string, source: 'info'): void {
    assertDtmfDigits(digit);
    if (digit.length !== 1) throw new SwitchboardError('SWB_ERR_DTMF_INVALID', 'injectDtmf takes one digit');
    if (this.closed) this.events.emitDtmf(digit.toUpperCase(), source);
    else this.post({ t: 'inject-dtmf', id: this.id, digit: digit.toUpperCase() });
  }

  onRtpTimeout(listener: () => void): () => void {
    return this.events.onRtpTimeout(listener);
  }

  onClose(listener: (cause: MediaCloseCause) => void): () => void {
    return this.events.onClose(listener);
  }

  /**
   * Throws if a recording started here has not ended yet. (One that ended by itself in the worker — time limit,
   * silence, digit — counts as running until its onDone has come back.)
   */
  startRecording(options: RecordingOptions): void {
    this.assertOpen();
    if (this.activeRecording !== 0) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'a recording is already running');
    const recording = ++this.nextRecording;
    this.recordings.set(recording, options);
    this.activeRecording = recording;
    const { path, maxDurationMs, endOnSilenceMs, endOnDigits, speechLevel } = options;
    this.post({ t: 'start-recording', id: this.id, recording, options: { path, maxDurationMs, endOnSilenceMs, endOnDigits, speechLevel } });
  }

  stopRecording(): void {
    if (this.closed || this.activeRecording === 0) return;
    // The worker stops it on this message, before any later start-recording.
    this.activeRecording = 0;
    this.post({ t: 'stop-recording', id: this.id });
  }

  startAudioTap(ring: SharedArrayBuffer): void {
    this.assertOpen();
    if (this.tapRing?.buffer === ring) return;
    const next = new PcmRing(ring);
    this.tapRing?.close();
    this.tapRing = next;
    this.post({ t: 'start-tap', id: this.id, ring });
  }

  stopAudioTap(): void {
    if (!this.tapRing) return;
    this.closeTap();
    this.post({ t: 'stop-tap', id: this.id });
  }

  bridgeTo(other: MediaSessionLike): void {
    this.assertOpen();
    if (!(other instanceof RemoteMediaSession) || other.link !== this.link) {
      throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'bridged sessions must live in the same media worker: create the second with createSession({ near })');
    }
    if (other === this) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'a session cannot be bridged to itself');
    other.assertOpen();
    this.post({ t: 'bridge', id: this.id, other: other.id });
  }

  unbridge(): void {
    if (!this.closed) this.post({ t: 'unbridge', id: this.id });
  }

  /** The snapshot from the last refreshStats() or from close; zeros before either. */
  stats(): MediaSessionStats {
    return this.snapshot;
  }

  /** Asks the worker for the current counters (the last snapshot once closed). */
  async refreshStats(): Promise<MediaSessionStats> {
    if (this.closed) return this.snapshot;
    const fresh = await this.link.requestSessionStats(this.id);
    if (fresh && !this.ended) this.snapshot = fresh;
    return this.snapshot;
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = new Promise((resolve) => { this.resolveClosed = resolve; });
    this.closeTap();
    this.post({ t: 'close', id: this.id });
    this.events.emitClose('closed');
    return this.closing;
  }

  /** An event from the worker for this session. */
  receive(m: SessionEvent): void {
    switch (m.t) {
      case 'played': {
        const onDone = this.plays.get(m.play);
        this.plays.delete(m.play);
        onDone?.(m.reason);
        return;
      }
      case 'dtmf':
        this.events.emitDtmf(m.digit, m.source);
        return;
      case 'recorded': {
        const options = this.recordings.get(m.recording);
        this.recordings.delete(m.recording);
        if (this.activeRecording === m.recording) this.activeRecording = 0;
        const { error, ...rest } = m.result;
        options?.onDone(error ? { ...rest, error: fromWireError(error) } : rest);
        return;
      }
      case 'rtp-timeout':
        this.events.emitRtpTimeout();
        return;
      case 'closed':
        this.snapshot = m.stats;
        this.end('closed');
        return;
    }
  }

  /** The worker died: ends everything still waiting and tells the close listeners 'failed'. */
  fail(error: Error): void {
    if (this.ended) return;
    for (const onDone of this.plays.values()) this.guarded(() => onDone?.('stopped'));
    this.plays.clear();
    for (const o of this.recordings.values()) this.guarded(() => o.onDone({ reason: 'error', durationMs: 0, path: o.path, error }));
    this.recordings.clear();
    this.end('failed');
  }

  private guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      log.error({ err, localPort: this.localPort }, 'a playback or recording callback threw');
    }
  }

  private closeTap(): void {
    this.tapRing?.close();
    this.tapRing = undefined;
  }

  private end(cause: MediaCloseCause): void {
    this.ended = true;
    this.closeTap();
    this.closing ??= Promise.resolve();
    this.resolveClosed?.();
    this.events.emitClose(cause);
  }

  private post(message: ToWorker): void {
    this.link.post(message);
  }

  private assertOpen(): void {
    if (this.closing) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'the media session is closed');
  }
}
