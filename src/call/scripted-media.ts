/**
 * Media sessions and an engine for the call layer's tests: nothing is sent, every request is recorded, and a
 * test says when playback or a recording ends. Recording and DTMF behave in the order the real session has: the
 * recorder sees a digit before the DTMF listeners do, and onDone comes later (after the file is synced).
 */
import { PcmRing } from '../common/index.js';
import type {
  CreateSessionOptions, DtmfListener, MediaCloseCause, MediaEngineLike, MediaEngineStats, MediaSessionConfig,
  MediaSessionLike, MediaSessionStats, PlayItem, PlaybackEndReason, PlayOptions, RecordingOptions, RecordingResult,
} from '../media/index.js';

interface QueuedPlay {
  items: readonly PlayItem[];
  onDone: ((reason: PlaybackEndReason) => void) | undefined;
}

export class ScriptedMedia implements MediaSessionLike {
  closed = false;
  config: MediaSessionConfig | undefined;
  bridgedTo: ScriptedMedia | undefined;
  /** Every play request, in order. */
  readonly played: PlayItem[][] = [];
  stops = 0;
  recording: RecordingOptions | undefined;
  /** The running audio tap's ring (nothing is written to it). */
  tap: PcmRing | undefined;
  private queue: QueuedPlay[] = [];
  private readonly dtmfListeners: DtmfListener[] = [];
  private readonly closeListeners: Array<(cause: MediaCloseCause) => void> = [];

  constructor(readonly localPort = 40000, readonly near?: MediaSessionLike) {}

  configure(config: MediaSessionConfig): void {
    this.config = config;
  }

  play(items: readonly PlayItem[], options?: PlayOptions): void {
    this.played.push([...items]);
    this.queue.push({ items, onDone: options?.onDone });
  }

  get playing(): number {
    return this.queue.length;
  }

  /** Ends the request playing now with `reason`. */
  finishPlay(reason: PlaybackEndReason = 'finished'): void {
    this.queue.shift()?.onDone?.(reason);
  }

  stopPlayback(): void {
    this.stops++;
    this.endAll('interrupted');
  }

  sendDtmf(): void {
    // Nothing is sent.
  }

  onDtmf(listener: DtmfListener): () => void {
    this.dtmfListeners.push(listener);
    return () => undefined;
  }

  injectDtmf(digit: string): void {
    this.press(digit);
  }

  /** A key from the peer: the recorder sees it first (an end key finishes the recording), then the listeners. */
  press(digit: string): void {
    const rec = this.recording;
    if (rec?.endOnDigits?.includes(digit)) this.finishRecording({ reason: 'digit', durationMs: 1000, path: rec.path, digit });
    for (const l of this.dtmfListeners) l(digit, 'rfc4733');
  }

  onRtpTimeout(): () => void {
    return () => undefined;
  }

  onClose(listener: (cause: MediaCloseCause) => void): () => void {
    this.closeListeners.push(listener);
    return () => undefined;
  }

  fail(): void {
    for (const l of this.closeListeners) l('failed');
  }

  startRecording(options: RecordingOptions): void {
    if (this.closed) throw new Error('closed');
    if (this.recording) throw new Error('a recording is already running');
    this.recording = options;
  }

  stopRecording(): void {
    if (this.recording) this.finishRecording({ reason: 'stopped', durationMs: 0, path: this.recording.path });
  }

  /** Ends the running recording; onDone follows asynchronously, as it does after the real file's fsync. */
  finishRecording(result: RecordingResult): void {
    const rec = this.recording;
    this.recording = undefined;
    if (rec) setImmediate(() => rec.onDone(result));
  }

  startAudioTap(ring: SharedArrayBuffer): void {
    if (this.closed) throw new Error('closed');
    this.stopAudioTap();
    this.tap = new PcmRing(ring);
  }

  stopAudioTap(): void {
    this.tap?.close();
    this.tap = undefined;
  }

  bridgeTo(other: MediaSessionLike): void {
    if (!(other instanceof ScriptedMedia) || other.closed || this.closed) throw new Error('cannot bridge');
    this.bridgedTo = other;
    other.bridgedTo = this;
  }

  unbridge(): void {
    if (this.bridgedTo) this.bridgedTo.bridgedTo = undefined;
    this.bridgedTo = undefined;
  }

  stats(): MediaSessionStats {
    return {
      packetsSent: 0, packetsReceived: 0, bytesSent: 0, bytesReceived: 0, packetsLost: 0, jitterMs: 0, lateTicks: 0,
      ignoredFromUnexpectedSource: 0, ignoredPayloadType: 0, malformedPackets: 0, rtcpReceived: 0, latched: false,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endAll('stopped');
    const rec = this.recording;
    if (rec) this.finishRecording({ reason: 'hangup', durationMs: 2000, path: rec.path });
    this.unbridge();
    this.stopAudioTap();
    for (const l of this.closeListeners) l('closed');
  }

  private endAll(reason: PlaybackEndReason): void {
    for (const p of this.queue.splice(0)) p.onDone?.(reason);
  }
}

export class ScriptedMediaEngine implements MediaEngineLike {
  readonly sessions: ScriptedMedia[] = [];
  /** When set, createSession rejects with it. */
  failCreate: Error | undefined;
  private nextPort = 40000;

  async createSession(options: CreateSessionOptions = {}): Promise<ScriptedMedia> {
    if (this.failCreate) throw this.failCreate;
    const s = new ScriptedMedia(this.nextPort += 2, options.near);
    this.sessions.push(s);
    return s;
  }

  /** Sessions not closed yet. */
  open(): ScriptedMedia[] {
    return this.sessions.filter((s) => !s.closed);
  }

  stats(): MediaEngineStats {
    return {
      sessions: this.open().length, portsInUse: 2 * this.open().length, portCapacity: 1000, packetsSent: 0, packetsReceived: 0,
      bytesSent: 0, malformedPackets: 0, ignoredFromUnexpectedSource: 0, pacer: { ticks: 0, lateTicks: 0, maxLagMs: 0 } as unknown as MediaEngineStats['pacer'],
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.open().map((s) => s.close()));
  }
}
