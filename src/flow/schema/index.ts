export * from './flow-types.js';
export * from './positions.js';
export { FLOW_DIAGNOSTIC_CODES, type FlowDiagnosticCode, formatDiagnostic, compareDiagnostics, closestName } from './diagnostics.js';
export { parseFlowText, loadFlowFile } from './load-flow.js';
export { parsePromptText, promptTemplates, SAY_AS_KINDS, type SayAsKind, type PromptToken, type PromptInline, type PromptTextResult } from './prompt-text.js';
export { checkExpression, type ExpressionCheck, type ExpressionFacts } from './expression-check.js';
export { parseDuration, BUILTIN_VARIABLES } from './flow-values.js';
export { DEFAULTS as FLOW_DEFAULTS, VOICES, flowFileSchema } from './flow-schema.js';
export { optionLabelPrompt, promptsOf, type NodePrompt } from './node-prompts.js';
