import type { CallControl, CollectDigitsOptions, DigitResult, PlayOptions, PlayOutcome, PromptSource } from '../../call/index.js';

/**
 * The call's keys with a small look-ahead: after a barge-in the runner reads the key that stopped the prompt to
 * see whether it is the escape key; a key that is not stays here, and the next play and collect behave as if it
 * were still in the call's digit buffer (the prompt is skipped, the collect starts with it).
 */
export class KeyInput {
  private pending = '';

  /** `onSkip` hears of prompts not played because a key was already waiting. */
  constructor(private readonly call: CallControl, private readonly onSkip?: (prompts: PromptSource[]) => void) {}

  async play(prompts: PromptSource[], options: PlayOptions): Promise<PlayOutcome> {
    if ((options.bargeIn ?? true) && this.pending) {
      this.onSkip?.(prompts);
      return 'interrupted';
    }
    return this.call.play(prompts, options);
  }

  /** Whether a key the runtime already read is waiting. */
  hasPending(): boolean {
    return this.pending !== '';
  }

  /** Reports prompts not played because a key is waiting. */
  reportUnplayed(prompts: PromptSource[]): void {
    if (prompts.length > 0) this.onSkip?.(prompts);
  }

  /** The next key without consuming it, if one is already pressed; 'hangup' if the call ended. */
  async peek(): Promise<string | undefined | 'hangup'> {
    if (!this.pending) {
      const r = await this.call.collectDigits({ maxDigits: 1, firstDigitTimeoutMs: 0 });
      if (r.reason === 'hangup') return 'hangup';
      this.pending += r.digits;
    }
    return this.pending[0];
  }

  /** Drops the key `peek` returned. */
  take(): void {
    this.pending = this.pending.slice(1);
  }

  async collect(options: CollectDigitsOptions): Promise<DigitResult> {
    const terminators = options.terminators ?? '';
    let digits = '';
    while (this.pending) {
      const key = this.pending[0];
      this.pending = this.pending.slice(1);
      if (terminators.includes(key)) return { digits, reason: 'terminator', terminator: key };
      digits += key;
      if (digits.length >= options.maxDigits) return { digits, reason: 'max-digits' };
    }
    if (!digits) return this.call.collectDigits(options);
    const rest = await this.call.collectDigits({
      ...options,
      maxDigits: options.maxDigits - digits.length,
      firstDigitTimeoutMs: options.interDigitTimeoutMs ?? options.firstDigitTimeoutMs,
    });
    return { ...rest, digits: digits + rest.digits };
  }

  clear(): void {
    this.pending = '';
    this.call.clearDigits();
  }
}
