import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '../../common/index.js';
import { DecoderPool } from './index.js';

class FakeDecoder {
  currentGrammar: string | null = null;
  deleted = false;
  resets = 0;
  failReset = false;
  constructor(readonly id: number) {}
  reset(): void {
    if (this.failReset) throw new Error('reset failed');
    this.resets++;
  }
  delete(): void {
    this.deleted = true;
  }
}

function pool(options = {}) {
  let n = 0;
  return new DecoderPool(() => new FakeDecoder(++n), options);
}

describe('DecoderPool', () => {
  it('builds minIdle up front and reuses released decoders instead of building more', () => {
    const p = pool({ minIdle: 1 });
    assert.equal(p.builtCount, 1);
    for (let i = 0; i < 5; i++) p.release(p.acquire());
    assert.equal(p.builtCount, 1);
    const a = p.acquire();
    const b = p.acquire();
    assert.notEqual(a, b);
    assert.equal(p.builtCount, 2);
    assert.equal(p.activeCount, 2);
  });

  it('prefers an idle decoder already set up for the grammar', () => {
    const p = pool({ minIdle: 3 });
    const [x, y, z] = [p.acquire(), p.acquire(), p.acquire()];
    x.currentGrammar = 'A';
    y.currentGrammar = 'B';
    z.currentGrammar = 'C';
    [x, y, z].forEach((d) => p.release(d));
    assert.equal(p.acquire('B'), y);
    assert.equal(p.acquire('A'), x);
  });

  it('fails with SWB_ERR_ASR_BUSY at maxSize and recovers after a release', () => {
    const p = pool({ minIdle: 0, maxSize: 2 });
    const a = p.acquire();
    p.acquire();
    assert.throws(() => p.acquire(), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_ASR_BUSY'));
    p.release(a);
    assert.equal(p.acquire(), a);
  });

  it('deletes idle decoders on close and active ones when released', () => {
    const p = pool({ minIdle: 2 });
    const active = p.acquire();
    const idle = p.acquire();
    p.release(idle);
    p.close();
    assert.equal(idle.deleted, true);
    assert.equal(active.deleted, false);
    p.release(active);
    assert.equal(active.deleted, true);
    assert.throws(() => p.acquire(), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_ASR_STATE'));
  });

  it('resets a decoder each time it is handed out again, not when freshly built', () => {
    const p = pool({ minIdle: 0 });
    const d = p.acquire();
    assert.equal(d.resets, 0);
    p.release(d);
    assert.equal(p.acquire(), d);
    assert.equal(d.resets, 1);
    p.release(d);
    p.acquire();
    assert.equal(d.resets, 2);
  });

  it('deletes a decoder whose reset fails instead of handing it out', () => {
    const p = pool({ minIdle: 1 });
    const d = p.acquire();
    p.release(d);
    d.failReset = true;
    assert.throws(() => p.acquire(), /reset failed/);
    assert.equal(d.deleted, true);
    assert.equal(p.idleCount + p.activeCount, 0);
    const next = p.acquire();
    assert.notEqual(next, d);
    assert.equal(next.deleted, false);
  });
});
