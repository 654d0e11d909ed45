import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { RtpPortAllocator } from './port-allocator.js';
import { isSwitchboardError } from '../../common/index.js';

function randomBase(): number {
  return 30000 + 2 * Math.floor(Math.random() * 12000);
}

function occupy(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(port, '127.0.0.1', () => resolve(s));
  });
}

test('pairs are even RTP + odd RTCP, both bound, and come back after release', async () => {
  const base = randomBase();
  const alloc = new RtpPortAllocator({ bindHost: '127.0.0.1', portMin: base - 1, portMax: base + 3 });
  assert.equal(alloc.capacity, 2);
  const a = await alloc.allocate();
  const b = await alloc.allocate();
  for (const p of [a, b]) {
    assert.equal(p.rtpPort % 2, 0);
    assert.equal(p.rtcpPort, p.rtpPort + 1);
    assert.equal(p.rtp.address().port, p.rtpPort);
    assert.equal(p.rtcp.address().port, p.rtcpPort);
  }
  assert.deepEqual([a.rtpPort, b.rtpPort].sort(), [base, base + 2]);
  await assert.rejects(alloc.allocate(), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_RTP_NO_PORTS'));
  await alloc.release(a);
  assert.equal(alloc.inUse, 1);
  const c = await alloc.allocate();
  assert.equal(c.rtpPort, a.rtpPort);
  await alloc.release(b);
  await alloc.release(c);
  assert.equal(alloc.inUse, 0);
});

test('a pair whose RTP or RTCP port is taken by someone else is skipped', async () => {
  const base = randomBase();
  const busy = await occupy(base + 1);
  const alloc = new RtpPortAllocator({ bindHost: '127.0.0.1', portMin: base, portMax: base + 3 });
  try {
    const p = await alloc.allocate();
    assert.equal(p.rtpPort, base + 2);
    await assert.rejects(alloc.allocate(), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_RTP_NO_PORTS'));
    await alloc.release(p);
  } finally {
    busy.close();
  }
});

test('concurrent allocations never hand out the same pair', async () => {
  const base = randomBase();
  const alloc = new RtpPortAllocator({ bindHost: '127.0.0.1', portMin: base, portMax: base + 7 });
  const pairs = await Promise.all([alloc.allocate(), alloc.allocate(), alloc.allocate()]);
  assert.equal(new Set(pairs.map((p) => p.rtpPort)).size, 3);
  await Promise.all(pairs.map((p) => alloc.release(p)));
});

test('a range without an even/odd pair is refused at construction', () => {
  assert.throws(() => new RtpPortAllocator({ bindHost: '127.0.0.1', portMin: 40001, portMax: 40001 }), RangeError);
  assert.throws(() => new RtpPortAllocator({ bindHost: '127.0.0.1', portMin: 80, portMax: 90 }), RangeError);
});
