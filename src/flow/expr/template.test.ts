import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScope } from './expression-scope.js';
import { FlowExpressionError } from './flow-expression-error.js';
import { isStaticTemplate, parseTemplate, renderTemplate, templateVariables } from './template.js';
import { schedulesOf, variablesOf } from './variables-of.js';
import { parseExpression } from './parse-expression.js';

const scope = createScope({ variables: { entered: '1234', caller: '<break 99s/>', n: 3 } });

test('a template splits into text and expression parts and renders them', () => {
  const t = parseTemplate('You entered {{ entered }}, {{ n + 1 }} times.');
  assert.deepEqual(t.parts.map((p) => p.kind), ['text', 'expression', 'text', 'expression', 'text']);
  assert.equal(renderTemplate(t, scope), 'You entered 1234, 4 times.');
  assert.deepEqual(templateVariables(t), ['entered', 'n']);
  assert.equal(isStaticTemplate(t), false);
  assert.equal(isStaticTemplate(parseTemplate('Hello } { there.')), true);
});

test('unset variables render as nothing; a closing brace inside a string does not end the hole', () => {
  assert.equal(renderTemplate(parseTemplate('[{{ missing }}]'), scope), '[]');
  assert.equal(renderTemplate(parseTemplate('{{ "}}" }}!'), scope), '}}!');
});

test('inserted values go through the format hook, literal text does not', () => {
  const t = parseTemplate('<break 1s/>{{ caller }}');
  assert.equal(renderTemplate(t, scope, { format: (s) => s.replace(/[<>]/g, ' ') }), '<break 1s/> break 99s/ ');
});

test('template errors carry offsets within the whole template', () => {
  const unclosed = (() => { try { parseTemplate('Hi {{ caller'); } catch (e) { return e; } })();
  assert.ok(unclosed instanceof FlowExpressionError);
  assert.equal(unclosed.offset, 3);
  assert.match(unclosed.reason, /Unclosed '\{\{'/);
  const inner = (() => { try { parseTemplate('Hi {{ 1 + }}'); } catch (e) { return e; } })();
  assert.ok(inner instanceof FlowExpressionError);
  assert.equal(inner.offset, 10);
  assert.equal(inner.source, 'Hi {{ 1 + }}');
  const empty = (() => { try { parseTemplate('a{{  }}'); } catch (e) { return e; } })();
  assert.ok(empty instanceof FlowExpressionError);
  assert.equal(empty.offset, 3);
  assert.throws(() => renderTemplate(parseTemplate('x {{ "a" - 1 }}'), scope), (e: unknown) =>
    e instanceof FlowExpressionError && e.offset === 9 && e.source === 'x {{ "a" - 1 }}');
});

test('variablesOf and schedulesOf list what an expression reads', () => {
  assert.deepEqual(variablesOf(parseExpression('a + vars.b == a and len(c) > 1')), ['a', 'b', 'c']);
  assert.deepEqual(schedulesOf(parseExpression('open("office") or not open("support") or open(x)')), ['office', 'support']);
});
