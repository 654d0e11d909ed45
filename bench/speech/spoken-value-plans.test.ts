import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../dtmf/dtmf-battery.js';
import { cardinalPrompts, ordinalPrompts, planAmounts, planDates } from './spoken-value-plans.js';

describe('spoken value plans', () => {
  it('says ordinal days with the recordings the package has', () => {
    assert.deepEqual(ordinalPrompts(3), ['digits/h-3']);
    assert.deepEqual(ordinalPrompts(20), ['digits/h-20']);
    assert.deepEqual(ordinalPrompts(21), ['digits/20', 'digits/h-1']);
    assert.deepEqual(ordinalPrompts(30), ['digits/h-30']);
  });

  it('says cardinals up to 999', () => {
    assert.deepEqual(cardinalPrompts(7), ['digits/7']);
    assert.deepEqual(cardinalPrompts(42), ['digits/40', 'digits/2']);
    assert.deepEqual(cardinalPrompts(300), ['digits/3', 'digits/hundred']);
    assert.deepEqual(cardinalPrompts(515), ['digits/5', 'digits/hundred', 'digits/15']);
    assert.deepEqual(cardinalPrompts(980), ['digits/9', 'digits/hundred', 'digits/80']);
  });

  it('plans dates as month + day with their canonical value, then the relative days', () => {
    const plans = planDates(5, seededRandom(1));
    assert.equal(plans.length, 8);
    for (const p of plans.slice(0, 5)) {
      const [, mm, dd] = /^--(\d\d)-(\d\d)$/.exec(p.expect) ?? [];
      assert.ok(mm !== undefined, p.expect);
      assert.equal(p.prompts[0], `digits/mon-${Number(mm) - 1}`);
      assert.deepEqual(p.prompts.slice(1), ordinalPrompts(Number(dd)));
      assert.equal(p.pausesMs.length, p.prompts.length - 1);
    }
    assert.deepEqual(plans.slice(5).map((p) => p.expect), ['today', 'tomorrow', 'yesterday']);
  });

  it('plans whole-dollar amounts ending in "dollars"', () => {
    for (const p of planAmounts(10, seededRandom(2))) {
      assert.match(p.expect, /^\d{1,3}\.00$/);
      assert.deepEqual(p.prompts, [...cardinalPrompts(Number(p.expect.slice(0, -3))), 'digits/dollars']);
    }
  });
});
