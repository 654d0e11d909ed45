export type { SynthesizedAudio, SynthesizeOptions, TtsProvider } from './tts-provider.js';
export { FliteTtsProvider, type FliteTtsProviderOptions } from './flite-tts-provider.js';
export { FliteWorkerPool, type FliteWorkerPoolOptions } from './flite-worker-pool.js';
export {
  FLITE_VOICES, MAX_RATE, MAX_TEXT_CHARS, MIN_RATE, defaultFliteWasmPath, loadFliteModule, prepareFliteRequest,
  synthesizeWithFlite, type FliteRequest, type FliteVoice,
} from './flite-engine.js';
export { splitSentences, type SplitSentencesOptions } from './split-sentences.js';
export {
  SayAsError, escapeSpeechMarkup, normalizeSpeech, type SayAsOptions, type SpeechSegment,
} from './say-as.js';
export {
  SAY_AS_KINDS, SUPPORTED_CURRENCIES, sayAs, sayCurrency, sayDate, sayDigits, sayNumber, sayPhone, sayTime,
  type SayAsKind,
} from './say-as-formats.js';
export { integerToWords, numberToWords, ordinalToWords, yearToWords } from './say-as-numbers.js';
export * from './asr/index.js';
export * from './nlu/index.js';
export * from './spoken/index.js';
