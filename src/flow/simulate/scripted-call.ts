import type {
  CallActivity, CallControl, CollectDigitsOptions, DigitResult, ListenRequest, ListenResult, PlayOptions, PlayOutcome, PromptSource,
  RecordRequest, RecordResult, TransferRequest, TransferResult,
} from '../../call/index.js';
import { SwitchboardError, type FakeClock } from '../../common/index.js';
import type { RecognitionGrammar, SlotGrammar } from '../../speech/index.js';
import { parseSpeechToken, scriptedRecognition } from '../runtime/index.js';

const KEYS = /^[0-9*#A-D]+$/;
/** What a transfer can meet: the target answers (and later hangs up), is busy, does not answer, or fails. */
const TRANSFER_TOKENS = ['answer', 'busy', 'no-answer', 'fail'] as const;
/** What a recording can meet: the caller leaves a message, says nothing, or leaves a message and hangs up. */
const RECORD_TOKENS = ['message', 'silence', 'message-then-hangup'] as const;
/** How long a scripted message and a scripted conversation last. */
const MESSAGE_MS = 8000;
const TALK_MS = 60_000;

/** What a listen takes for no input besides "silence": a caller who does nothing. */
const LISTEN_NO_INPUT = 'timeout';
const DEFAULT_NO_INPUT_MS = 5000;

/**
 * Checks a simulator input: keys ("1", "1234#"), "timeout" or "hangup"; at a transfer "answer", "busy", "no-answer"
 * or "fail"; at a recording "message", "silence" or "message-then-hangup"; where the flow listens for speech
 * "say:<words>" (confidence 1), "say:<words>@0.4", "silence" or "timeout" (no input) or "noise" (no match).
 */
export function checkInputToken(token: string): void {
  const words: readonly string[] = ['timeout', 'hangup', 'noise', ...TRANSFER_TOKENS, ...RECORD_TOKENS];
  if (!words.includes(token) && !KEYS.test(token) && !parseSpeechToken(token)) {
    throw new SwitchboardError(
      'SWB_ERR_FLOW_SIMULATION',
      `Input ${JSON.stringify(token)} is not keys (0-9 * # A-D), "timeout", "hangup", a transfer's answer/busy/no-answer/fail, `
        + `a recording's message/silence or speech (say:<words>, say:<words>@0.4, silence, noise)`,
    );
  }
}

function describeLengths(minLength: number, maxLength: number): string {
  return `${minLength === maxLength ? minLength : `${minLength}-${maxLength}`} digits`;
}

/** "a date", "an amount up to 500", "6-8 digits". */
function describeSlot(slot: SlotGrammar): string {
  switch (slot.kind) {
    case 'digits': return describeLengths(slot.minLength, slot.maxLength);
    case 'date': return 'a date';
    case 'amount': return slot.maxAmount === undefined ? 'an amount' : `an amount up to ${slot.maxAmount}`;
  }
}

/** "department", "1, 2, 3", "yes or no", "6-8 digits", "rebook, @person ({day}: a date)". */
function describeGrammar(grammar: RecognitionGrammar): string {
  switch (grammar.kind) {
    case 'options': {
      const slots = Object.entries(grammar.slots ?? {}).map(([name, slot]) => `{${name}}: ${describeSlot(slot)}`);
      return `${grammar.options.map((o) => o.value).join(', ')}${slots.length > 0 ? ` (${slots.join(', ')})` : ''}`;
    }
    case 'yes-no': return 'yes or no';
    case 'digits': return describeLengths(grammar.minLength, grammar.maxLength);
    case 'date': return describeSlot(grammar);
    case 'amount': return describeSlot(grammar);
  }
}

export interface ScriptedCallOptions {
  id: string;
  callerId: string;
  calledUser: string;
  /** One token per collect: keys, "timeout" or "hangup". When they run out the caller hangs up. */
  inputs: readonly string[];
  /** 'unavailable': a server without speech recognition (every listen says so). Default available. */
  speech?: 'available' | 'unavailable';
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
  /** Set when an input did not fit what the flow was doing; simulateFlow reports it instead of a transcript. */
  scriptError: SwitchboardError | undefined;
  private pressed = '';
  private readonly queue: string[];
  private toldUnavailable = false;

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

  /**
   * Listens while the prompts play: keys of the next token end listening (after interrupting a barge-in prompt),
   * a speech token is recognized against the grammar's phrases, "silence" or "timeout" waits out the no-input time.
   */
  async listen(request: ListenRequest): Promise<ListenResult> {
    if (this.endedFlag) return { kind: 'hangup' };
    if (this.options.speech === 'unavailable') {
      if (!this.toldUnavailable) this.options.write('SPEECH UNAVAILABLE (no recognizer on this server)');
      this.toldUnavailable = true;
      return { kind: 'unavailable', reason: 'the simulated server has no speech recognizer' };
    }
    const bargeIn = request.bargeIn ?? true;
    this.options.write(`LISTEN for ${describeGrammar(request.grammar)}`);
    if (this.pressed) {
      for (const p of request.prompts) this.options.write(bargeIn ? `${this.describe(p)} ${SKIPPED}` : this.describe(p));
      return this.keysEndListening(request);
    }
    for (const p of request.prompts) this.options.write(this.describe(p));
    const next = this.queue.shift();
    if (next === undefined || next === 'hangup') {
      this.callerHangsUp(next === undefined ? ' (no more inputs)' : '');
      return { kind: 'hangup' };
    }
    if (KEYS.test(next)) {
      this.pressed += next;
      if (bargeIn) this.options.write('  (interrupted by a key)');
      return this.keysEndListening(request);
    }
    const speech = next === LISTEN_NO_INPUT ? { kind: 'silence' as const } : parseSpeechToken(next);
    if (!speech) {
      this.scriptError ??= new SwitchboardError('SWB_ERR_FLOW_SIMULATION', `Input "${next}" came while the flow listens for speech`);
      this.endedFlag = true;
      return { kind: 'hangup' };
    }
    const result = scriptedRecognition(request.grammar, speech, request.recognition.confidenceThreshold);
    if (result.status === 'no-input') this.options.clock.advance(request.recognition.noInputTimeoutMs ?? DEFAULT_NO_INPUT_MS);
    return { kind: 'speech', result };
  }

  private async keysEndListening(request: ListenRequest): Promise<ListenResult> {
    return request.keys ? { kind: 'keys', keys: await this.collectDigits(request.keys) } : { kind: 'keys' };
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
        if (!KEYS.test(token)) {
          // A script that does not fit the flow is the script's fault, not the flow's: stop the call here.
          this.scriptError ??= new SwitchboardError('SWB_ERR_FLOW_SIMULATION', `Input "${token}" came while the flow waits for keys`);
          this.endedFlag = true;
          return { digits, reason: 'hangup' };
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

  /** Takes "message" (the default), "silence" or "message-then-hangup". */
  async record(request: RecordRequest): Promise<RecordResult> {
    const ends = [request.endOnDigits && `on ${request.endOnDigits}`, request.endOnSilenceMs && `after ${request.endOnSilenceMs / 1000}s of silence`].filter(Boolean);
    this.options.write(`RECORD (at most ${request.maxDurationMs / 1000}s${ends.length > 0 ? `, ends ${ends.join(' or ')}` : ''})`);
    const token = this.takeToken(RECORD_TOKENS) ?? 'message';
    if (token === 'silence') {
      this.options.clock.advance(request.endOnSilenceMs ?? request.maxDurationMs);
      this.options.write('  (the caller says nothing)');
      return { reason: request.endOnSilenceMs ? 'silence' : 'max-duration', durationMs: 0, path: request.path };
    }
    const durationMs = Math.min(MESSAGE_MS, request.maxDurationMs);
    this.options.clock.advance(durationMs);
    if (token === 'message-then-hangup') {
      this.callerHangsUp(` after speaking ${durationMs / 1000}s`);
      return { reason: 'hangup', durationMs, path: request.path };
    }
    const digit = request.endOnDigits?.[0];
    this.options.write(`  (the caller speaks ${durationMs / 1000}s${digit ? ` then presses ${digit}` : ''})`);
    return digit ? { reason: 'digit', durationMs, path: request.path, digit } : { reason: 'silence', durationMs, path: request.path };
  }

  /** Takes "answer" (the default: the target answers and hangs up after a minute), "busy", "no-answer", "fail" or "hangup". */
  async transfer(request: TransferRequest): Promise<TransferResult> {
    this.options.write(`TRANSFER to ${request.target}${request.trunk ? ` via trunk ${request.trunk}` : ''} (${request.method})`);
    for (const [name, value] of request.headers) this.options.write(`  ${name}: ${value}`);
    const token = this.takeToken([...TRANSFER_TOKENS, 'hangup']) ?? 'answer';
    switch (token) {
      case 'busy':
        this.options.write('  BUSY');
        return { outcome: 'busy', status: 486 };
      case 'no-answer':
        this.options.clock.advance(request.ringTimeoutMs);
        this.options.write('  NO ANSWER');
        return { outcome: 'no-answer' };
      case 'fail':
        this.options.write('  FAILED 503');
        return { outcome: 'failed', status: 503, reason: 'Service Unavailable' };
      case 'hangup':
        this.options.clock.advance(TALK_MS);
        this.options.write(`  ANSWERED; the caller hangs up after ${TALK_MS / 1000}s`);
        this.endedFlag = true;
        return { outcome: 'bridged', endedBy: 'caller', talkMs: TALK_MS };
      default:
        this.options.clock.advance(TALK_MS);
        this.options.write(`  ANSWERED; the target hangs up after ${TALK_MS / 1000}s`);
        return { outcome: 'bridged', endedBy: 'target', talkMs: TALK_MS };
    }
  }

  /** The next token when it is one of `accepted` (keys already pressed stay for the next collect). */
  private takeToken(accepted: readonly string[]): string | undefined {
    const next = this.queue[0];
    if (next === undefined || !accepted.includes(next)) return undefined;
    this.queue.shift();
    return next;
  }

  async hangup(): Promise<void> {
    if (this.endedFlag) return;
    this.endedFlag = true;
    this.options.write('HANGUP');
  }

  /** The transcript already shows each node through the flow's events. */
  setActivity(_activity: CallActivity): void {}

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
    case 'named': return p.name === 'beep' ? 'BEEP' : `PLAY: named prompt ${p.name}`;
  }
}
