import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  SoundSwallowerRecognizer, type OptionsGrammar, type RecognitionGrammar, type RecognitionResult,
} from './index.js';
import { TelephoneSpeaker, concat, feed, silence } from './speech-fixtures.js';

/**
 * Dates, amounts and `{slot}` phrases heard from real speech: Flite through a G.711 telephone channel, decoded by
 * the real model. The rms voice is the one the model hears best; slt and kal speak the out-of-grammar sentences.
 */
const PAYMENTS: OptionsGrammar = {
  kind: 'options',
  options: [
    { value: 'pay', phrases: ['pay {amount}', 'i want to pay {amount}'] },
    { value: 'balance', phrases: ['balance', 'my balance'] },
    { value: 'agent', phrases: ['agent', 'representative'] },
  ],
  slots: { amount: { kind: 'amount' } },
};

describe('Spoken dates and amounts on SoundSwallower', () => {
  let recognizer: SoundSwallowerRecognizer;
  let speaker: TelephoneSpeaker;
  const say = (text: string, voice?: string): Promise<Int16Array> => speaker.say(text, voice);

  before(async () => {
    speaker = new TelephoneSpeaker('rms');
    recognizer = await SoundSwallowerRecognizer.create({ pool: { minIdle: 1 } });
  });

  after(async () => {
    recognizer.close();
    await speaker.close();
  });

  function recognize(grammar: RecognitionGrammar, pcm: Int16Array): RecognitionResult {
    let result: RecognitionResult | undefined;
    const r = recognizer.start(grammar, { result: (res) => { result = res; } });
    feed(r, concat(pcm, silence(3000)));
    assert.ok(result, 'a result arrives');
    return result;
  }

  it('hears dates said in several ways as their canonical value', async () => {
    for (const [text, value] of [
      ['March third', '--03-03'],
      ['the fifteenth of June', '--06-15'],
      ['on the third of March', '--03-03'],
      ['the twenty second of August twenty twenty seven', '2027-08-22'],
      ['next Monday', 'next-monday'],
      ['tomorrow', 'tomorrow'],
    ]) {
      const result = recognize({ kind: 'date' }, await say(text));
      assert.equal(result.status, 'match', `${text}: ${JSON.stringify(result)}`);
      assert.equal(result.value, value, `${text}: ${JSON.stringify(result)}`);
      assert.ok(result.confidence >= 0.5 && result.confidence <= 1);
    }
  });

  it('finds the date after a lead-in phrase', async () => {
    const result = recognize({ kind: 'date' }, await say("I'd like it delivered on March the third"));
    assert.equal(result.value, '--03-03', JSON.stringify(result));
    assert.match(result.text, /march the third$/);
  });

  it('hears amounts with and without currency words', async () => {
    for (const [text, value] of [
      ['forty two dollars fifty', '42.50'],
      ['forty two dollars and fifty cents', '42.50'],
      ['seventy five cents', '0.75'],
      ['a hundred and twenty dollars', '120.00'],
      ['twelve fifty', '12.50'],
      ["it's thirty dollars", '30.00'],
    ]) {
      const result = recognize({ kind: 'amount' }, await say(text));
      assert.equal(result.status, 'match', `${text}: ${JSON.stringify(result)}`);
      assert.equal(result.value, value, `${text}: ${JSON.stringify(result)}`);
    }
  });

  it('does not take an amount above maxAmount', async () => {
    const result = recognize({ kind: 'amount', maxAmount: 100 }, await say('a hundred and twenty dollars'));
    assert.equal(result.value, null, JSON.stringify(result));
    assert.equal(result.status, 'no-match');
  });

  it('hears an option phrase with its {amount} slot', async () => {
    const result = recognize(PAYMENTS, await say('pay forty two dollars fifty'));
    assert.equal(result.status, 'match', JSON.stringify(result));
    assert.equal(result.value, 'pay');
    assert.equal(result.text, 'pay forty two dollars fifty');
    assert.deepEqual(result.slots, { amount: '42.50' });
    assert.deepEqual(result.nBest[0].slots, { amount: '42.50' });
    const other = recognize(PAYMENTS, await say('I want to pay a hundred dollars'));
    assert.deepEqual([other.value, other.slots], ['pay', { amount: '100.00' }]);
    const balance = recognize(PAYMENTS, await say('my balance'));
    assert.deepEqual([balance.value, balance.slots], ['balance', undefined], 'options without slots still work');
  });

  it('rejects out-of-grammar speech instead of reading numbers into it', async () => {
    for (const text of ['what is the weather like tomorrow', 'my cat is sleeping on the couch']) {
      for (const voice of ['rms', 'slt', 'kal']) {
        const pcm = await say(text, voice);
        for (const grammar of [{ kind: 'date' }, { kind: 'amount' }, PAYMENTS] as RecognitionGrammar[]) {
          const result = recognize(grammar, pcm);
          assert.equal(result.status, 'no-match', `${text} (${voice}, ${grammar.kind}): ${JSON.stringify(result)}`);
          assert.equal(result.value, null);
        }
      }
    }
  });
});
