import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic, parseFlowText, type FlowDocument } from '../schema/index.js';
import { lintFlow } from './index.js';

function load(text: string): FlowDocument {
  const r = parseFlowText(text, '/flows/speech.yaml');
  if (!r.ok) assert.fail(r.errors.map(formatDiagnostic).join('\n'));
  return r.flow;
}

const codes = (flow: FlowDocument) => lintFlow(flow).map((d) => `${d.code} ${d.line}:${d.column}`);

const SPEECH = `numbers: ["1"]
slots:
  department: { type: enum, values: { billing: [bills], sales: [buy] } }
intents:
  department: { examples: ["{department}"] }
`;

describe('lintFlow and speech', () => {
  it('follows an ask to its intents\' nodes and its keys node, and knows the slot variables it stores', () => {
    const flow = load(`${SPEECH}escape: { to: human }
start: ask
nodes:
  ask:
    type: ask
    prompt: Which department?
    intents: { department: route }
    keys: menu
  menu:
    type: menu
    prompt: Press 1.
    options: { "1": route }
  route: { type: hangup, prompt: "To {{ department }}." }
  human: { type: hangup }
`);
    assert.deepEqual(codes(flow), []);
  });

  it('counts speech.operator as a way in, and warns about an ask with no way to a human', () => {
    const withOperator = load(`${SPEECH}escape: false
speech: { operator: human }
start: ask
nodes:
  ask: { type: ask, prompt: Which department?, intents: { department: route } }
  route: { type: hangup }
  human: { type: hangup }
`);
    assert.deepEqual(codes(withOperator), ['SWB_FLOW_NO_ESCAPE 6:9'], 'the operator is reached, and the ask has a way out');
    const stranded = load(`${SPEECH}escape: false
start: ask
nodes:
  ask: { type: ask, prompt: Which department?, intents: { department: route }, timeout: 500ms }
  route: { type: hangup }
`);
    const found = lintFlow(stranded);
    assert.deepEqual(found.map((d) => d.code), ['SWB_FLOW_NO_ESCAPE', 'SWB_FLOW_NO_FALLBACK', 'SWB_FLOW_SHORT_TIMEOUT']);
    assert.match(found[1].message, /after 2 failed answers the call hangs up/);
  });

  it('warns about a speech menu with more than five options, as about any menu', () => {
    const options = [1, 2, 3, 4, 5, 6].map((k) => `"${k}": { to: done, speech: [option ${k}] }`).join(', ');
    const flow = load(`numbers: ["1"]
escape: { to: done }
start: main
nodes:
  main: { type: menu, prompt: Choose., input: speech, options: { ${options} }, fallback: done }
  done: { type: hangup }
`);
    assert.deepEqual(lintFlow(flow).map((d) => d.code), ['SWB_FLOW_TOO_MANY_OPTIONS']);
  });
});
