import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateGrammar } from '../../speech/index.js';
import { formatDiagnostic, parseFlowText, type AskNode, type FlowDocument } from './index.js';

function load(text: string): FlowDocument {
  const r = parseFlowText(text, '/flows/spoken.yaml');
  if (!r.ok) assert.fail(`expected the flow to load:\n${r.errors.map(formatDiagnostic).join('\n')}`);
  return r.flow;
}

function ask(flow: FlowDocument, id = 'ask'): AskNode {
  const node = flow.nodes[id];
  assert.equal(node.type, 'ask');
  return node as AskNode;
}

/** Each error as "line:column CODE message". */
function errors(text: string): string[] {
  const r = parseFlowText(text, '/flows/spoken.yaml');
  if (r.ok) assert.fail('expected the flow to be refused');
  return r.errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
}

const SLOTS = `slots:
  day: { type: date }
  born: { type: date, prefer: past }
  total: { type: amount, max: 500 }
  tip: { type: amount }
  account: { type: digits, minLength: 6, maxLength: 8 }
  department: { type: enum, values: { billing: [bills], sales: [] } }
`;

describe('date and amount slots, and spoken slots in ask examples', () => {
  it('loads date slots (prefer future by default) and amount slots (max optional)', () => {
    const flow = load(`${SLOTS}start: main\nnodes:\n  main: { type: hangup }\n`);
    assert.deepEqual(flow.slots.day, { type: 'date', prefer: 'future' });
    assert.deepEqual(flow.slots.born, { type: 'date', prefer: 'past' });
    assert.deepEqual(flow.slots.total, { type: 'amount', max: 500 });
    assert.deepEqual(flow.slots.tip, { type: 'amount' });
  });

  it('keeps digits, date and amount placeholders in the phrases, declared as grammar slots; enum ones are expanded', () => {
    const flow = load(`${SLOTS}intents:
  pay: { examples: ["pay {total}", "pay {total} to {department}", "pay {total} from {account} on {day}"] }
  rebook: { examples: ["{day}", "deliver it on {day}"] }
start: ask
nodes:
  ask: { type: ask, prompt: How can I help?, intents: { pay: done, rebook: done } }
  done: { type: hangup }
`);
    const node = ask(flow);
    assert.deepEqual(node.grammar.options, [
      { value: 'pay', phrases: ['pay {total}', 'pay {total} to billing', 'pay {total} to bills', 'pay {total} to sales', 'pay {total} from {account} on {day}'] },
      { value: 'rebook', phrases: ['{day}', 'deliver it on {day}'] },
    ]);
    assert.deepEqual(node.grammar.slots, {
      total: { kind: 'amount', maxAmount: 500 }, account: { kind: 'digits', minLength: 6, maxLength: 8 }, day: { kind: 'date' },
    });
    assert.deepEqual(node.requiredSlots, { pay: ['total'], rebook: ['day'] });
    validateGrammar(node.grammar);
  });

  it('leaves the grammar without slots when the ask\'s examples name only enum slots', () => {
    const flow = load(`${SLOTS}intents:
  department: { examples: ["{department}"] }
start: ask
nodes:
  ask: { type: ask, prompt: Which department?, intents: { department: done } }
  done: { type: hangup }
`);
    assert.deepEqual(ask(flow).grammar, { kind: 'options', options: [{ value: 'department', phrases: ['billing', 'bills', 'sales'] }] });
  });

  it('reports bad date and amount settings where they are written', () => {
    assert.deepEqual(errors(`slots:
  a: { type: date, prefer: soon }
  f: { type: amount, max: "ten" }
start: main
nodes:
  main: { type: hangup }
`), [
      "2:28 SWB_FLOW_INVALID_VALUE 'prefer': text 'soon' is not one of 'future', 'past'",
      "3:27 SWB_FLOW_INVALID_VALUE 'max': expected a number, got text 'ten'",
    ]);
    assert.deepEqual(errors(`slots:
  b: { type: amount, max: 0 }
  c: { type: amount, max: 2000000 }
  d: { type: amount, prefer: future }
  e: { type: date, max: 10 }
start: main
nodes:
  main: { type: hangup }
`), [
      '2:27 SWB_FLOW_INVALID_VALUE max must be a number > 0, got 0',
      '3:27 SWB_FLOW_INVALID_VALUE max (2000000) is more than the 999999.99 speech input reads',
      "4:22 SWB_FLOW_INVALID_VALUE 'prefer' does not go with type: amount",
      "5:20 SWB_FLOW_INVALID_VALUE 'max' does not go with type: date",
    ]);
  });

  it('refuses two intents of one ask whose phrases differ only in which slot of the same kind they name', () => {
    assert.deepEqual(errors(`slots:
  day: { type: date }
  when: { type: date }
intents:
  rebook: { examples: ["on {day}"] }
  remind: { examples: ["on {when}", "remind me on {when}"] }
start: ask
nodes:
  ask: { type: ask, prompt: What now?, intents: { rebook: done, remind: done } }
  done: { type: hangup }
`), [
      "9:65 SWB_FLOW_INVALID_VALUE 'on {when}' is an example of both intent 'rebook' and 'remind': the answer would be ambiguous",
    ]);
  });
});
