/**
 * Text forms Flite pronounces well, checked with `flite -pw` (print words):
 *   "1, 2, 3, 4, pound" → one two three four pound;  "A, B" → the letters, not the article
 *   "10:42 PM" → ten forty two p m;  "10:05 PM" → ten oh five p m;  "10 PM" → ten p m
 * but "10 42 PM" → one zero forty two p m, and "1234" → one thousand two hundred thirty four, hence these helpers.
 */
import { SwitchboardError } from '../common/index.js';

const KEY_WORDS: Record<string, string> = { '*': 'star', '#': 'pound', '+': 'plus' };

/** Characters that only format a number for the eye ("(555) 123-4567") and are not read out. */
const FORMATTING = /[\s\-().]/;

/** Reads DTMF keys or a phone number one key at a time: "1234#" → "1, 2, 3, 4, pound". */
export function speakableDigits(digits: string): string {
  const words: string[] = [];
  for (const c of digits) {
    if (FORMATTING.test(c)) continue;
    if (/^[0-9A-D]$/.test(c)) words.push(c);
    else if (KEY_WORDS[c]) words.push(KEY_WORDS[c]);
    else throw new SwitchboardError('SWB_ERR_TTS_FAILED', `Cannot read ${JSON.stringify(c)} in ${JSON.stringify(digits)} as a key`);
  }
  return words.join(', ');
}

/** A wall-clock time as Flite should say it: "10:42 PM", "10 PM", "noon", "midnight". */
export function speakableTime(date: Date, timeZone?: string): string {
  if (Number.isNaN(date.getTime())) throw new SwitchboardError('SWB_ERR_TTS_FAILED', 'Cannot speak an invalid date');
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone });
  } catch (e) {
    throw new SwitchboardError('SWB_ERR_TTS_FAILED', `Unknown time zone ${JSON.stringify(timeZone)}`, { cause: e });
  }
  const parts = format.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const hour = part('hour');
  const minute = part('minute');
  const dayPeriod = part('dayPeriod').toUpperCase();
  if (minute === '00') {
    if (hour === '12') return dayPeriod === 'AM' ? 'midnight' : 'noon';
    return `${hour} ${dayPeriod}`;
  }
  return `${hour}:${minute} ${dayPeriod}`;
}
