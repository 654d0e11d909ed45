import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrustrationScorer } from './frustration-scorer.js';

test('a plain request is not frustrated; negative words and asking for a person are', () => {
  const scorer = new FrustrationScorer();
  assert.deepEqual(scorer.score('billing please'), { sentiment: 1, escalation: [], frustrated: false });
  const useless = scorer.score('This is useless!');
  assert.ok(useless.sentiment < 0, JSON.stringify(useless));
  assert.deepEqual(useless.escalation, ['this is useless']);
  assert.equal(useless.frustrated, true);
  assert.deepEqual(scorer.score('can I talk to a real person'), { sentiment: 0, escalation: ['real person'], frustrated: true });
  assert.equal(scorer.score('this is terrible').frustrated, true, 'a clearly negative word alone');
});

test('phrases match whole words in order, not inside other words', () => {
  const scorer = new FrustrationScorer();
  assert.deepEqual(scorer.score('agents of change').escalation, []);
  assert.deepEqual(scorer.score('person a').escalation, []);
  assert.deepEqual(scorer.score('an AGENT, please').escalation, ['agent']);
});

test('the threshold and the phrase list are the flow owner\'s to set; nothing heard scores zero', () => {
  const strict = new FrustrationScorer({ frustratedAtOrBelow: -4, escalationPhrases: ['supervisor'] });
  assert.equal(strict.score('this is terrible').frustrated, false, '-3 is above -4');
  assert.equal(strict.score('get me a supervisor').frustrated, true);
  assert.equal(strict.score('operator').frustrated, false, 'not in this list');
  assert.deepEqual(strict.score(''), { sentiment: 0, escalation: [], frustrated: false });
});
