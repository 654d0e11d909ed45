/**
 * The plain data a session is configured with: the negotiated result of an SDP offer/answer, produced by the
 * call layer from sdp/ (media/ never sees SDP itself). Plain data so it can cross a worker-thread boundary.
 */
import { SwitchboardError } from '../../common/index.js';
import type { G711Law } from '../codec/index.js';

/** Our direction after negotiation (RFC 3264 §6.1): whether we send and whether the peer is expected to. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface MediaSessionConfig {
  remoteAddress: string;
  remotePort: number;
  /**
   * Defaults to remotePort + 1 (RFC 3550 §11) when the SDP had no a=rtcp (RFC 3605); 0 means the peer has no
   * usable RTCP port, and no RTCP is sent.
   */
  remoteRtcpPort?: number;
  codec: G711Law;
  payloadType: number;
  /** Payload type of telephone-event/8000 if negotiated; in-band detection runs otherwise. */
  telephoneEventPt?: number;
  /**
   * The peer's preferred packet time. We always send 20 ms frames (one per pacer tick): a=ptime is a preference
   * (RFC 4566 §6), every G.711 endpoint accepts 20 ms, and we receive any packet size.
   */
  ptimeMs?: number;
  direction: MediaDirection;
}

const DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('SWB_ERR_MEDIA_STATE', `invalid media configuration: ${message}`);
}

function isPort(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;
}

function isPayloadType(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 127;
}

/** Checks every field and returns a frozen copy with defaults filled in; throws listing all problems. */
export function validateSessionConfig(config: MediaSessionConfig): Readonly<Required<Omit<MediaSessionConfig, 'telephoneEventPt'>> & { telephoneEventPt?: number }> {
  const problems: string[] = [];
  if (typeof config.remoteAddress !== 'string' || config.remoteAddress === '') problems.push('remoteAddress is empty');
  if (!isPort(config.remotePort)) problems.push(`remotePort ${config.remotePort} is not a port`);
  const rtcpPort = config.remoteRtcpPort ?? config.remotePort + 1;
  if (rtcpPort !== 0 && !isPort(rtcpPort)) problems.push(`remoteRtcpPort ${rtcpPort} is not a port`);
  if (config.codec !== 'pcmu' && config.codec !== 'pcma') problems.push(`codec ${String(config.codec)} is not pcmu or pcma`);
  if (!isPayloadType(config.payloadType)) problems.push(`payloadType ${config.payloadType} is not 0..127`);
  if (config.telephoneEventPt !== undefined) {
    if (!isPayloadType(config.telephoneEventPt)) problems.push(`telephoneEventPt ${config.telephoneEventPt} is not 0..127`);
    else if (config.telephoneEventPt === config.payloadType) problems.push('telephoneEventPt equals the audio payloadType');
  }
  const ptimeMs = config.ptimeMs ?? 20;
  if (!Number.isFinite(ptimeMs) || ptimeMs <= 0) problems.push(`ptimeMs ${config.ptimeMs} is not a positive number`);
  if (!DIRECTIONS.includes(config.direction)) problems.push(`direction ${String(config.direction)} is unknown`);
  if (problems.length > 0) throw invalid(problems.join('; '));
  return Object.freeze({
    remoteAddress: config.remoteAddress,
    remotePort: config.remotePort,
    remoteRtcpPort: rtcpPort,
    codec: config.codec,
    payloadType: config.payloadType,
    telephoneEventPt: config.telephoneEventPt,
    ptimeMs,
    direction: config.direction,
  });
}
