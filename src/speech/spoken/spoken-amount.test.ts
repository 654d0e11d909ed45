import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpokenAmount } from './index.js';

const amount = (text: string): string | null => parseSpokenAmount(text.split(' '));

describe('parseSpokenAmount', () => {
  it('reads amounts with currency words', () => {
    for (const [text, value] of [
      ['forty two dollars fifty', '42.50'], ['forty two dollars and fifty cents', '42.50'], ['forty two dollars and fifty', '42.50'],
      ['forty two dollars fifty cents', '42.50'], ['forty two dollars five', '42.05'], ['forty two dollars', '42.00'],
      ['seventy five cents', '0.75'], ['a penny', '0.01'], ['one cent', '0.01'], ['fifty pence', '0.50'],
      ['one thousand two hundred dollars', '1200.00'], ['twelve hundred bucks', '1200.00'], ['a dollar', '1.00'],
      ['a buck fifty', '1.50'], ['two pounds fifty', '2.50'], ['ten euros', '10.00'], ['twelve point five dollars', '12.50'],
      ['nine hundred ninety nine thousand nine hundred ninety nine dollars and ninety nine cents', '999999.99'],
    ] as const) {
      assert.equal(amount(text), value, text);
    }
  });

  it('reads bare numbers: whole, with a point, and as a dollars-cents pair', () => {
    for (const [text, value] of [
      ['a hundred and twenty', '120.00'], ['a hundred twenty five', '125.00'], ['twelve point five', '12.50'],
      ['twelve point five zero', '12.50'], ['twelve point oh five', '12.05'], ['twelve point two five', '12.25'],
      ['forty two fifty', '42.50'], ['twelve fifty', '12.50'], ['one twenty five', '1.25'], ['nine ninety nine', '9.99'],
      ['a hundred twenty five fifty', '125.50'], ['twenty ten', '20.10'], ['zero', '0.00'],
    ] as const) {
      assert.equal(amount(text), value, text);
    }
  });

  it('reads typed amounts', () => {
    assert.equal(parseSpokenAmount(['$42.50']), '42.50');
    assert.equal(parseSpokenAmount(['42.50']), '42.50');
    assert.equal(parseSpokenAmount(['42.5']), '42.50');
    assert.equal(parseSpokenAmount(['$42']), '42.00');
    assert.equal(parseSpokenAmount(['42', 'dollars']), '42.00');
    assert.equal(parseSpokenAmount(['42', 'dollars', '50', 'cents']), '42.50');
    assert.equal(parseSpokenAmount(['£1,200.00']), '1200.00');
    assert.equal(parseSpokenAmount(['Forty-two', 'dollars,']), '42.00');
  });

  it('refuses garbage, malformed groups and out-of-range amounts', () => {
    for (const text of [
      'hello', 'forty two apples', 'dollars', 'dollars fifty', 'forty dollars fifty dollars', 'forty two dollars cents',
      'a hundred cents', 'one hundred and one cents', 'forty two oh five', 'forty two five', 'twelve point',
      'twelve point one two three', 'twelve point five dollars fifty', 'one million dollars', 'a thousand thousand',
      'forty two dollars and', 'and fifty cents', 'a', 'fifty fifty fifty', 'forty two dollars a hundred',
      'a dollars', 'a cents', 'a pence',
    ]) {
      assert.equal(amount(text), null, text);
    }
    assert.equal(parseSpokenAmount([]), null);
    assert.equal(parseSpokenAmount(['$1,000,000']), null, 'above 999999.99');
    assert.equal(parseSpokenAmount(['42.505']), null, 'three decimals');
    assert.equal(parseSpokenAmount(['42', '50']), null, 'typed digits are not said cents');
  });

  it('reads "fifty forty" as the pair rule says (fifty dollars forty), unlike the cardinal parser', () => {
    assert.equal(amount('fifty forty'), '50.40');
  });
});
