import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlowText } from '../schema/index.js';
import { staticPrompts } from './static-prompts.js';

const FLOW = `
name: t
numbers: [t]
start: hello
escape: false
nodes:
  hello:
    type: say
    prompt: "Hello <break 300ms/> there."
    next: time
  time:
    type: say
    prompt: ["The time is", "{{ now }}"]
    next: ask
  ask:
    type: menu
    prompt: "Press 1, {{ caller }}."
    invalidPrompt: Not that one.
    options: { "1": bye }
    fallback: bye
  bye:
    type: hangup
    prompt: Bye.
`;

test('fixed prompts are rendered as the runtime renders them; templated ones only by their fixed parts', () => {
  const loaded = parseFlowText(FLOW, 't.yaml');
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
  const byName = new Map(staticPrompts(loaded.flow).map((p) => [p.name, p.sources]));
  assert.deepEqual(byName.get('hello'), [
    { kind: 'tts', text: 'Hello', voice: 'slt' }, { kind: 'silence', durationMs: 300 }, { kind: 'tts', text: 'there.', voice: 'slt' },
  ]);
  assert.deepEqual(byName.get('time.part1'), [{ kind: 'tts', text: 'The time is', voice: 'slt' }]);
  assert.equal(byName.has('time'), false);
  assert.equal(byName.has('time.part2'), false);
  assert.equal(byName.has('ask'), false, 'a prompt made of one templated part has nothing fixed');
  assert.deepEqual(byName.get('ask.invalidPrompt'), [{ kind: 'tts', text: 'Not that one.', voice: 'slt' }]);
  assert.deepEqual(byName.get('bye'), [{ kind: 'tts', text: 'Bye.', voice: 'slt' }]);
  assert.ok(byName.has('default.noInput'));
});

test('an ask\'s default confirmation is rendered for every value it can name', () => {
  const loaded = parseFlowText(`numbers: [t]
escape: false
slots:
  department: { type: enum, values: { billing: [bills], sales: [] } }
intents:
  department: { examples: ["{department}"] }
  agent: { examples: ["a person"] }
start: ask
nodes:
  ask: { type: ask, prompt: Which one?, intents: { department: bye, agent: bye } }
  custom: { type: ask, prompt: Which one?, confirm: "Really {{ department }}?", intents: { department: bye } }
  bye: { type: hangup }
`, 't.yaml');
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
  const names = staticPrompts(loaded.flow).map((p) => p.name).filter((n) => n.includes('confirm'));
  assert.deepEqual(names, ['ask.confirm.billing', 'ask.confirm.sales', 'ask.confirm.agent']);
  assert.deepEqual(staticPrompts(loaded.flow).find((p) => p.name === 'ask.confirm.sales')?.sources, [{ kind: 'tts', text: 'Did you say sales?', voice: 'slt' }]);
});
