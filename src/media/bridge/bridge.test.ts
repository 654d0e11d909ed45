import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RelayStream, relayG711Payload } from './relay-stream.js';
import { bridgeLegs, unbridgeLeg, type BridgeLeg } from './media-bridge.js';
import { ALAW_TO_MULAW, MULAW_TO_ALAW, linearToMuLaw } from '../codec/index.js';
import { isSwitchboardError } from '../../common/index.js';

test('PCMU→PCMA and back by table, same law copied verbatim', () => {
  const src = Buffer.from([0, 0x7f, 0x80, 0xff, linearToMuLaw(1000), linearToMuLaw(-1000)]);
  const dst = Buffer.alloc(10, 0xee);
  relayG711Payload(src, 1, 5, 'pcmu', dst, 2, 'pcma');
  assert.deepEqual([...dst.subarray(2, 7)], [...src.subarray(1)].map((b) => MULAW_TO_ALAW[b]));
  assert.equal(dst[1], 0xee);
  assert.equal(dst[7], 0xee);
  const back = Buffer.alloc(5);
  relayG711Payload(dst, 2, 5, 'pcma', back, 0, 'pcmu');
  assert.deepEqual([...back], [...dst.subarray(2, 7)].map((b) => ALAW_TO_MULAW[b]));
  const same = Buffer.alloc(6);
  relayG711Payload(src, 0, 6, 'pcma', same, 0, 'pcma');
  assert.deepEqual(same, src);
});

test('relay timeline: first packet anchors at our timestamp with a marker, then the source timing is kept', () => {
  const r = new RelayStream();
  assert.equal(r.map(0xaaaa, 1000, 50_000, false), 50_000);
  assert.equal(r.marker, true);
  assert.equal(r.map(0xaaaa, 1160, 99_999, false), 50_160);
  assert.equal(r.marker, false);
  assert.equal(r.map(0xaaaa, 1800, 99_999, true), 50_800);
  assert.equal(r.marker, true);
  assert.equal(r.map(0xbbbb, 7, 60_000, false), 60_000);
  assert.equal(r.marker, true);
  assert.equal(r.map(0xbbbb, 0xffffffff, 60_000, false), 59_992);
  r.reset();
  assert.equal(r.map(0xbbbb, 167, 70_000, false), 70_000);
});

function leg(): BridgeLeg & { changes: Array<BridgeLeg | undefined> } {
  const l: BridgeLeg & { changes: Array<BridgeLeg | undefined> } = {
    bridgePeer: undefined,
    changes: [],
    relayFromPeer: () => undefined,
    onBridgeChange: (p) => { l.changes.push(p); },
  };
  return l;
}

test('bridging pairs two legs, re-bridging breaks the old pair, unbridge ends both sides', () => {
  const a = leg();
  const b = leg();
  const c = leg();
  bridgeLegs(a, b);
  assert.equal(a.bridgePeer, b);
  assert.equal(b.bridgePeer, a);
  bridgeLegs(a, c);
  assert.equal(b.bridgePeer, undefined);
  assert.equal(c.bridgePeer, a);
  assert.deepEqual(b.changes, [a, undefined]);
  unbridgeLeg(c);
  assert.equal(a.bridgePeer, undefined);
  assert.deepEqual(a.changes, [b, undefined, c, undefined]);
  assert.throws(() => bridgeLegs(a, a), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_MEDIA_STATE'));
});
