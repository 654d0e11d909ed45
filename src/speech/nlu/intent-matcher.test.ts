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

describe('IntentMatcher: dates and amounts', () => {
  const ORDERS: NluDefinition = {
    intents: [
      { name: 'pay', examples: ['pay {amount}', 'I want to pay {amount}'] },
      { name: 'deliver', examples: ['deliver it on {date}', 'I would like it delivered {date}'] },
      { name: 'birthday', examples: ['I was born on {birthday}', 'my birthday is {birthday}'] },
      { name: 'order', examples: ['order number {order}'] },
    ],
    slots: {
      amount: { type: 'amount', maxAmount: 5000 },
      date: { type: 'date' },
      birthday: { type: 'date', prefer: 'past' },
      order: { type: 'digits', minLength: 4, maxLength: 8 },
    },
  };
  const matcher = new IntentMatcher(ORDERS);
  // 2027-03-10 is a Wednesday.
  const today = '2027-03-10';

  it('fills an amount from spoken and typed forms', () => {
    for (const [text, value, said] of [
      ['I want to pay forty two dollars fifty', '42.50', 'forty two dollars fifty'],
      ['pay forty two dollars and fifty cents please', '42.50', 'forty two dollars and fifty cents'],
      ['um pay forty two fifty', '42.50', 'forty two fifty'],
      ['pay seventy five cents', '0.75', 'seventy five cents'],
      ['pay a hundred and twenty', '120.00', 'a hundred and twenty'],
      ['I want to pay $42.50.', '42.50', '$42.50'],
      ['pay 42 dollars', '42.00', '42 dollars'],
      ['pay 1,200.00 now', '1200.00', '1,200.00'],
    ] as const) {
      const m = matcher.match(text, 0.9, { today });
      assert.equal(m.intent, 'pay', text);
      assert.deepEqual(m.slots.amount, { value, text: said, confidence: 0.9 }, text);
    }
  });

  it('refuses an amount above maxAmount without keeping a piece of it', () => {
    const m = matcher.match('pay six thousand dollars', 1, { today });
    assert.equal(m.slots.amount, undefined, JSON.stringify(m.slots));
  });

  it('fills a date resolved against today, forward by default and backward for prefer: past', () => {
    for (const [text, value, said] of [
      ['deliver it on March the third', '2028-03-03', 'march the third'],
      ['deliver it on the fifteenth of June', '2027-06-15', 'the fifteenth of june'],
      ['I would like it delivered tomorrow', '2027-03-11', 'tomorrow'],
      ['deliver it next Friday please', '2027-03-19', 'next friday'],
      ['deliver it on Friday', '2027-03-12', 'friday'],
      ['deliver it on March 20th, 2027', '2027-03-20', 'march 20th 2027'],
      ['deliver it on 2027-04-01', '2027-04-01', '2027-04-01'],
    ] as const) {
      const m = matcher.match(text, 1, { today });
      assert.equal(m.intent, 'deliver', text);
      assert.deepEqual(m.slots.date, { value, text: said, confidence: 1 }, text);
    }
    const born = matcher.match('my birthday is July fourth', 1, { today });
    assert.equal(born.intent, 'birthday');
    assert.equal(born.slots.birthday.value, '2026-07-04');
    assert.equal(matcher.match('I was born on the fourth of July nineteen seventy six', 1, { today }).slots.birthday.value, '1976-07-04');
  });

  it('finds no date in a date no calendar has', () => {
    assert.equal(matcher.match('deliver it on February thirtieth', 1, { today }).slots.date, undefined);
    assert.equal(matcher.match('deliver it on February twenty ninth', 1, { today: '2027-01-05' }).slots.date, undefined, '2027 has none');
    assert.equal(matcher.match('deliver it on February twenty ninth', 1, { today: '2028-01-05' }).slots.date?.value, '2028-02-29');
  });

  it('keeps digit strings, dates and amounts in one utterance apart', () => {
    const m = matcher.match('order number 4 1 7 2, pay 42.50 and deliver it on March third', 1, { today });
    assert.equal(m.slots.order.value, '4172');
    assert.equal(m.slots.amount.value, '42.50');
    assert.equal(m.slots.date.value, '2028-03-03');
  });

  it('resolves against the current UTC date by default and rejects a malformed today', () => {
    const utcToday = new Date().toISOString().slice(0, 10);
    assert.equal(matcher.match('deliver it today').slots.date.value, utcToday);
    assert.throws(() => matcher.match('deliver it today', 1, { today: '03/10/2027' }), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_NLU_INPUT'));
  });

  it('validates date and amount slots', () => {
    assert.throws(
      () => new IntentMatcher({
        intents: [{ name: 'a', examples: ['{d} {m}'] }],
        slots: { d: { type: 'date', prefer: 'soon' as never }, m: { type: 'amount', maxAmount: 0 }, x: { type: 'time' } as never },
      }),
      (e: unknown) => isSwitchboardError(e, 'SWB_ERR_NLU_DEFINITION')
        && /slots\.d\.prefer: must be "future" or "past"/.test((e as Error).message)
        && /slots\.m\.maxAmount: must be a number > 0/.test((e as Error).message)
        && /slots\.x\.type: must be "enum", "digits", "yes-no", "date" or "amount"/.test((e as Error).message),
    );
  });
});
