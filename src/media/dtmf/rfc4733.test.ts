import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TelephoneEventView, digitToEvent, eventToDigit, writeTelephoneEvent, assertDtmfDigits } from './rfc4733.js';
import { Rfc4733Receiver, type DtmfEndReason } from './rfc4733-receiver.js';
import { DTMF_SEND_IDLE, DTMF_SEND_PACKET, DTMF_SEND_PAUSE, Rfc4733Sender } from './rfc4733-sender.js';
import { RtpPacketView, RTP_PARSE_OK } from '../rtp/index.js';
import { isSwitchboardError } from '../../common/index.js';
import { readPcapFixture } from '../../../test/support/pcap-reader.js';

type Pressed = [string, number, DtmfEndReason];

function receiver(timeoutMs = 400): { rx: Rfc4733Receiver; got: Pressed[] } {
  const got: Pressed[] = [];
  const rx = new Rfc4733Receiver({ timeoutMs, onDigit: (d, ms, why) => got.push([d, ms, why]) });
  return { rx, got };
}

function replay(name: string, rx: Rfc4733Receiver): number {
  const rtp = new RtpPacketView();
  const ev = new TelephoneEventView();
  let n = 0;
  for (const p of readPcapFixture(name)) {
    assert.equal(rtp.parse(p.payload), RTP_PARSE_OK);
    assert.ok(ev.parse(rtp.buffer, rtp.payloadOffset, rtp.payloadLength));
    rx.receive(rtp.timestamp, ev.event, ev.end, ev.duration, n++ * 20);
  }
  return n;
}

test('payload round trip on captured bytes (dtmf_2833_pound.pcap: event 11, volume 10, final duration 2240)', () => {
  const packets = readPcapFixture('dtmf_2833_pound.pcap');
  const rtp = new RtpPacketView();
  const ev = new TelephoneEventView();
  const out = Buffer.alloc(4);
  for (const p of packets) {
    assert.equal(rtp.parse(p.payload), RTP_PARSE_OK);
    assert.ok(ev.parse(rtp.buffer, rtp.payloadOffset, rtp.payloadLength));
    assert.equal(eventToDigit(ev.event), '#');
    assert.equal(ev.volume, 10);
    writeTelephoneEvent(out, 0, ev.event, ev.end, ev.volume, ev.duration);
    assert.deepEqual(out, p.payload.subarray(12, 16));
  }
  assert.equal(ev.end, true);
  assert.equal(ev.duration, 2240);
});

test('a truncated payload is refused', () => {
  assert.equal(new TelephoneEventView().parse(Buffer.from([1, 2, 3]), 0, 3), false);
  assert.equal(new TelephoneEventView().parse(Buffer.from([1, 2, 3, 4]), 1, 4), false);
});

test('digit ↔ event codes (RFC 4733 §3.2)', () => {
  assert.deepEqual([..."0123456789*#ABCD"].map(digitToEvent), [...Array(16).keys()]);
  assert.equal(digitToEvent('a'), 12);
  assert.equal(digitToEvent('x'), -1);
  assert.equal(eventToDigit(16), '');
  assert.throws(() => assertDtmfDigits('12x'), (e: unknown) => isSwitchboardError(e, 'SWB_ERR_DTMF_INVALID'));
});

test('captured key press with three end packets is reported once with its duration', () => {
  const { rx, got } = receiver();
  assert.equal(replay('dtmf_2833_1.pcap', rx), 10);
  assert.deepEqual(got, [['1', 280, 'end']]);
});

test('lost start packet: the first update starts the event', () => {
  const { rx, got } = receiver();
  rx.receive(1000, 5, false, 320, 0);
  rx.receive(1000, 5, false, 480, 20);
  rx.receive(1000, 5, true, 800, 40);
  rx.receive(1000, 5, true, 800, 60);
  assert.deepEqual(got, [['5', 100, 'end']]);
});

test('only end packets seen: reported from the first, the retransmissions ignored', () => {
  const { rx, got } = receiver();
  for (let i = 0; i < 3; i++) rx.receive(5000, 11, true, 960, i * 20);
  assert.deepEqual(got, [['#', 120, 'end']]);
});

test('two presses of the same digit in a row are two key presses (new timestamp)', () => {
  const { rx, got } = receiver();
  for (const ts of [8000, 10400]) {
    rx.receive(ts, 7, false, 160, ts);
    for (let i = 0; i < 3; i++) rx.receive(ts, 7, true, 640, ts + 60 + i);
  }
  assert.deepEqual(got, [['7', 80, 'end'], ['7', 80, 'end']]);
});

test('lost end packets: the event ends on timeout, and late retransmissions do not repeat it', () => {
  const { rx, got } = receiver(400);
  rx.receive(160, 3, false, 160, 0);
  rx.receive(160, 3, false, 480, 40);
  rx.tick(400);
  assert.deepEqual(got, []);
  rx.tick(440);
  assert.deepEqual(got, [['3', 60, 'timeout']]);
  rx.receive(160, 3, true, 640, 460);
  rx.tick(2000);
  assert.equal(got.length, 1);
});

test('lost end packets: the next event ends the previous one', () => {
  const { rx, got } = receiver();
  rx.receive(160, 1, false, 320, 0);
  rx.receive(2000, 2, false, 160, 100);
  rx.receive(2000, 2, true, 480, 140);
  assert.deepEqual(got, [['1', 40, 'next-event'], ['2', 60, 'end']]);
});

test('a reordered packet of an earlier event is ignored; timestamps wrap at 2^32', () => {
  const { rx, got } = receiver();
  rx.receive(0xffffff00, 9, true, 800, 0);
  rx.receive(0x00000100, 8, false, 160, 100);
  rx.receive(0xffffff00, 9, false, 480, 101);
  rx.receive(0x00000100, 8, true, 320, 120);
  assert.deepEqual(got, [['9', 100, 'end'], ['8', 40, 'end']]);
});

test('non-DTMF events (flash) are ignored and do not end a digit', () => {
  const { rx, got } = receiver();
  rx.receive(100, 4, false, 160, 0);
  rx.receive(900, 16, true, 800, 10);
  rx.receive(100, 4, true, 320, 20);
  assert.deepEqual(got, [['4', 40, 'end']]);
});

test('a long event continued in a new segment is one key press (RFC 4733 §2.5.1.3)', () => {
  const { rx, got } = receiver();
  rx.receive(1000, 0, false, 0xffff, 0);
  rx.receive(1000 + 0xffff, 0, false, 800, 20);
  rx.receive(1000 + 0xffff, 0, true, 1600, 40);
  assert.deepEqual(got, [['0', (0xffff + 1600) / 8, 'end']]);
});

test('sender: marker on first, same timestamp, growing duration, three end packets, then a pause', () => {
  const tx = new Rfc4733Sender({ gapMs: 40 });
  tx.enqueue('9#', 100);
  const buf = Buffer.alloc(4);
  const view = new TelephoneEventView();
  const steps: string[] = [];
  let ts = 4000;
  for (let i = 0; i < 20 && tx.busy; i++, ts += 160) {
    const step = tx.next(ts, buf, 0);
    if (step === DTMF_SEND_PACKET) {
      view.parse(buf, 0, 4);
      steps.push(`${eventToDigit(view.event)}@${tx.timestamp}${tx.marker ? 'M' : ''}:${view.duration}${view.end ? 'E' : ''}`);
    } else {
      steps.push(step === DTMF_SEND_PAUSE ? 'pause' : 'idle');
    }
  }
  assert.deepEqual(steps, [
    '9@4000M:160', '9@4000:320', '9@4000:480', '9@4000:640', '9@4000:800E', '9@4000:800E', '9@4000:800E',
    'pause', 'pause',
    '#@5440M:160', '#@5440:320', '#@5440:480', '#@5440:640', '#@5440:800E', '#@5440:800E', '#@5440:800E',
    'pause', 'pause', 'idle',
  ]);
  assert.equal(tx.busy, false);
  assert.equal(tx.next(ts, buf, 0), DTMF_SEND_IDLE);
});

test('sender output is understood by the receiver; cancel ends the current digit early and drops the rest', () => {
  const { rx, got } = receiver();
  const tx = new Rfc4733Sender();
  tx.enqueue('12', 200);
  const buf = Buffer.alloc(4);
  const view = new TelephoneEventView();
  let ts = 0;
  for (let i = 0; i < 3; i++, ts += 160) {
    assert.equal(tx.next(ts, buf, 0), DTMF_SEND_PACKET);
    view.parse(buf, 0, 4);
    rx.receive(tx.timestamp, view.event, view.end, view.duration, i * 20);
  }
  tx.cancel();
  for (let i = 3; tx.busy; i++, ts += 160) {
    if (tx.next(ts, buf, 0) !== DTMF_SEND_PACKET) continue;
    view.parse(buf, 0, 4);
    rx.receive(tx.timestamp, view.event, view.end, view.duration, i * 20);
  }
  assert.deepEqual(got, [['1', 80, 'end']]);
});
