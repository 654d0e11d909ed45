import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePromptText, promptTemplates, type PromptTextResult } from './prompt-text.js';

function tokens(r: PromptTextResult) {
  if (!r.ok) assert.fail(`${r.message} at ${r.offset}`);
  return r.tokens;
}

describe('parsePromptText', () => {
  it('splits text, templates, breaks and say-as spans with offsets', () => {
    const text = 'Hi {{ caller }}.<break 500ms/>You owe <say-as currency>{{ amount }}</say-as>.';
    assert.deepEqual(tokens(parsePromptText(text)), [
      { kind: 'text', text: 'Hi ', offset: 0 },
      { kind: 'template', source: 'caller', offset: 6 },
      { kind: 'text', text: '.', offset: 15 },
      { kind: 'break', ms: 500, offset: 16 },
      { kind: 'text', text: 'You owe ', offset: 30 },
      { kind: 'say-as', as: 'currency', parts: [{ kind: 'template', source: 'amount', offset: 58 }], offset: 38 },
      { kind: 'text', text: '.', offset: 76 },
    ]);
    assert.equal(text.slice(58, 64), 'amount');
  });

  it('lists templates inside say-as spans too, and skips }} inside quoted strings', () => {
    const t = tokens(parsePromptText('<say-as digits>{{ entered }}</say-as> {{ "}}" + x }}'));
    assert.deepEqual(promptTemplates(t).map((x) => x.source), ['entered', '"}}" + x']);
  });

  it('leaves a lone < that starts no tag as text', () => {
    assert.deepEqual(tokens(parsePromptText('press 1 if < 5')), [{ kind: 'text', text: 'press 1 if < 5', offset: 0 }]);
  });

  it('refuses unknown tags, unknown say-as kinds, bad breaks, nesting and unclosed pieces', () => {
    const fail = (text: string) => {
      const r = parsePromptText(text);
      assert.ok(!r.ok, `expected ${JSON.stringify(text)} to be refused`);
      return r.ok ? '' : `${r.offset}: ${r.message}`;
    };
    assert.match(fail('Hi <emphasis>there</emphasis>'), /^3: <emphasis> is not a prompt tag/);
    assert.match(fail('<say-as money>5</say-as>'), /^0: <say-as money> is not one of/);
    assert.match(fail('wait<break 5 hours/>'), /^4: <break 5 hours\/>/);
    assert.match(fail('<say-as digits>12'), /is not closed/);
    assert.match(fail('<say-as digits><break 1s/>1</say-as>'), /cannot nest/);
    assert.match(fail('done</say-as>'), /^4: <\/say-as> without <say-as>/);
    assert.match(fail('Hi {{ caller'), /^3: '\{\{' is not closed/);
    assert.match(fail('Hi {{  }}'), /holds no expression/);
    assert.match(fail('Hi }} there'), /without '\{\{'/);
  });
});
