/**
 * The worker side of WorkerMediaEngine: a normal MediaEngine (its own pacer, sockets and port sub-range) driven by
 * control messages, reporting session events back. Everything per packet stays inside the engine; this class only
 * sees one message per control action and sends one per event.
 */
import type { MediaEngine, MediaSession } from '../engine/index.js';
import { Prompt, type PlayItem } from '../player/index.js';
import type { RecordingResult } from '../recorder/index.js';
import { toWireError, type FromWorker, type ToWorker, type WirePlayItem, type WireRecordingResult } from './media-worker-protocol.js';

export class MediaWorkerHost {
  private readonly sessions = new Map<number, MediaSession>();
  private readonly prompts = new Map<number, Prompt>();

  constructor(private readonly engine: MediaEngine, private readonly post: (message: FromWorker) => void) {}

  /** Handles one message; a control action that throws is reported as 'failed', never thrown. */
  handle(m: ToWorker): void {
    try {
      this.dispatch(m);
    } catch (err) {
      this.post({ t: 'failed', action: m.t, id: 'id' in m ? m.id : undefined, error: toWireError(err) });
    }
  }

  private dispatch(m: ToWorker): void {
    switch (m.t) {
      case 'create':
        void this.create(m.id);
        return;
      case 'prompt':
        this.prompts.set(m.prompt, Prompt.fromData(m.data));
        return;
      case 'forget-prompt':
        // Plays already queued keep their own reference to the prompt.
        this.prompts.delete(m.prompt);
        return;
      case 'configure':
        this.session(m.id).configure(m.config);
        return;
      case 'play': {
        const { id, play } = m;
        this.session(id).play(this.items(m.items), { onDone: (reason) => this.post({ t: 'played', id, play, reason }) });
        return;
      }
      case 'stop-playback':
        this.session(m.id).stopPlayback();
        return;
      case 'send-dtmf':
        this.session(m.id).sendDtmf(m.digits, m.durationMs);
        return;
      case 'inject-dtmf':
        this.session(m.id).injectDtmf(m.digit, 'info');
        return;
      case 'start-recording': {
        const { id, recording } = m;
        this.session(id).startRecording({ ...m.options, onDone: (r) => this.post({ t: 'recorded', id, recording, result: wireResult(r) }) });
        return;
      }
      case 'stop-recording':
        this.session(m.id).stopRecording();
        return;
      case 'start-tap':
        this.session(m.id).startAudioTap(m.ring);
        return;
      case 'stop-tap':
        this.session(m.id).stopAudioTap();
        return;
      case 'bridge':
        this.session(m.id).bridgeTo(this.session(m.other));
        return;
      case 'unbridge':
        this.session(m.id).unbridge();
        return;
      case 'close':
        void this.close(m.id);
        return;
      case 'stats':
        this.post({
          t: 'stats', request: m.request, engine: this.engine.stats(),
          sessions: m.sessions.flatMap((id): Array<[number, ReturnType<MediaSession['stats']>]> => {
            const s = this.sessions.get(id);
            return s ? [[id, s.stats()]] : [];
          }),
        });
        return;
      case 'reset-pacer-window':
        this.engine.resetPacerWindow();
        return;
      case 'shutdown':
        void this.shutdown();
        return;
    }
  }

  private async create(id: number): Promise<void> {
    let session: MediaSession;
    try {
      session = await this.engine.createSession();
    } catch (err) {
      this.post({ t: 'create-failed', id, error: toWireError(err) });
      return;
    }
    this.sessions.set(id, session);
    session.onDtmf((digit, source) => this.post({ t: 'dtmf', id, digit, source }));
    session.onRtpTimeout(() => this.post({ t: 'rtp-timeout', id }));
    this.post({ t: 'created', id, rtpPort: session.localPort, rtcpPort: session.localRtcpPort });
  }

  /** Closes the session (a recording reaches the disk first) and reports its final counters. */
  private async close(id: number): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    try {
      await session.close();
    } catch (err) {
      this.post({ t: 'failed', action: 'close', id, error: toWireError(err) });
    }
    this.post({ t: 'closed', id, stats: session.stats() });
  }

  private async shutdown(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
    await this.engine.close();
    this.post({ t: 'shutdown-done' });
  }

  private session(id: number): MediaSession {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no media session ${id} in this worker`);
    return s;
  }

  private items(wire: readonly WirePlayItem[]): PlayItem[] {
    return wire.map((w): PlayItem => {
      if ('silenceMs' in w) return { kind: 'silence', durationMs: w.silenceMs };
      const prompt = this.prompts.get(w.prompt);
      if (!prompt) throw new Error(`prompt ${w.prompt} was not registered with this worker`);
      return { kind: 'prompt', prompt };
    });
  }
}

function wireResult(r: RecordingResult): WireRecordingResult {
  const out: WireRecordingResult = { reason: r.reason, durationMs: r.durationMs, path: r.path };
  if (r.digit !== undefined) out.digit = r.digit;
  if (r.error) out.error = toWireError(r.error);
  return out;
}
