import type { CallApp } from '../../call/index.js';

/**
 * The load-test application, with the timings of the reference dialplan (bench/README): prompt 1 (3.0 s,
 * interruptible) → wait 5 s for a key → `1`: prompt 2 (5.0 s) then hang up; anything else or nothing: hang up.
 */
export const BENCH_PROMPT_1 = 'bench/prompt1';
export const BENCH_PROMPT_2 = 'bench/prompt2';

export function createBenchApp(options: { waitForDigitMs?: number } = {}): CallApp {
  const waitMs = options.waitForDigitMs ?? 5000;
  return async (call) => {
    if ((await call.play([{ kind: 'named', name: BENCH_PROMPT_1 }])) === 'hangup') return;
    const r = await call.collectDigits({ maxDigits: 1, firstDigitTimeoutMs: waitMs });
    if (r.reason === 'hangup') return;
    if (r.digits === '1') {
      if ((await call.play([{ kind: 'named', name: BENCH_PROMPT_2 }], { bargeIn: false })) === 'hangup') return;
    }
    await call.hangup();
  };
}
