/**
 * The SDP model (RFC 8866, which obsoletes RFC 4566) and typed read helpers over it.
 *
 * The model is lossless: fields we use are typed, and every other line is kept in `otherLines` with its type
 * letter so that parse → serialize gives the same text back for input in the RFC's line order (RFC 8866 §5).
 * Numbers that may exceed 2^53 (o= session id and version) stay strings.
 */

/** One raw `<type>=<value>` line the model has no typed field for (i=, u=, e=, p=, k=, z=, unknown letters). */
export interface SdpLine {
  type: string;
  value: string;
}

/** RFC 8866 §5.2 `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`. */
export interface SdpOrigin {
  username: string;
  sessId: string;
  sessVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

/**
 * RFC 8866 §5.7 `c=<nettype> <addrtype> <connection-address>`. `address` is kept as written, so a multicast
 * address keeps its `/ttl` and `/count` suffixes; use `connectionHost` for the bare host.
 */
export interface SdpConnection {
  netType: string;
  addrType: string;
  address: string;
}

/** RFC 8866 §5.8 `b=<bwtype>:<bandwidth>`. */
export interface SdpBandwidth {
  type: string;
  value: number;
}

/** RFC 8866 §5.9 `t=<start-time> <stop-time>` with the §5.10 `r=` lines that follow it, kept verbatim. */
export interface SdpTiming {
  start: number;
  stop: number;
  repeat: string[];
}

/** RFC 8866 §5.13 `a=<attribute-name>[:<attribute-value>]`; `value` is undefined for a property attribute. */
export interface SdpAttribute {
  name: string;
  value?: string;
}

/** RFC 8866 §5.14 `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` and the lines of its section. */
export interface MediaDescription {
  media: string;
  port: number;
  numberOfPorts?: number;
  proto: string;
  /** Payload type numbers for RTP profiles, as written. */
  formats: string[];
  connection?: SdpConnection;
  bandwidth: SdpBandwidth[];
  attributes: SdpAttribute[];
  otherLines: SdpLine[];
}

export interface SessionDescription {
  version: number;
  origin: SdpOrigin;
  sessionName: string;
  connection?: SdpConnection;
  bandwidth: SdpBandwidth[];
  timing: SdpTiming[];
  attributes: SdpAttribute[];
  otherLines: SdpLine[];
  media: MediaDescription[];
}

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/** RFC 8866 §6.6 `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]`. */
export interface RtpMap {
  payloadType: number;
  encodingName: string;
  clockRate: number;
  encodingParameters?: number;
}

/** RFC 3605 §2.1 `a=rtcp:<port> [<nettype> <addrtype> <connection-address>]`. */
export interface RtcpAttribute {
  port: number;
  connection?: SdpConnection;
}

type WithAttributes = { attributes: SdpAttribute[] };

export function getAttribute(on: WithAttributes, name: string): string | undefined {
  const a = on.attributes.find((x) => x.name === name);
  return a === undefined ? undefined : (a.value ?? '');
}

export function hasAttribute(on: WithAttributes, name: string): boolean {
  return on.attributes.some((x) => x.name === name);
}

export function getAttributes(on: WithAttributes, name: string): string[] {
  return on.attributes.filter((x) => x.name === name).map((x) => x.value ?? '');
}

export function parseRtpmap(value: string): RtpMap | undefined {
  const m = /^(\d{1,3})\s+([^/\s]+)\/(\d+)(?:\/(\d+))?\s*$/.exec(value);
  if (!m) return undefined;
  const payloadType = Number(m[1]);
  if (payloadType > 127) return undefined;
  const map: RtpMap = { payloadType, encodingName: m[2], clockRate: Number(m[3]) };
  if (m[4] !== undefined) map.encodingParameters = Number(m[4]);
  return map;
}

export function getRtpmaps(media: MediaDescription): RtpMap[] {
  const maps: RtpMap[] = [];
  for (const v of getAttributes(media, 'rtpmap')) {
    const map = parseRtpmap(v);
    if (map) maps.push(map);
  }
  return maps;
}

export function getRtpmap(media: MediaDescription, payloadType: number): RtpMap | undefined {
  return getRtpmaps(media).find((m) => m.payloadType === payloadType);
}

/** RFC 8866 §6.15 `a=fmtp:<format> <format specific parameters>`: the parameters of one format. */
export function getFmtp(media: MediaDescription, format: string | number): string | undefined {
  const prefix = `${format} `;
  for (const v of getAttributes(media, 'fmtp')) {
    if (v.startsWith(prefix)) return v.slice(prefix.length).trim();
  }
  return undefined;
}

function positiveNumberAttribute(media: MediaDescription, name: string): number | undefined {
  const v = getAttribute(media, name);
  if (v === undefined || !/^\d+(\.\d+)?$/.test(v.trim())) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}

/** RFC 8866 §6.4 `a=ptime:<packet time>` in milliseconds; undefined when absent or malformed. */
export function getPtime(media: MediaDescription): number | undefined {
  return positiveNumberAttribute(media, 'ptime');
}

/** RFC 8866 §6.5 `a=maxptime:<maximum packet time>` in milliseconds. */
export function getMaxptime(media: MediaDescription): number | undefined {
  return positiveNumberAttribute(media, 'maxptime');
}

function directionOf(attributes: SdpAttribute[]): Direction | undefined {
  for (const a of attributes) {
    if ((DIRECTIONS as readonly string[]).includes(a.name)) return a.name as Direction;
  }
  return undefined;
}

/**
 * The stated direction of a media section: a media-level attribute overrides the session-level one, and with
 * neither the default is sendrecv (RFC 8866 §6.7; RFC 3264 §5.1). Connection-address hold is not folded in here;
 * see `isHoldConnection`.
 */
export function getDirection(sd: SessionDescription, media: MediaDescription): Direction {
  return directionOf(media.attributes) ?? directionOf(sd.attributes) ?? 'sendrecv';
}

/** RFC 3605 §2.1 `a=rtcp`; undefined when absent or malformed. */
export function getRtcp(media: MediaDescription): RtcpAttribute | undefined {
  const v = getAttribute(media, 'rtcp');
  if (v === undefined) return undefined;
  const parts = v.trim().split(/\s+/);
  if (!/^\d{1,5}$/.test(parts[0]) || Number(parts[0]) > 65535) return undefined;
  const rtcp: RtcpAttribute = { port: Number(parts[0]) };
  if (parts.length === 4) rtcp.connection = { netType: parts[1], addrType: parts[2], address: parts[3] };
  return rtcp;
}

/** The connection in force for a media section: its own c= line, else the session-level one (RFC 8866 §5.7). */
export function getConnection(sd: SessionDescription, media: MediaDescription): SdpConnection | undefined {
  return media.connection ?? sd.connection;
}

/** The host part of a connection address, without the multicast `/ttl` and `/count` suffixes (RFC 8866 §5.7). */
export function connectionHost(c: SdpConnection): string {
  const slash = c.address.indexOf('/');
  return slash < 0 ? c.address : c.address.slice(0, slash);
}

/**
 * RFC 3264 §8.4 (and RFC 2543 before it): an offer with connection address 0.0.0.0 means "do not send to me".
 * `::` is its IPv6 counterpart in the wild.
 */
export function isHoldConnection(c: SdpConnection | undefined): boolean {
  if (c === undefined) return false;
  const host = connectionHost(c);
  return host === '0.0.0.0' || host === '::';
}
