export { simulateFlow, formatRoute, type SimulateOptions, type SimulationTranscript } from './simulate-flow.js';
export { ScriptedCall, checkInputToken, describePrompt, type ScriptedCallOptions } from './scripted-call.js';
export { parseGoldenCase, renderGoldenCase, splitInputs, type GoldenCase } from './golden-case.js';
