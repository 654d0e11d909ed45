/**
 * Dates and amounts spliced from Asterisk's recorded number words (human-voice.ts): the prompts a caller's
 * "March third" or "a hundred and twenty five dollars" is made of, and the value the recognizer must return.
 */

export interface SpokenValuePlan {
  /** The recognizer's canonical value: "--03-03", "tomorrow", "125.00". */
  expect: string;
  /** Prompt names, e.g. "digits/mon-2", "digits/h-3". */
  prompts: string[];
  /** Pause after each prompt but the last. */
  pausesMs: number[];
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function pauses(count: number, random: () => number): number[] {
  return Array.from({ length: Math.max(0, count - 1) }, () => Math.round(40 + random() * 120));
}

/** "third" is digits/h-3; "twenty first" is digits/20 then digits/h-1 (the package has ordinals to 20 and 30). */
export function ordinalPrompts(day: number): string[] {
  if (day <= 20 || day % 10 === 0) return [`digits/h-${day}`];
  const tens = day - (day % 10);
  return [`digits/${tens}`, `digits/h-${day % 10}`];
}

/** 1–999 as said: "one hundred twenty five" (digits/1, digits/hundred, digits/20, digits/5). */
export function cardinalPrompts(n: number): string[] {
  const prompts: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) prompts.push(`digits/${hundreds}`, 'digits/hundred');
  if (rest === 0) return prompts;
  if (rest <= 20 || rest % 10 === 0) prompts.push(`digits/${rest}`);
  else prompts.push(`digits/${rest - (rest % 10)}`, `digits/${rest % 10}`);
  return prompts;
}

/** `count` month-and-day dates (days 1–28, so every month has them), then today, tomorrow and yesterday. */
export function planDates(count: number, random: () => number): SpokenValuePlan[] {
  const plans: SpokenValuePlan[] = [];
  for (let i = 0; i < count; i++) {
    const month = Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const prompts = [`digits/mon-${month}`, ...ordinalPrompts(day)];
    plans.push({ expect: `--${pad2(month + 1)}-${pad2(day)}`, prompts, pausesMs: pauses(prompts.length, random) });
  }
  for (const word of ['today', 'tomorrow', 'yesterday']) plans.push({ expect: word, prompts: [`digits/${word}`], pausesMs: [] });
  return plans;
}

/** `count` whole-dollar amounts of 1–999: "forty two dollars". */
export function planAmounts(count: number, random: () => number): SpokenValuePlan[] {
  const plans: SpokenValuePlan[] = [];
  for (let i = 0; i < count; i++) {
    const amount = 1 + Math.floor(random() * 999);
    const prompts = [...cardinalPrompts(amount), 'digits/dollars'];
    plans.push({ expect: `${amount}.00`, prompts, pausesMs: pauses(prompts.length, random) });
  }
  return plans;
}
