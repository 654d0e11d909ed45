/**
 * The queue of play requests of one session, stepped one 20 ms frame per pacer tick. It only decides what the
 * next frame is; the session writes and sends it. Requests play back to back with no gap: a request's onDone
 * fires on the tick after its last frame went out (when that frame has been played), just before the next
 * request's first frame is taken, so an onDone that queues more audio keeps the stream continuous.
 */
import type { G711Law } from '../codec/index.js';
import { FRAME_BYTES, FRAME_MS, type Prompt } from './prompt.js';

export type PlayItem = { kind: 'prompt'; prompt: Prompt } | { kind: 'silence'; durationMs: number };

/** finished: played to the end; interrupted: stopPlayback (barge-in); stopped: the session closed. */
export type PlaybackEndReason = 'finished' | 'interrupted' | 'stopped';

export interface PlayOptions {
  onDone?: (reason: PlaybackEndReason) => void;
}

/** `next` results. */
export const PLAY_IDLE = 0;
export const PLAY_AUDIO = 1;
export const PLAY_SILENCE = 2;
export type PlayStep = typeof PLAY_IDLE | typeof PLAY_AUDIO | typeof PLAY_SILENCE;
const EXHAUSTED = -1;

interface PlayRequest {
  items: readonly PlayItem[];
  itemIndex: number;
  /** Frames of the current item already taken. */
  position: number;
  onDone?: (reason: PlaybackEndReason) => void;
}

export class PlaybackQueue {
  /** After `next` returned PLAY_AUDIO: the frames buffer and the offset of the 160-byte frame to send. */
  frameSource: Buffer = Buffer.alloc(0);
  frameOffset = 0;
  private readonly requests: PlayRequest[] = [];

  get playing(): boolean {
    return this.requests.length > 0;
  }

  enqueue(items: readonly PlayItem[], options: PlayOptions = {}): void {
    this.requests.push({ items: [...items], itemIndex: 0, position: 0, onDone: options.onDone });
  }

  /** Takes the frame for this tick. */
  next(law: G711Law): PlayStep {
    for (;;) {
      const head = this.requests[0];
      if (!head) return PLAY_IDLE;
      const step = this.take(head, law);
      if (step !== EXHAUSTED) return step;
      this.requests.shift();
      head.onDone?.('finished');
    }
  }

  /** Ends every queued request with `reason`, the one playing first. */
  stop(reason: Exclude<PlaybackEndReason, 'finished'>): void {
    const ended = this.requests.splice(0);
    for (const r of ended) r.onDone?.(reason);
  }

  private take(r: PlayRequest, law: G711Law): PlayStep | typeof EXHAUSTED {
    while (r.itemIndex < r.items.length) {
      const item = r.items[r.itemIndex];
      if (item.kind === 'prompt') {
        if (r.position < item.prompt.frameCount) {
          this.frameSource = item.prompt.frames(law);
          this.frameOffset = r.position++ * FRAME_BYTES;
          return PLAY_AUDIO;
        }
      } else if (r.position < Math.ceil(item.durationMs / FRAME_MS)) {
        r.position++;
        return PLAY_SILENCE;
      }
      r.itemIndex++;
      r.position = 0;
    }
    return EXHAUSTED;
  }
}
