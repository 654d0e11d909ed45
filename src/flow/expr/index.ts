export type { BinaryOperator, Expr, FunctionName, UnaryOperator, Value } from './expression-ast.js';
export { FlowExpressionError } from './flow-expression-error.js';
export { parseExpression } from './parse-expression.js';
export { evaluate } from './evaluate.js';
export { createScope, type ExpressionScope, type ScopeInit } from './expression-scope.js';
export { FUNCTION_ARITY } from './expression-functions.js';
export { isTruthy, valueToText, valuesEqual } from './values.js';
export { schedulesOf, variablesOf } from './variables-of.js';
export {
  isStaticTemplate, parseTemplate, renderTemplate, templateVariables,
  type RenderTemplateOptions, type Template, type TemplatePart,
} from './template.js';
export { isScheduleOpen } from './schedule-open.js';
export { formatZonedDate, isValidTimeZone, localTimestamp, zonedTime, type ZonedTime } from './zoned-time.js';
