import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestName, compareDiagnostics, didYouMean, formatDiagnostic } from './diagnostics.js';
import { checkExpression } from './expression-check.js';
import type { FlowDiagnostic } from './flow-types.js';

const d = (file: string, line: number, column: number, severity: 'error' | 'warning' = 'error'): FlowDiagnostic =>
  ({ file, line, column, code: 'SWB_FLOW_UNKNOWN_NODE', message: 'm', severity });

describe('diagnostics', () => {
  it('formats like a compiler', () => {
    const diag: FlowDiagnostic = {
      file: 'flows/demo.yaml', line: 12, column: 5, code: 'SWB_FLOW_UNKNOWN_NODE',
      message: "next 'mian' is not a node (did you mean 'main'?)", severity: 'error',
    };
    assert.equal(formatDiagnostic(diag), "flows/demo.yaml:12:5: error SWB_FLOW_UNKNOWN_NODE: next 'mian' is not a node (did you mean 'main'?)");
  });

  it('sorts by file, line, column, errors first', () => {
    const sorted = [d('b', 1, 1), d('a', 2, 1), d('a', 1, 9), d('a', 1, 9, 'warning'), d('a', 1, 2, 'warning')]
      .sort((x, y) => compareDiagnostics(y, x)).sort(compareDiagnostics);
    assert.deepEqual(sorted.map((x) => `${x.file}${x.line}:${x.column}${x.severity[0]}`), ['a1:2w', 'a1:9e', 'a1:9w', 'a2:1e', 'b1:1e']);
  });

  it('suggests close names (a swap of neighbours is one edit) and nothing for distant ones', () => {
    assert.equal(closestName('mian', ['menu', 'main', 'time']), 'main');
    assert.equal(closestName('fallbak', ['fallback', 'prompt']), 'fallback');
    assert.equal(closestName('xyz', ['main', 'time']), undefined);
    assert.equal(didYouMean('Sales', ['sales']), " (did you mean 'sales'?)");
    assert.equal(didYouMean('q', []), '');
  });
});

describe('checkExpression', () => {
  it('lists variables (vars.x as x) and literal schedule names with offsets', () => {
    const r = checkExpression('open("office") and vars.tries < 3 or caller in ["1", x]');
    assert.ok(r.ok);
    assert.deepEqual(r.facts.schedules, [{ name: 'office', offset: 5 }]);
    assert.deepEqual(r.facts.variables.map((v) => v.name), ['tries', 'caller', 'x']);
    assert.equal(r.facts.variables[2].offset, 53);
  });

  it('reports the offset of a syntax error', () => {
    const r = checkExpression('hour() >= 9 && hour() < 17');
    assert.ok(!r.ok);
    assert.equal(r.offset, 12);
    assert.match(r.message, /use 'and'/);
  });
});
