import type { CallApp, CallControl, PromptSource } from '../../call/index.js';

/**
 * The demo IVR served by `npm start`: a greeting, then a DTMF menu — 1 the time, 2 digits read back, 0 goodbye —
 * with timeout and invalid-key handling. Static prompts are named so they are rendered once at start-up.
 */
export const DEMO_PROMPTS = {
  greeting:
    'Welcome to Switchboard. For the time, press 1. To hear your digits read back, press 2. To end the call, press 0.',
  menu: 'For the time, press 1. To hear your digits read back, press 2. To end the call, press 0.',
  goodbye: 'Goodbye.',
  invalid: 'Sorry, that is not a valid choice.',
  timeout: "Sorry, I didn't hear anything.",
  'enter-digits': 'Enter some digits, then press pound.',
  'no-digits': "I didn't get any digits.",
  'you-entered': 'You entered',
  'time-is': 'The time is',
} as const;

export type DemoPromptName = keyof typeof DEMO_PROMPTS;

export interface DemoAppOptions {
  menuTimeoutMs?: number;
  maxMenuTries?: number;
  /** Text for a digit string, e.g. "1, 2, 3" (speech/ supplies a Flite-friendly one). */
  speakDigits: (digits: string) => string;
  /** Text for the current time. */
  speakTime: (now: Date) => string;
  now?: () => Date;
}

const named = (name: DemoPromptName): PromptSource => ({ kind: 'named', name: `demo/${name}` });

export function createDemoApp(options: DemoAppOptions): CallApp {
  const menuTimeoutMs = options.menuTimeoutMs ?? 8000;
  const maxTries = options.maxMenuTries ?? 3;
  const now = options.now ?? (() => new Date());

  async function readBackDigits(call: CallControl): Promise<void> {
    call.clearDigits();
    if ((await call.play([named('enter-digits')])) === 'hangup') return;
    const r = await call.collectDigits({
      maxDigits: 20, terminators: '#', firstDigitTimeoutMs: menuTimeoutMs, interDigitTimeoutMs: 4000,
    });
    if (r.reason === 'hangup') return;
    if (r.digits.length === 0) {
      await call.play([named('no-digits')]);
      return;
    }
    await call.play([named('you-entered'), { kind: 'tts', text: `${options.speakDigits(r.digits)}.` }], { bargeIn: false });
  }

  return async (call) => {
    let prompt: PromptSource = named('greeting');
    let failures = 0;
    while (!call.ended) {
      if ((await call.play([prompt])) === 'hangup') return;
      prompt = named('menu');
      const r = await call.collectDigits({ maxDigits: 1, firstDigitTimeoutMs: menuTimeoutMs });
      if (r.reason === 'hangup') return;
      if (r.reason === 'timeout' || r.digits === '') {
        failures++;
        if (failures >= maxTries) break;
        if ((await call.play([named('timeout')])) === 'hangup') return;
        continue;
      }
      switch (r.digits) {
        case '1':
          failures = 0;
          if ((await call.play([named('time-is'), { kind: 'tts', text: `${options.speakTime(now())}.` }])) === 'hangup') return;
          break;
        case '2':
          failures = 0;
          await readBackDigits(call);
          break;
        case '0':
          await call.play([named('goodbye')], { bargeIn: false });
          await call.hangup();
          return;
        default:
          failures++;
          if (failures >= maxTries) break;
          if ((await call.play([named('invalid')])) === 'hangup') return;
      }
      if (failures >= maxTries) break;
    }
    if (!call.ended) {
      await call.play([named('goodbye')], { bargeIn: false });
      await call.hangup();
    }
  };
}
