import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../../common/index.js';
import { createScope } from './expression-scope.js';
import { evaluate } from './evaluate.js';
import { FlowExpressionError } from './flow-expression-error.js';
import { parseExpression } from './parse-expression.js';

const run = (source: string, variables: Record<string, string | number | boolean> = {}) =>
  evaluate(parseExpression(source), createScope({ variables }), source);

function parseError(source: string): FlowExpressionError {
  try {
    parseExpression(source);
  } catch (e) {
    assert.ok(e instanceof FlowExpressionError, `${source}: ${String(e)}`);
    assert.ok(isSwitchboardError(e, 'SWB_ERR_FLOW_EXPRESSION'));
    return e;
  }
  assert.fail(`${JSON.stringify(source)} parsed`);
}

test('and binds tighter than or, not tighter than and, comparisons tighter than not', () => {
  assert.equal(run('a or b and c', { a: true, b: false, c: false }), true);
  assert.equal(run('(a or b) and c', { a: true, b: false, c: false }), false);
  assert.equal(run('not 1 == 2'), true);
  assert.equal(run('not a and b', { a: false, b: false }), false);
  assert.equal(run('1 + 2 == 3 and not false'), true);
});

test('additive operators are left-associative and bind tighter than comparisons', () => {
  assert.equal(run('1 - 2 - 3'), -4);
  assert.equal(run('-2 + 3'), 1);
  assert.equal(run('- -2'), 2);
  assert.equal(run('"a" + 1 + 2'), 'a12');
  assert.equal(run('1 + 2 + "a"'), '3a');
  assert.equal(run('10 - 2 > 7'), true);
  const ast = parseExpression('1 + 2 < 4');
  assert.equal(ast.type, 'binary');
  assert.equal(ast.type === 'binary' && ast.op, '<');
});

test('literals, vars.x, lists and in / not in', () => {
  assert.equal(run('"it\\"s" == \'it"s\''), true);
  assert.equal(run('null == missing'), true);
  assert.equal(run('vars.choice == choice', { choice: '2' }), true);
  assert.equal(run('choice in ["1", "2"]', { choice: '2' }), true);
  assert.equal(run('choice not in [1, 3]', { choice: '2' }), true);
  assert.equal(run('"44" in caller', { caller: '+441234' }), true);
  assert.equal(run('[] == []'), true);
  assert.equal(run('[1] == ["1"] and [1] != [1, 2]'), true);
  assert.deepEqual(run('[1, "a", true]'), [1, 'a', true]);
});

test('digits compare with numbers by value', () => {
  assert.equal(run('entered == 1234', { entered: '1234' }), true);
  assert.equal(run('entered < 100', { entered: '99' }), true);
  assert.equal(run('entered < "100"', { entered: '99' }), true);
  assert.equal(run('"b" > "a"'), true);
  assert.equal(run('entered == 12', { entered: '12a' }), false);
  assert.equal(run('entered - 1', { entered: '10' }), 9);
});

test('functions: len, startsWith, lower, upper', () => {
  assert.equal(run('len(entered) >= 4', { entered: '1234' }), true);
  assert.equal(run('len(missing)'), 0);
  assert.equal(run('len([1, 2, 3])'), 3);
  assert.equal(run('startsWith(caller, "+44")', { caller: '+44123' }), true);
  assert.equal(run('startsWith(caller, "+1")', { caller: '+44123' }), false);
  assert.equal(run('lower("ABC") + upper("d")'), 'abcD');
});

test('syntax errors name the problem and its offset', () => {
  const cases: [string, number, RegExp][] = [
    ['', 0, /Empty expression/],
    ['1 +', 3, /Expected a value, found end of expression/],
    ['hour( < 9', 6, /Expected a value, found '<'/],
    ['(1 + 2', 6, /Expected '\)' to close the parenthesis/],
    ['a < b < c', 6, /cannot be chained/],
    ['1 2', 2, /Unexpected '2'/],
    ['foo(1)', 0, /Unknown function 'foo'/],
    ['len()', 0, /len\(\) takes 1 argument, not 0/],
    ['hour(1)', 0, /hour\(\) takes 0 arguments, not 1/],
    ['"abc', 0, /Unterminated string/],
    ['"a\\qb"', 2, /Unknown escape/],
    ['a && b', 2, /use 'and'/],
    ['a || b', 2, /use 'or'/],
    ['!a', 0, /use 'not'/],
    ['a = 1', 2, /use '==' to compare/],
    ['caller.name', 6, /Only vars.<name> may use a dot/],
    ['vars.1', 5, /Expected a variable name/],
    ['12abc', 2, /after a number/],
    ['a # b', 2, /Unexpected character "#"/],
    ['[1, 2', 5, /Expected '\]' to close the list/],
  ];
  for (const [source, offset, reason] of cases) {
    const e = parseError(source);
    assert.equal(e.offset, offset, `${JSON.stringify(source)}: ${e.message}`);
    assert.match(e.reason, reason, source);
    assert.match(e.message, new RegExp(`at offset ${offset}`));
  }
});

test('the not-equal and comparison operators are not mistaken for foreign ones', () => {
  assert.equal(run('1 != 2'), true);
  assert.equal(run('2 <= 2 and 3 >= 3'), true);
});

test('evaluation errors point at the offending operator or call', () => {
  const cases: [string, number, RegExp][] = [
    ['"abc" - 1', 6, /'-' needs a number, not string "abc"/],
    ['1 + true', 2, /Cannot add number 1 and boolean true/],
    ['x < true', 2, /Cannot compare null < boolean true/],
    ['open("nope")', 0, /No schedule named "nope"/],
    ['lower([1])', 0, /lower\(\) needs text, not a list/],
    ['1 in 2', 2, /'in' needs a list or text/],
  ];
  for (const [source, offset, reason] of cases) {
    assert.throws(() => run(source), (e: unknown) => {
      assert.ok(e instanceof FlowExpressionError, String(e));
      assert.equal(e.offset, offset, `${source}: ${e.message}`);
      assert.match(e.reason, reason);
      assert.equal(e.source, source);
      return true;
    });
  }
});
