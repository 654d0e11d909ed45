import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSwitchboardError } from '../../common/index.js';
import { parseFlowText, type FlowDocument } from '../schema/index.js';
import { parseGoldenCase, renderGoldenCase } from './golden-case.js';
import { checkInputToken } from './scripted-call.js';
import { simulateFlow } from './simulate-flow.js';

function flow(yaml: string): FlowDocument {
  const r = parseFlowText(yaml, '/flows/sim.yaml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.flow;
}

const at = new Date('2026-11-21T10:00:00Z');

const CARD = flow(`
numbers: ["1"]
escape: { to: bye }
speech: { failures: 2 }
start: menu
nodes:
  menu:
    type: menu
    prompt: Welcome.
    input: both
    options: { "1": { to: card, say: To pay, speech: [pay, payment] } }
    fallback: bye
  card:
    type: gather
    prompt: Say or key your card number.
    input: both
    minDigits: 4
    maxDigits: 4
    sensitive: true
    into: card
    fallback: bye
    next: bye
  bye: { type: hangup, prompt: Bye. }
`);

test('speech in the transcript: what was listened for, what was heard (masked when sensitive), failures', async () => {
  const t = await simulateFlow(CARD, { inputs: ['say:Payment!', 'silence', 'say:one two three four'], startTime: at });
  assert.deepEqual(t.lines, [
    '[00:00.000] -> menu (menu)',
    '[00:00.000] LISTEN for 1, @person',
    '[00:00.000] SAY: Welcome.',
    '[00:00.000] SAY: To pay, say pay or press 1.',
    '[00:00.000] HEARD: "Payment!" (1.00) -> option 1',
    '[00:00.000] -> card (gather)',
    '[00:00.000] LISTEN for 4 digits',
    '[00:00.000] SAY: Say or key your card number.',
    '[00:05.000] HEARD: nothing (no input)',
    '[00:05.000] SPEECH FAILURE 1 of 2 (no-input)',
    '[00:05.000] LISTEN for 4 digits',
    "[00:05.000] SAY: Sorry, I didn't hear anything.",
    '[00:05.000] SAY: Say or key your card number.',
    '[00:05.000] HEARD: "****" (1.00) -> ****',
    '[00:05.000] -> bye (hangup)',
    '[00:05.000] SAY: Bye.',
    '[00:05.000] HANGUP',
    '[00:05.000] END: hangup',
    'ROUTE: menu > card > bye',
    'VARS: card="****"',
  ]);
  assert.deepEqual(t.result.transcript.map((turn) => turn.node), ['menu', 'card', 'card']);
});

test('keys end listening; a server without recognizer is said once and the inputs fall back to keys', async () => {
  const keyed = await simulateFlow(CARD, { inputs: ['1', '1234'], startTime: at });
  assert.ok(keyed.lines.includes('[00:00.000]   (interrupted by a key)'), keyed.text);
  assert.equal(keyed.result.variables.card, '****');
  const off = await simulateFlow(CARD, { inputs: ['1', '1234'], startTime: at, speech: 'unavailable' });
  assert.equal(off.lines.filter((l) => l.includes('SPEECH UNAVAILABLE')).length, 1, off.text);
  assert.ok(off.lines.includes('[00:00.000] SAY: To pay, press 1.'), 'the menu is worded for keys');
  assert.ok(!off.text.includes('LISTEN'));
});

test('speech tokens are checked up front, and one where the flow waits for keys is the script\'s error', async () => {
  for (const token of ['say:billing', 'say:billing@0.4', 'noise', 'silence']) assert.doesNotThrow(() => checkInputToken(token), token);
  assert.throws(() => checkInputToken('say:'), /speech \(say:<words>/);
  const keysOnly = flow('start: m\nnodes:\n  m: { type: menu, prompt: P, options: { "1": b } }\n  b: { type: hangup }\n');
  await assert.rejects(simulateFlow(keysOnly, { inputs: ['say:one'], startTime: at }), (e: unknown) => isSwitchboardError(e) && /waits for keys/.test(e.message));
  await assert.rejects(simulateFlow(CARD, { inputs: ['busy'], startTime: at }), (e: unknown) => isSwitchboardError(e) && /listens for speech/.test(e.message));
});

test('golden cases may say the server has no speech recognizer', async () => {
  const c = parseGoldenCase('# inputs: 1\n# at: 2026-11-21T10:00:00Z\n# speech: unavailable\n', 'x');
  assert.equal(c.speechUnavailable, true);
  assert.match(renderGoldenCase(c, await simulateFlow(CARD, { inputs: c.inputs, startTime: c.at, speech: 'unavailable' })), /^# speech: unavailable$/m);
  assert.throws(() => parseGoldenCase('# inputs: 1\n# at: 2026-11-21T10:00:00Z\n# speech: off\n', 'x'), /can only be "unavailable"/);
});
