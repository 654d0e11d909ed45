export { lintFlow, LINT_RULE_CODES, MAX_MENU_OPTIONS, MIN_INPUT_TIMEOUT_MS, type FlowLookup, type LintOptions } from './lint-flow.js';
