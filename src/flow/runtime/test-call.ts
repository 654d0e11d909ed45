import {
  DigitBuffer, type CallActivity, type CallControl, type CollectDigitsOptions, type DigitResult, type ListenRequest, type ListenResult,
  type PlayOptions, type PlayOutcome, type PromptSource, type RecordRequest, type RecordResult, type TransferRequest, type TransferResult,
} from '../../call/index.js';
import type { FakeClock } from '../../common/index.js';
import { parseSpeechToken, scriptedRecognition } from './scripted-recognition.js';

/**
 * Test support: a CallControl over the call layer's real DigitBuffer on a fake clock, driven by caller actions.
 * Each collect still waiting after the keys already pressed takes the next action: keys ("12#") are pressed
 * (then the clock runs past the inter-digit wait if the collect still waits), "timeout" lets the clock run past
 * the wait, "hangup" ends the call. At a play, an action "!12" is pressed while the prompt plays (barge-in) and
 * "hangup!" hangs up during it. When the actions run out the caller hangs up. Recordings and transfers take
 * their results from `recordResults` / `transferResults` (a recording ending in 'hangup' hangs the call up).
 * A listen takes `listenResults` first, else the next action: "say:billing" or "say:billing@0.4" (matched
 * against the grammar's phrases), "silence" (no input), "noise" (no match), keys (they end listening) or "hangup".
 * `speech: 'unavailable'` answers every listen so, as a server without a recognizer does.
 */
export class TestCall implements CallControl {
  readonly id = 'test-call';
  readonly plays: { sources: PromptSource[]; bargeIn: boolean; outcome: PlayOutcome }[] = [];
  readonly collects: CollectDigitsOptions[] = [];
  readonly records: RecordRequest[] = [];
  readonly transfers: TransferRequest[] = [];
  /** Every activity the flow reported, in order. */
  readonly activities: CallActivity[] = [];
  /** Results of the next recordings; default a 4 s message ended by '#'. */
  recordResults: Omit<RecordResult, 'path'>[] = [];
  /** Results of the next transfers; default bridged, the target hanging up. */
  transferResults: TransferResult[] = [];
  readonly listens: ListenRequest[] = [];
  /** Results of the next listens, taken before the actions (recognizer answers a script cannot say). */
  listenResults: ListenResult[] = [];
  speech: 'available' | 'unavailable' = 'available';
  listen(request: ListenRequest): Promise<ListenResult> {
    return this.listenNow(request);
  }
  hungUpByFlow = false;
  private endedFlag = false;
  private readonly buffer: DigitBuffer;
  private readonly actions: string[];

  constructor(
    private readonly clock: FakeClock,
    actions: string[],
    readonly callerId = '+441234567890',
    readonly calledUser = 'test',
  ) {
    this.buffer = new DigitBuffer(clock);
    this.actions = [...actions];
  }

  get ended(): boolean {
    return this.endedFlag;
  }

  /** Text of everything played, silences as "<500ms>", files as "[path]". */
  heard(): string[] {
    return this.plays.flatMap((p) => p.sources.map((s) => {
      switch (s.kind) {
        case 'tts': return s.text;
        case 'silence': return `<${s.durationMs}ms>`;
        case 'file': return `[${s.path}]`;
        case 'named': return `[named ${s.name}]`;
      }
    }));
  }

  async play(sources: PromptSource[], options: PlayOptions = {}): Promise<PlayOutcome> {
    const bargeIn = options.bargeIn ?? true;
    let outcome: PlayOutcome = 'finished';
    if (this.endedFlag) outcome = 'hangup';
    else {
      const next = this.actions[0];
      if (next?.startsWith('!')) {
        this.actions.shift();
        for (const k of next.slice(1)) this.buffer.push(k);
      } else if (next === 'hangup!') {
        this.actions.shift();
        this.end();
        outcome = 'hangup';
      }
      if (outcome !== 'hangup' && bargeIn && this.buffer.hasQueued()) outcome = 'interrupted';
    }
    this.plays.push({ sources, bargeIn, outcome });
    return outcome;
  }

  collectDigits(options: CollectDigitsOptions): Promise<DigitResult> {
    this.collects.push(options);
    const result = this.buffer.collect(options);
    if (options.firstDigitTimeoutMs === 0) {
      this.clock.advance(0);
      return result;
    }
    if (this.clock.pendingTimers() === 0) return result;
    const action = this.endedFlag ? undefined : this.actions.shift();
    if (action === undefined || action === 'hangup') this.end();
    else if (action === 'timeout') this.clock.advance(options.firstDigitTimeoutMs);
    else {
      for (const k of action) this.buffer.push(k);
      if (this.clock.pendingTimers() > 0) this.clock.advance(options.interDigitTimeoutMs ?? options.firstDigitTimeoutMs);
    }
    return result;
  }

  private async listenNow(request: ListenRequest): Promise<ListenResult> {
    this.listens.push(request);
    if (this.speech === 'unavailable') return { kind: 'unavailable', reason: 'test call without a recognizer' };
    if (this.endedFlag) return { kind: 'hangup' };
    this.plays.push({ sources: request.prompts, bargeIn: request.bargeIn ?? true, outcome: 'finished' });
    const planned = this.listenResults.shift();
    if (planned) return planned;
    if (!this.buffer.hasQueued()) {
      const action = this.actions.shift();
      if (action === undefined || action === 'hangup') {
        this.end();
        return { kind: 'hangup' };
      }
      const speech = parseSpeechToken(action);
      if (speech) {
        const result = scriptedRecognition(request.grammar, speech, request.recognition.confidenceThreshold);
        if (result.status === 'no-input') this.clock.advance(request.recognition.noInputTimeoutMs ?? 5000);
        return { kind: 'speech', result };
      }
      for (const k of action.replace(/^!/, '')) this.buffer.push(k);
    }
    return request.keys ? { kind: 'keys', keys: await this.collectDigits(request.keys) } : { kind: 'keys' };
  }

  async record(request: RecordRequest): Promise<RecordResult> {
    this.records.push(request);
    const planned = this.recordResults.shift() ?? { reason: 'digit', durationMs: 4000, digit: '#' };
    this.clock.advance(planned.durationMs);
    if (planned.reason === 'hangup') this.end();
    return { ...planned, path: request.path };
  }

  async transfer(request: TransferRequest): Promise<TransferResult> {
    this.transfers.push(request);
    const result = this.transferResults.shift() ?? { outcome: 'bridged', endedBy: 'target', talkMs: 60_000 };
    if (result.outcome === 'bridged' && result.endedBy === 'caller') this.end();
    if (result.outcome === 'referred') this.end();
    return result;
  }

  clearDigits(): void {
    this.buffer.clear();
  }

  async hangup(): Promise<void> {
    this.hungUpByFlow = true;
    this.end();
  }

  setActivity(activity: CallActivity): void {
    this.activities.push(activity);
  }

  remainingActions(): string[] {
    return [...this.actions];
  }

  private end(): void {
    this.endedFlag = true;
    this.buffer.close();
  }
}
