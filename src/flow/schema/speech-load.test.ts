import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic, parseFlowText, type FlowDiagnostic, type FlowDocument, type FlowLoadResult } from './index.js';

function ok(r: FlowLoadResult): FlowDocument {
  if (!r.ok) assert.fail(`expected the flow to load:\n${r.errors.map(formatDiagnostic).join('\n')}`);
  return r.flow;
}

/** Each error as "line:column CODE message". */
function errors(text: string): string[] {
  const r = parseFlowText(text, '/flows/speech.yaml');
  if (r.ok) assert.fail('expected the flow to be refused');
  return r.errors.map((d: FlowDiagnostic) => `${d.line}:${d.column} ${d.code} ${d.message}`);
}

const NODES = `start: ask
nodes:
  ask:
    type: ask
    prompt: Which department?
    intents: { department: done }
  done: { type: hangup }
`;

describe('speech keys of a flow', () => {
  it('fills an enum slot from a table, synonyms as a list or comma-separated text, and builds the ask grammar', () => {
    const flow = ok(parseFlowText(`tables:
  departments:
    billing: { synonyms: [bills, invoice] }
    support: { synonyms: "tech support, help" }
    sales: {}
slots:
  department: { type: enum, table: departments, synonyms: synonyms }
intents:
  department:
    examples: ["{department}", "put me through to {department}"]
speech: { timeout: 7s, confirmBelow: 0.5 }
${NODES}`, '/flows/speech.yaml'));
    assert.deepEqual(flow.slots.department, {
      type: 'enum', table: 'departments', values: { billing: ['bills', 'invoice'], support: ['tech support', 'help'], sales: [] },
    });
    assert.deepEqual(flow.speech, { failures: 2, confirmBelow: 0.5, timeoutMs: 7000 });
    const ask = flow.nodes.ask;
    assert.equal(ask.type, 'ask');
    if (ask.type !== 'ask') return;
    assert.equal(ask.timeoutMs, 7000, 'the ask waits speech.timeout by default');
    assert.deepEqual(ask.requiredSlots, { department: ['department'] });
    const phrases = ask.grammar.options[0].phrases ?? [];
    assert.equal(phrases.length, 14, 'two examples × (3 values + 4 synonyms)');
    assert.ok(phrases.includes('put me through to tech support'));
    assert.ok(phrases.includes('invoice'));
  });

  it('defaults the speech settings when the flow has none', () => {
    const flow = ok(parseFlowText('start: main\nnodes:\n  main: { type: hangup }\n', '/flows/plain.yaml'));
    assert.deepEqual(flow.speech, { failures: 2, confirmBelow: 0.8, timeoutMs: 5000 });
    assert.deepEqual([flow.slots, flow.intents], [{}, {}]);
  });

  it('reports slot mistakes where they are written', () => {
    assert.deepEqual(errors(`tables: { depts: { billing: { synonyms: 12 } } }
slots:
  department: { type: enum, table: departmnts }
  other: { type: enum, values: { a: [] }, table: depts }
  syn: { type: enum, table: depts, synonyms: synonyms }
  not: { type: yes-no }
  digits: { type: digits, minLength: 6, maxLength: 4, values: { a: [] } }
start: main
nodes:
  main: { type: hangup }
`), [
      "1:41 SWB_FLOW_INVALID_VALUE synonyms of 'billing' must be text (comma-separated) or a list of text",
      "3:36 SWB_FLOW_INVALID_VALUE table 'departmnts' is not in the flow's tables",
      "4:43 SWB_FLOW_INVALID_VALUE enum slot 'other' takes 'values' or 'table', not both",
      "6:3 SWB_FLOW_INVALID_ID slot 'not' is stored in a variable of its name: letters, digits and _, not a keyword or built-in",
      '7:38 SWB_FLOW_INVALID_VALUE minLength (6) is more than maxLength (4)',
      "7:55 SWB_FLOW_INVALID_VALUE 'values' does not go with type: digits",
    ]);
  });

  it('rejects yes-no slots in examples, unknown slots and intents, unclosed braces and an unknown operator', () => {
    assert.deepEqual(errors(`slots:
  agreed: { type: yes-no }
  department: { type: enum, values: { billing: [bills] } }
intents:
  account: { examples: ["my account is {agreed}"] }
  department: { examples: ["{department}", "to {dept}", "{department please"] }
speech: { operator: opertor }
start: ask
nodes:
  ask:
    type: ask
    prompt: Which department?
    intents: { department: done, acount: done }
  done: { type: hangup }
`), [
      '5:25 SWB_FLOW_INVALID_VALUE {agreed} is a yes-no slot, which examples cannot name: give yes and no intents of their own',
      "6:44 SWB_FLOW_UNKNOWN_SLOT {dept} is not one of the flow's slots",
      "6:57 SWB_FLOW_INVALID_VALUE '{department please' has a brace that does not close a {slot}",
      "7:21 SWB_FLOW_UNKNOWN_NODE speech.operator 'opertor' is not a node",
      "13:34 SWB_FLOW_UNKNOWN_INTENT intent 'acount' is not one of the flow's intents (did you mean 'account'?)",
    ]);
  });

  it('refuses one phrase in two intents of an ask, and points at unknown keys of speech settings with a suggestion', () => {
    const found = errors(`slots:
  department: { type: enum, values: { billing: [bills] } }
intents:
  department: { examples: ["{department}"] }
  pay: { examples: ["bills", "pay a bill"] }
speech: { failure: 3 }
start: ask
nodes:
  ask:
    type: ask
    prompt: Which department?
    intents: { department: done, pay: done }
  done: { type: hangup }
`);
    assert.deepEqual(found, [
      "6:11 SWB_FLOW_UNKNOWN_KEY unknown key 'failure' in 'speech' (did you mean 'failures'?)",
      "12:34 SWB_FLOW_INVALID_VALUE 'bills' is an example of both intent 'department' and 'pay': the answer would be ambiguous",
    ]);
  });

  it('needs phrases on every option of a speech menu, and none on a keys menu; speech gathers read at most 20 digits', () => {
    assert.deepEqual(errors(`start: main
nodes:
  main:
    type: menu
    prompt: Hello.
    input: both
    options:
      "1": done
      "2": { to: done, speech: [sales, "<b>"] }
      "3": { to: done, speech: [sales] }
  keys:
    type: menu
    prompt: Hello.
    options: { "1": { to: done, speech: [billing] } }
  number:
    type: gather
    prompt: Your number?
    input: speech
    maxDigits: 24
    into: n
    next: done
  done: { type: hangup, prompt: "{{ n }}" }
`), [
      "8:7 SWB_FLOW_MISSING_KEY option '1' of a menu with input: both needs 'speech' (what callers say for it)",
      "9:40 SWB_FLOW_INVALID_VALUE '<b>' is said by callers: no tags, braces or templates",
      "10:33 SWB_FLOW_INVALID_VALUE 'sales' is also said for option '2'",
      "14:33 SWB_FLOW_INVALID_VALUE 'speech' phrases are heard only in a menu with input: speech or both",
      '19:16 SWB_FLOW_INVALID_VALUE maxDigits (24) is more than the 20 digits speech input reads',
    ]);
  });

  it('refuses an input mode that does not exist', () => {
    assert.deepEqual(errors('start: main\nnodes:\n  main: { type: gather, prompt: P, into: x, input: voice }\n'), [
      "3:52 SWB_FLOW_INVALID_VALUE 'input': text 'voice' is not one of 'dtmf', 'speech', 'both'",
    ]);
  });
});
