import { randomInt } from 'node:crypto';
import { encodeG711, type G711Law } from '../../../src/media/codec/index.js';
import { PcapWriter } from './pcap-writer.js';

/**
 * Builds ONE continuous RTP stream (one SSRC, consecutive sequence numbers, one timestamp clock) as a pcap for
 * SIPp's `play_pcap_audio`, the way a phone sends it: audio, silence, RFC 4733 digits, all in one stream.
 *
 * RTP fixed header (RFC 3550 §5.1):
 *    0                   1                   2                   3
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   |                           timestamp                           |
 *   |                             SSRC                              |
 * telephone-event payload (RFC 4733 §2.3):
 *   |     event     |E|R| volume    |          duration             |
 */

export const SAMPLE_RATE = 8000;
export const DTMF_EVENT_CODES: Readonly<Record<string, number>> = Object.fromEntries(
  [...'0123456789*#ABCD'].map((c, i) => [c, i]),
);

export type RtpItem =
  | { kind: 'audio'; samples: Int16Array }
  | { kind: 'silence'; ms: number }
  | { kind: 'gap'; ms: number }
  | { kind: 'dtmf'; digits: string };

export interface RtpStreamOptions {
  codec?: G711Law;
  /** Defaults to the static type of the codec: 0 PCMU, 8 PCMA (RFC 3551 §6). */
  audioPayloadType?: number;
  dtmfPayloadType?: number;
  ssrc?: number;
  firstSeq?: number;
  firstTimestamp?: number;
  ptimeMs?: number;
  /** pcap time of the first packet, seconds since the epoch; SIPp replays relative times only. */
  startTimeSec?: number;
  dtmfDurationMs?: number;
  dtmfGapMs?: number;
  /** RFC 4733 volume in -dBm0 (0..63). */
  dtmfVolume?: number;
}

export class RtpStreamBuilder {
  private readonly writer = new PcapWriter();
  private readonly codec: G711Law;
  private readonly audioPt: number;
  private readonly dtmfPt: number;
  private readonly ssrc: number;
  private readonly ts0: number;
  private readonly frameSamples: number;
  private readonly t0: number;
  private readonly dtmfDurationMs: number;
  private readonly dtmfGapMs: number;
  private readonly dtmfVolume: number;
  private seq: number;
  /** Samples since the start of the stream: the RTP clock and the send schedule. */
  private clock = 0;
  private marker = true;

  constructor(options: RtpStreamOptions = {}) {
    this.codec = options.codec ?? 'pcmu';
    this.audioPt = options.audioPayloadType ?? (this.codec === 'pcmu' ? 0 : 8);
    this.dtmfPt = options.dtmfPayloadType ?? 101;
    // RFC 3550 §5.1: SSRC, first sequence number and first timestamp SHOULD be random.
    this.ssrc = options.ssrc ?? randomInt(1, 0xffffffff);
    this.seq = options.firstSeq ?? randomInt(0, 0x8000);
    this.ts0 = options.firstTimestamp ?? randomInt(0, 0x7fffffff);
    this.frameSamples = (SAMPLE_RATE * (options.ptimeMs ?? 20)) / 1000;
    this.t0 = options.startTimeSec ?? 1_700_000_000;
    this.dtmfDurationMs = options.dtmfDurationMs ?? 120;
    this.dtmfGapMs = options.dtmfGapMs ?? 100;
    this.dtmfVolume = options.dtmfVolume ?? 10;
  }

  get durationMs(): number {
    return (this.clock * 1000) / SAMPLE_RATE;
  }

  get packetCount(): number {
    return this.writer.packetCount;
  }

  private send(atSamples: number, pt: number, marker: boolean, tsSamples: number, payload: Uint8Array): void {
    const packet = Buffer.alloc(12 + payload.length);
    packet[0] = 0x80;
    packet[1] = (marker ? 0x80 : 0) | pt;
    packet.writeUInt16BE(this.seq, 2);
    packet.writeUInt32BE((this.ts0 + tsSamples) >>> 0, 4);
    packet.writeUInt32BE(this.ssrc >>> 0, 8);
    packet.set(payload, 12);
    this.writer.writeUdp(this.t0 + atSamples / SAMPLE_RATE, packet);
    this.seq = (this.seq + 1) & 0xffff;
  }

  /** 8 kHz mono samples, sent as packets of one ptime; the last one is padded with silence. */
  audio(samples: Int16Array): this {
    const n = Math.ceil(samples.length / this.frameSamples) * this.frameSamples;
    const padded = new Int16Array(n);
    padded.set(samples);
    const frame = new Uint8Array(this.frameSamples);
    for (let i = 0; i < n; i += this.frameSamples) {
      encodeG711(this.codec, padded.subarray(i, i + this.frameSamples), frame);
      // RFC 3551 §4.1: the marker bit flags the first packet of a talkspurt.
      this.send(this.clock, this.audioPt, this.marker, this.clock, frame);
      this.marker = false;
      this.clock += this.frameSamples;
    }
    return this;
  }

  silence(ms: number): this {
    return this.audio(new Int16Array(Math.round((SAMPLE_RATE * ms) / 1000)));
  }

  /** Nothing is sent for `ms`, but the RTP clock runs on (as with DTX). */
  gap(ms: number): this {
    this.clock += Math.round((SAMPLE_RATE * ms) / 1000);
    this.marker = true;
    return this;
  }

  dtmf(digits: string): this {
    [...digits.toUpperCase()].forEach((d, i) => {
      if (!(d in DTMF_EVENT_CODES)) throw new Error(`bad DTMF digit ${JSON.stringify(d)} (use 0-9 * # A-D)`);
      if (i > 0) this.gap(this.dtmfGapMs);
      this.event(DTMF_EVENT_CODES[d]);
    });
    return this;
  }

  private event(code: number): void {
    const duration = Math.round((SAMPLE_RATE * this.dtmfDurationMs) / 1000);
    const start = this.clock;
    const updates = Math.max(1, Math.ceil(duration / this.frameSamples));
    const payload = Buffer.alloc(4);
    // RFC 4733 §2.5.1.2: every packet of one event carries the event's start timestamp and the duration so far;
    // the first has the marker bit.
    for (let k = 0; k < updates; k++) {
      payload[0] = code;
      payload[1] = this.dtmfVolume & 0x3f;
      payload.writeUInt16BE(Math.min((k + 1) * this.frameSamples, duration), 2);
      this.send(start + k * this.frameSamples, this.dtmfPt, k === 0, start, payload);
    }
    // RFC 4733 §2.5.1.4: the final packet (E bit) is sent three times.
    for (let k = 0; k < 3; k++) {
      payload[0] = code;
      payload[1] = 0x80 | (this.dtmfVolume & 0x3f);
      payload.writeUInt16BE(duration, 2);
      this.send(start + (updates + k) * this.frameSamples, this.dtmfPt, false, start, payload);
    }
    this.clock = start + (updates + 3) * this.frameSamples;
    this.marker = true;
  }

  add(item: RtpItem): this {
    switch (item.kind) {
      case 'audio':
        return this.audio(item.samples);
      case 'silence':
        return this.silence(item.ms);
      case 'gap':
        return this.gap(item.ms);
      case 'dtmf':
        return this.dtmf(item.digits);
    }
  }

  toPcap(): Buffer {
    return this.writer.toBuffer();
  }
}

export interface BuiltRtpPcap {
  pcap: Buffer;
  durationMs: number;
  packets: number;
}

export function buildRtpPcap(items: RtpItem[], options: RtpStreamOptions = {}): BuiltRtpPcap {
  const b = new RtpStreamBuilder(options);
  for (const item of items) b.add(item);
  return { pcap: b.toPcap(), durationMs: b.durationMs, packets: b.packetCount };
}
