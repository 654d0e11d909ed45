export type {
  Recognition, RecognitionHypothesis, RecognitionListener, RecognitionOptions, RecognitionResult, RecognitionStatus,
  SpeechRecognizer,
} from './speech-recognizer.js';
export {
  DIGIT_WORDS, MAX_DIGITS, YES_NO_OPTIONS, grammarOptions, phraseParts, phraseWords, validateGrammar,
  type AmountGrammar, type DateGrammar, type DigitsGrammar, type GrammarOption, type OptionsGrammar, type PhrasePart,
  type RecognitionGrammar, type SlotGrammar, type YesNoGrammar,
} from './recognition-grammar.js';
export { CompiledGrammar, type GrammarToken, type Interpretation, type TokenRole } from './compiled-grammar.js';
export {
  DEFAULT_AMOUNT_PREFIX_PHRASES, DEFAULT_DATE_PREFIX_PHRASES, DEFAULT_DIGIT_PREFIX_PHRASES, DEFAULT_GRAMMAR_TUNING,
  DEFAULT_PREFIX_PHRASES, DEFAULT_SPOKEN_SUFFIX_PHRASES, DEFAULT_SUFFIX_PHRASES, GrammarCompiler, type GrammarTuning,
} from './grammar-compiler.js';
export { PronunciationDictionary } from './pronunciation-dictionary.js';
export { slotValue } from './spoken-rules.js';
export {
  DEFAULT_ENDPOINTER_OPTIONS, FRAME_MS, SpeechEndpointer,
  type EndpointerEvent, type EndpointerOptions, type EndpointerState,
} from './speech-endpointer.js';
export { DecoderPool, type DecoderPoolOptions, type Poolable } from './decoder-pool.js';
export { SoundSwallowerModel, defaultModelBase, type SoundSwallowerModelOptions } from './soundswallower-model.js';
export { SoundSwallowerDecoder, type WordSegment } from './soundswallower-decoder.js';
export { SoundSwallowerVad, type SoundSwallowerVadOptions, type VoiceActivityDetector } from './soundswallower-vad.js';
export {
  DEFAULT_CONFIDENCE_THRESHOLD, SoundSwallowerRecognizer, type SoundSwallowerRecognizerOptions,
} from './soundswallower-recognizer.js';
export {
  DEFAULT_CONFIDENCE_CALIBRATION, SoundSwallowerRecognition, type ConfidenceCalibration, type RecognitionSlot,
} from './soundswallower-recognition.js';
export {
  RecognitionHost, type HostedRecognition, type HostedRecognitionListener, type RecognitionEndReason,
  type RecognitionHostOptions, type RecognitionHostStats,
} from './recognition-host.js';
