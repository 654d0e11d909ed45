/**
 * Start/end of speech on the media clock: one call per 20 ms frame with the VAD's answer, no wall-clock timers.
 * Timeouts follow MRCPv2's recognizer (RFC 6787 §9.4.7 No-Input-Timeout, §9.4.15 Speech-Complete-Timeout,
 * §9.4.16 Speech-Incomplete-Timeout, §9.4.14 Start-Input-Timers): trailing silence ends the utterance sooner
 * when what was heard already completes the grammar than when the caller may still be mid-answer.
 *
 *   waiting ──speech──▶ speaking ──silence──▶ trailing ──timeout──▶ done (speech-end)
 *      │                   ▲                      │
 *      └─no-input timeout  └──────speech──────────┘      speaking/trailing ──maxSpeech──▶ done (max-speech)
 */

export interface EndpointerOptions {
  /** No speech this long after the timers start → no-input. Default 5000 ms. */
  noInputTimeoutMs?: number;
  /**
   * Trailing silence that ends an utterance whose words complete the grammar. Default 150 ms: no more than the
   * VAD's own lag, so the decision comes as soon as the VAD reports silence (bench:speech: end of speech → decision).
   */
  completeTimeoutMs?: number;
  /** Trailing silence that ends an utterance that does not (yet) complete it. Default 800 ms. */
  incompleteTimeoutMs?: number;
  /** Longest utterance; speech beyond it is cut off and decided. Default 10000 ms. */
  maxSpeechMs?: number;
  /** Whether the no-input timer runs from the start; false while a prompt plays (call startTimers() after). Default true. */
  startTimers?: boolean;
}

export type EndpointerEvent = 'speech-start' | 'speech-end' | 'max-speech' | 'no-input';
export type EndpointerState = 'waiting' | 'speaking' | 'trailing' | 'done';

export const FRAME_MS = 20;

export const DEFAULT_ENDPOINTER_OPTIONS: Required<EndpointerOptions> = {
  noInputTimeoutMs: 5000,
  completeTimeoutMs: 150,
  incompleteTimeoutMs: 800,
  maxSpeechMs: 10000,
  startTimers: true,
};

export class SpeechEndpointer {
  private readonly options: Required<EndpointerOptions>;
  private stateNow: EndpointerState = 'waiting';
  private frames = 0;
  private timersFrom: number | null;
  private startFrame = -1;
  private endFrame = -1;

  /** `lagFrames`: how far the VAD's decision trails the audio; speech times are moved back by it. */
  constructor(options: EndpointerOptions = {}, private readonly lagFrames = 0) {
    this.options = { ...DEFAULT_ENDPOINTER_OPTIONS, ...options };
    this.timersFrom = this.options.startTimers ? 0 : null;
  }

  get state(): EndpointerState {
    return this.stateNow;
  }

  /** Frames seen so far. */
  get frameCount(): number {
    return this.frames;
  }

  /** First frame of speech (VAD lag removed); -1 before speech. */
  get speechStartFrame(): number {
    return this.startFrame;
  }

  /** First frame after the speech (VAD lag removed); -1 before the end. */
  get speechEndFrame(): number {
    return this.endFrame;
  }

  /** Starts the no-input timer now (RFC 6787 §9.4.14), e.g. when the prompt finishes playing. */
  startTimers(): void {
    if (this.timersFrom === null) this.timersFrom = this.frames;
  }

  /**
   * Takes the VAD's answer for the next frame. `isComplete` is asked during trailing silence only: whether the
   * words so far already form a full answer.
   */
  frame(inSpeech: boolean, isComplete: () => boolean): EndpointerEvent | null {
    const index = this.frames++;
    switch (this.stateNow) {
      case 'waiting':
        if (inSpeech) {
          this.stateNow = 'speaking';
          this.startFrame = Math.max(0, index - this.lagFrames);
          return 'speech-start';
        }
        if (this.timersFrom !== null && (this.frames - this.timersFrom) * FRAME_MS >= this.options.noInputTimeoutMs) {
          this.stateNow = 'done';
          return 'no-input';
        }
        return null;
      case 'speaking':
        if (!inSpeech) {
          this.stateNow = 'trailing';
          this.endFrame = Math.max(this.startFrame, index - this.lagFrames);
          return this.trailing(isComplete);
        }
        return this.checkMaxSpeech();
      case 'trailing':
        if (inSpeech) {
          this.stateNow = 'speaking';
          this.endFrame = -1;
          return this.checkMaxSpeech();
        }
        return this.trailing(isComplete);
      case 'done':
        return null;
    }
  }

  private trailing(isComplete: () => boolean): EndpointerEvent | null {
    const silenceMs = (this.frames - this.endFrame) * FRAME_MS;
    if (silenceMs >= this.options.completeTimeoutMs && (silenceMs >= this.options.incompleteTimeoutMs || isComplete())) {
      this.stateNow = 'done';
      return 'speech-end';
    }
    return this.checkMaxSpeech();
  }

  private checkMaxSpeech(): EndpointerEvent | null {
    if ((this.frames - this.startFrame) * FRAME_MS >= this.options.maxSpeechMs) {
      this.stateNow = 'done';
      if (this.endFrame < 0) this.endFrame = this.frames;
      return 'max-speech';
    }
    return null;
  }
}
