/**
 * The plain types around MediaSession: its statistics, DTMF listeners, the in-band detector hook, and the
 * engine-wide context a session is built with.
 */
import type { Clock } from '../../common/index.js';
import type { RtpPortPair } from '../rtp/index.js';
import type { Pacer } from './pacer.js';

export type DtmfSource = 'rfc4733' | 'inband' | 'info';
export type DtmfListener = (digit: string, source: DtmfSource) => void;

/** What a session needs from an in-band DTMF detector (InbandDtmfDetector fits): decoded 8 kHz audio in. */
export interface InbandDtmfSink {
  process(pcm: Int16Array): void;
}
export type InbandDtmfDetectorFactory = (onDigit: (digit: string) => void) => InbandDtmfSink;

/** Engine-wide settings and services a session is built with (plain data plus the shared pacer). */
export interface MediaSessionContext {
  clock: Clock;
  pacer: Pacer;
  latching: boolean;
  /** Send to the latched source (true) or keep sending to the SDP address (false). */
  symmetricRtp: boolean;
  comfortSilence: boolean;
  rtpTimeoutMs: number;
  cname: string;
  inbandDtmfDetector?: InbandDtmfDetectorFactory;
  /** Returns the ports and drops the session (identified by identity) from the engine's books. */
  release(session: { stats(): MediaSessionStats }, ports: RtpPortPair): Promise<void>;
  randomUint32(): number;
}

export interface MediaSessionStats {
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
  packetsLost: number;
  jitterMs: number;
  /** Pacer ticks that fired a tick or more late while this session existed. */
  lateTicks: number;
  ignoredFromUnexpectedSource: number;
  ignoredPayloadType: number;
  malformedPackets: number;
  rtcpReceived: number;
  rttMs?: number;
  /** Where RTP goes now (the SDP address, or the latched source). */
  remoteAddress?: string;
  remotePort?: number;
  latched: boolean;
}
