export {
  MAX_SPOKEN_NUMBER, ORDINAL_TEEN_WORDS, ORDINAL_TENS_WORDS, ORDINAL_UNIT_WORDS, SPOKEN_DIGITS, TEEN_WORDS, TENS_WORDS,
  UNIT_WORDS, parseSpokenNumber, parseSpokenOrdinal, parseSpokenYear, spokenWords,
} from './spoken-numbers.js';
export {
  IMPOSSIBLE_DATE, MONTH_WORDS, WEEKDAY_WORDS, parseSpokenDate, readSpokenDate, resolveSpokenDate,
} from './spoken-date.js';
export {
  MAJOR_CURRENCY_WORDS, MAX_SPOKEN_AMOUNT, MINOR_CURRENCY_WORDS, SINGULAR_CURRENCY_WORDS, parseSpokenAmount,
} from './spoken-amount.js';
