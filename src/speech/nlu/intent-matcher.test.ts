import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '../../common/index.js';
import { IntentMatcher, type NluDefinition } from './index.js';

const ROUTING: NluDefinition = {
  intents: [
    { name: 'route', examples: ['{department}', 'I want to talk to {department}', 'connect me to {department}'] },
    { name: 'pay', examples: ['I want to pay my bill', 'make a payment', 'pay {amount}'] },
    { name: 'check-order', examples: ['where is my order', 'order status', 'track order {order}'] },
    { name: 'confirm', examples: ['{answer}'] },
  ],
  slots: {
    department: { type: 'enum', values: { billing: ['bills', 'invoice'], sales: ['buy'], operator: ['agent', 'a person'] } },
    order: { type: 'digits', minLength: 4, maxLength: 8 },
    amount: { type: 'digits', minLength: 1, maxLength: 6 },
    answer: { type: 'yes-no' },
  },
};

describe('IntentMatcher', () => {
  const matcher = new IntentMatcher(ROUTING);

  it('routes a synonym through a slot placeholder, with carrier words ignored', () => {
    const m = matcher.match("um, I'd like to talk to the bills please", 0.9);
    assert.equal(m.intent, 'route');
    assert.deepEqual(m.slots.department, { value: 'billing', text: 'bills', confidence: 0.9 });
    assert.ok(m.confidence > 0.6, `confidence ${m.confidence}`);
    assert.equal(m.needsConfirmation, false);
  });

  it('prefers the longest synonym and folds plurals', () => {
    const m = matcher.match('a person');
    assert.equal(m.slots.department.value, 'operator');
    assert.equal(m.slots.department.text, 'a person');
  });

  it('reads spoken and written digit strings, with double/triple', () => {
    const m = matcher.match('track order four oh double five 9');
    assert.equal(m.intent, 'check-order');
    assert.equal(m.slots.order.value, '40559');
    const short = matcher.match('track order one two');
    assert.equal(short.slots.order, undefined, 'two digits is below minLength 4');
  });

  it('matches intents without slots by word overlap', () => {
    const m = matcher.match('where is my order');
    assert.equal(m.intent, 'check-order');
    assert.equal(matcher.match('I would like to make a payment').intent, 'pay');
  });

  it('fills yes/no, negative phrases included', () => {
    assert.equal(matcher.match('yeah that is right').slots.answer.value, 'yes');
    assert.equal(matcher.match('no, not really').slots.answer.value, 'no');
    assert.equal(matcher.match('yeah').intent, 'confirm');
  });

  it('returns no intent for unrelated speech and marks low ASR confidence for confirmation', () => {
    const none = matcher.match('the weather is lovely today');
    assert.equal(none.intent, null);
    assert.equal(none.needsConfirmation, false);
    const unsure = matcher.match('billing', 0.4);
    assert.equal(unsure.intent, 'route');
    assert.equal(unsure.needsConfirmation, true);
    assert.ok(Math.abs(unsure.confidence - 0.4) < 1e-9);
  });

  it('lists the other intents that scored', () => {
    const m = matcher.match('pay order');
    assert.ok(m.intent === 'pay' || m.intent === 'check-order');
    assert.equal(m.alternatives.length, 1);
    assert.equal(m.needsConfirmation, true, 'two intents this close need confirming');
  });

  it('rejects an invalid definition, naming every problem', () => {
    assert.throws(
      () => new IntentMatcher({ intents: [{ name: 'a', examples: ['go {nowhere}'] }, { name: 'a', examples: [] }], confirmBelow: 2 }),
      (e: unknown) => isSwitchboardError(e, 'SWB_ERR_NLU_DEFINITION')
        && /unknown slot \{nowhere\}/.test((e as Error).message)
        && /appears twice/.test((e as Error).message)
        && /at least one example/.test((e as Error).message)
        && /confirmBelow/.test((e as Error).message),
    );
  });
});
