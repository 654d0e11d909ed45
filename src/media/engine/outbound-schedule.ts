/**
 * What one session sends in each 20 ms tick, in priority order:
 * 1. RFC 4733 telephone-events while digits are being sent (and silence in the pauses between them);
 * 2. in-band DTMF tones, when the peer did not negotiate telephone-event;
 * 3. the next frame of the play queue;
 * 4. silence, when comfort silence is on (see MediaSession for why).
 * Prompt playback thus pauses while digits go out and resumes where it was.
 */
import type { G711Law } from '../codec/index.js';
import { DTMF_SEND_PACKET, DTMF_SEND_PAUSE, Rfc4733Sender } from '../dtmf/index.js';
import { renderDtmfDigit } from '../tone/index.js';
import {
  FRAME_BYTES, PLAY_AUDIO, PLAY_IDLE, PLAY_SILENCE, PlaybackQueue, Prompt, type PlayItem, type PlayOptions,
  type PlaybackEndReason,
} from '../player/index.js';
import { ALAW_SILENCE, MULAW_SILENCE } from '../codec/index.js';

/** `next` results: send nothing; send the audio frame at `source`/`offset`; send the event payload written. */
export const OUT_NOTHING = 0;
export const OUT_AUDIO = 1;
export const OUT_EVENT = 2;
export type OutboundStep = typeof OUT_NOTHING | typeof OUT_AUDIO | typeof OUT_EVENT;

const INBAND_DTMF_GAP_MS = 60;
const SILENCE_PCMU = Buffer.alloc(FRAME_BYTES, MULAW_SILENCE);
const SILENCE_PCMA = Buffer.alloc(FRAME_BYTES, ALAW_SILENCE);

export class OutboundSchedule {
  /** After OUT_AUDIO: the buffer and offset of the 160-byte frame. */
  source: Buffer = SILENCE_PCMU;
  offset = 0;
  private readonly playback = new PlaybackQueue();
  private readonly inbandTones = new PlaybackQueue();
  private readonly events = new Rfc4733Sender();

  constructor(private readonly comfortSilence: boolean) {}

  get playing(): boolean {
    return this.playback.playing;
  }

  /** Header fields of the event payload `next` wrote. */
  get eventMarker(): boolean {
    return this.events.marker;
  }

  get eventTimestamp(): number {
    return this.events.timestamp;
  }

  play(items: readonly PlayItem[], options?: PlayOptions): void {
    this.playback.enqueue(items, options);
  }

  stopPlayback(reason: Exclude<PlaybackEndReason, 'finished'>): void {
    this.playback.stop(reason);
  }

  /** Queues digits as telephone-events, or as rendered tones when the peer has no telephone-event. */
  sendDtmf(digits: string, durationMs: number, asEvents: boolean): void {
    if (asEvents) {
      this.events.enqueue(digits, durationMs);
      return;
    }
    const items: PlayItem[] = [];
    for (const d of digits) {
      items.push({ kind: 'prompt', prompt: Prompt.fromPcm(renderDtmfDigit(d.toUpperCase(), durationMs), 8000, `dtmf-${d}`) });
      items.push({ kind: 'silence', durationMs: INBAND_DTMF_GAP_MS });
    }
    this.inbandTones.enqueue(items);
  }

  /** Ends everything queued (session closing). */
  stop(): void {
    this.playback.stop('stopped');
    this.inbandTones.stop('stopped');
    this.events.cancel();
  }

  /** Decides this tick's packet; an event payload is written at `eventOut[eventOffset]`. */
  next(timestamp: number, law: G711Law, eventOut: Buffer, eventOffset: number): OutboundStep {
    if (this.events.busy) {
      const step = this.events.next(timestamp, eventOut, eventOffset);
      if (step === DTMF_SEND_PACKET) return OUT_EVENT;
      if (step === DTMF_SEND_PAUSE) return this.silence(law);
    }
    let queue = this.inbandTones.playing ? this.inbandTones : this.playback;
    let step = queue.next(law);
    if (step === PLAY_IDLE && queue === this.inbandTones) {
      queue = this.playback;
      step = queue.next(law);
    }
    if (step === PLAY_AUDIO) {
      this.source = queue.frameSource;
      this.offset = queue.frameOffset;
      return OUT_AUDIO;
    }
    if (step === PLAY_SILENCE || this.comfortSilence) return this.silence(law);
    return OUT_NOTHING;
  }

  private silence(law: G711Law): OutboundStep {
    this.source = law === 'pcmu' ? SILENCE_PCMU : SILENCE_PCMA;
    this.offset = 0;
    return OUT_AUDIO;
  }
}
