import type {
  CallControl, CollectDigitsOptions, DigitResult, PlayOptions, PlayOutcome, PromptSource,
} from '../../call/index.js';
import { SwitchboardError, type FakeClock } from '../../common/index.js';

const KEYS = /^[0-9*#A-D]+$/;

/** Checks a simulator input: keys ("1", "1234#"), "timeout" or "hangup". */
export function checkInputToken(token: string): void {
  if (token !== 'timeout' && token !== 'hangup' && !KEYS.test(token)) {
    throw new SwitchboardError(
      'SWB_ERR_FLOW_SIMULATION', `Input ${JSON.stringify(token)} is not keys (0-9 * # A-D), "timeout" or "hangup"`,
    );
  }
}

export interface ScriptedCallOptions {
  id: string;
  callerId: string;
  calledUser: string;
  /** One token per collect: keys, "timeout" or "hangup". When they run out the caller hangs up. */
  inputs: readonly string[];
  clock: FakeClock;
  /** Receives each line the call produces (prompts, barge-ins, hangups). */
  write: (line: string) => void;
  /** How a recorded file is named in the transcript (default: its path). */
  describeFile?: (path: string) => string;
}

/**
 * A call played from a script on a fake clock. Time moves only when a collect waits out a timeout. Keys of the
 * next token interrupt a barge-in prompt and are then "pressed": they wait, as in the call's digit buffer, for
 * the next collect (a gather's clearing drops them, as on a real call). Keys left over once a collect is
 * satisfied stay pressed for the following one.
 */
export class ScriptedCall implements CallControl {
  readonly id: string;
  readonly callerId: string;
  readonly calledUser: string;
  private endedFlag = false;
  private pressed = '';
  private readonly queue: string[];

  constructor(private readonly options: ScriptedCallOptions) {
    this.id = options.id;
    this.callerId = options.callerId;
    this.calledUser = options.calledUser;
    options.inputs.forEach(checkInputToken);
    this.queue = [...options.inputs];
  }

  get ended(): boolean {
    return this.endedFlag;
  }

  /** Tokens not yet used. */
  remainingInputs(): string[] {
    return [...this.queue];
  }

  async play(prompts: PromptSource[], options: PlayOptions = {}): Promise<PlayOutcome> {
    if (this.endedFlag) return 'hangup';
    const bargeIn = options.bargeIn ?? true;
    if (bargeIn && this.pressed) {
      for (const p of prompts) this.options.write(`${this.describe(p)} ${SKIPPED}`);
      return 'interrupted';
    }
    for (const p of prompts) this.options.write(this.describe(p));
    const next = this.queue[0];
    if (next === 'hangup') {
      this.queue.shift();
      this.callerHangsUp('');
      return 'hangup';
    }
    if (bargeIn && next !== undefined && KEYS.test(next)) {
      this.queue.shift();
      this.pressed += next;
      this.options.write('  (interrupted by a key)');
      return 'interrupted';
    }
    return 'finished';
  }

  async collectDigits(options: CollectDigitsOptions): Promise<DigitResult> {
    const terminators = options.terminators ?? '';
    let digits = '';
    for (;;) {
      if (this.endedFlag) return { digits, reason: 'hangup' };
      if (!this.pressed) {
        if (digits) {
          this.options.clock.advance(options.interDigitTimeoutMs ?? options.firstDigitTimeoutMs);
          return { digits, reason: 'timeout' };
        }
        if (options.firstDigitTimeoutMs === 0) return { digits, reason: 'timeout' };
        const token = this.queue.shift();
        if (token === undefined || token === 'hangup') {
          this.callerHangsUp(token === undefined ? ' (no more inputs)' : '');
          return { digits, reason: 'hangup' };
        }
        if (token === 'timeout') {
          this.options.clock.advance(options.firstDigitTimeoutMs);
          return { digits, reason: 'timeout' };
        }
        this.pressed = token;
      }
      const key = this.pressed[0];
      this.pressed = this.pressed.slice(1);
      if (terminators.includes(key)) return { digits, reason: 'terminator', terminator: key };
      digits += key;
      if (digits.length >= options.maxDigits) return { digits, reason: 'max-digits' };
    }
  }

  clearDigits(): void {
    this.pressed = '';
  }

  async hangup(): Promise<void> {
    if (this.endedFlag) return;
    this.endedFlag = true;
    this.options.write('HANGUP');
  }

  private callerHangsUp(note: string): void {
    this.endedFlag = true;
    this.options.write(`CALLER HANGS UP${note}`);
  }

  private describe(p: PromptSource): string {
    return describePrompt(p, this.options.describeFile);
  }
}

export const SKIPPED = '[skipped: a key is waiting]';

/** A prompt as a transcript line: "SAY: …", "PLAY: file", "PAUSE 500ms". */
export function describePrompt(p: PromptSource, describeFile: (path: string) => string = (path) => path): string {
  switch (p.kind) {
    case 'tts': return `SAY: ${p.text}`;
    case 'silence': return `PAUSE ${p.durationMs}ms`;
    case 'file': return `PLAY: ${describeFile(p.path)}`;
    case 'named': return `PLAY: named prompt ${p.name}`;
  }
}
