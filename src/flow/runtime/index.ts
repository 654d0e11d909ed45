export { FlowRunner, DEFAULT_WORDINGS, type FlowRunnerOptions, type FlowRunOptions } from './flow-runner.js';
export {
  SILENT_FLOW_LOGGER, type FlowDisposition, type FlowEvent, type FlowOutcome, type FlowInputRecord, type FlowLogger, type FlowPathStep,
  type FlowRunError, type FlowRunResult, type FlowSpeechTurn,
} from './flow-run-result.js';
export { PromptRenderer, type PromptEnvironment } from './prompt-renderer.js';
export { staticPrompts, type StaticPrompt } from './static-prompts.js';
export {
  grammarValue, parseSpeechToken, scriptedMeaning, scriptedRecognition, type ScriptedMeaning, type ScriptedSpeech,
} from './scripted-recognition.js';
