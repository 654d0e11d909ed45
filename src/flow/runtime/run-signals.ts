/**
 * Control flow that unwinds node code: thrown by the run context, caught by the runner's node loop. They are not
 * errors — a node's own try/catch must rethrow them (nodes here have none).
 */

/** The caller hung up, or the call ended under us. */
export class CallerHangupSignal {
  readonly signal = 'caller-hangup';
}

/** The run is over: the flow hung up, or gave up. */
export class RunEndSignal {
  readonly signal = 'end';
  constructor(readonly disposition: 'hangup' | 'error') {}
}

/** Continue at `node` in the flow running at subflow depth `depth` (escapes may leave a subflow). */
export class JumpSignal {
  readonly signal = 'jump';
  constructor(readonly depth: number, readonly node: string) {}
}

export function isRunSignal(e: unknown): e is CallerHangupSignal | RunEndSignal | JumpSignal {
  return e instanceof CallerHangupSignal || e instanceof RunEndSignal || e instanceof JumpSignal;
}
