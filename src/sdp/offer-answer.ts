import { SwitchboardError } from '../common/index.js';
import { SdpSessionState } from './sdp-session-state.js';
import {
  getConnection, getDirection, getFmtp, getMaxptime, getPtime, getRtcp, getRtpmap, isHoldConnection, connectionHost,
} from './session-description.js';
import type {
  Direction, MediaDescription, SdpAttribute, SdpConnection, SessionDescription,
} from './session-description.js';

/**
 * RFC 3264 offer/answer for one G.711 audio stream. We answer or offer exactly one audio m-line; every other
 * m-line is rejected with port 0. We never offer or accept rtcp-mux or SRTP, so RTCP goes to the peer's
 * a=rtcp port or RTP port + 1.
 */

export type G711Codec = 'PCMU' | 'PCMA';

export interface LocalAudioCapabilities {
  address: string;
  port: number;
  /** Preference order; used for our offers. As answerer we follow the offer's order (see `answerOffer`). */
  codecs: G711Codec[];
  telephoneEvent: boolean;
  ptimeMs: number;
  sessionId?: string;
  sessionVersion?: number;
  username?: string;
}

export interface NegotiatedAudio {
  remoteAddress: string;
  remotePort: number;
  /** The peer's a=rtcp port (RFC 3605), else RTP port + 1 (RFC 3550 §11); 0 when neither is a valid port. */
  remoteRtcpPort: number;
  codec: 'pcmu' | 'pcma';
  /** The payload type we send with (the peer's number for the codec, RFC 3264 §5.1). */
  payloadType: number;
  telephoneEventPt?: number;
  ptimeMs: number;
  /** OUR direction: whether we send and/or receive. */
  direction: Direction;
  /**
   * The peer will not receive our audio: its SDP is sendonly or inactive, or has c=0.0.0.0 (RFC 3264 §8.4).
   * For an answer to our offer, only when our offer proposed to send.
   */
  onHold: boolean;
}

export type AnswerOfferError = { error: 'no-common-codec' | 'no-audio' | 'bad-offer'; reason: string };
export type AcceptAnswerError = { error: 'no-common-codec' | 'no-audio' | 'bad-answer'; reason: string };

export interface AnswerOfferOptions {
  /** What we want (e.g. sendonly to hold the peer); combined with what the offer allows. Default sendrecv. */
  localDirection?: Direction;
  /** The call's o= state; pass the same one for every offer/answer of a call (RFC 3264 §8). */
  state?: SdpSessionState;
}

export interface CreateOfferOptions {
  localDirection?: Direction;
}

/** RFC 3551 §6 table 4: the static payload types of G.711. */
const STATIC_PT: Readonly<Record<G711Codec, number>> = { PCMU: 0, PCMA: 8 };
/** Our dynamic payload type for telephone-event when we offer (RFC 4733 §7.1.1 leaves it to us). */
const OFFER_TELEPHONE_EVENT_PT = 101;
/** RFC 4733 §3.2: events 0-15 are the DTMF digits, 16 is flash. */
const OFFER_TELEPHONE_EVENTS = '0-16';
const AUDIO_PROTO = 'RTP/AVP';

/**
 * Answers an offer (RFC 3264 §6). The answer has one m-line per offered m-line, in the same order (§6); the first
 * usable audio m-line is accepted and the others are rejected with port 0. The codec is the first of the offer's
 * formats that we support, honouring the offerer's preference (§6.1).
 */
export function answerOffer(
  offer: SessionDescription,
  local: LocalAudioCapabilities,
  opts: AnswerOfferOptions = {},
): { answer: SessionDescription; audio: NegotiatedAudio } | AnswerOfferError {
  const candidates = offer.media
    .map((m, index) => ({ m, index }))
    .filter(({ m }) => isUsableAudio(m));
  if (candidates.length === 0) return { error: 'no-audio', reason: whyNoAudio(offer.media) };

  let chosen: { m: MediaDescription; index: number; pt: number; codec: G711Codec } | undefined;
  for (const { m, index } of candidates) {
    const found = firstCodec(m, m.formats, (c) => local.codecs.includes(c));
    if (found) {
      chosen = { m, index, ...found };
      break;
    }
  }
  if (!chosen) {
    const offered = candidates.map(({ m }) => describeFormats(m)).join('; ');
    return { error: 'no-common-codec', reason: `offered ${offered}; we support ${local.codecs.join(', ')}` };
  }

  const { m } = chosen;
  const connection = usableConnection(offer, m, chosen.index);
  if (typeof connection === 'string') return { error: 'bad-offer', reason: connection };

  const te = local.telephoneEvent ? findTelephoneEvent(m) : undefined;
  const remote = effectiveDirection(offer, m, connection);
  // RFC 3264 §6.1: sendonly is answered recvonly, recvonly sendonly, inactive inactive, sendrecv sendrecv.
  const direction = intersect(reverse(remote), opts.localDirection ?? 'sendrecv');
  const ptimeMs = negotiatePtime(getPtime(m), getMaxptime(m), local.ptimeMs);

  const attributes: SdpAttribute[] = [{ name: 'rtpmap', value: `${chosen.pt} ${chosen.codec}/8000` }];
  if (te) {
    attributes.push({ name: 'rtpmap', value: `${te.pt} telephone-event/8000` });
    if (te.fmtp !== undefined) attributes.push({ name: 'fmtp', value: `${te.pt} ${te.fmtp}` });
  }
  attributes.push({ name: 'ptime', value: String(ptimeMs) }, { name: direction });

  const accepted: MediaDescription = {
    media: 'audio',
    port: local.port,
    proto: m.proto,
    formats: te ? [String(chosen.pt), String(te.pt)] : [String(chosen.pt)],
    bandwidth: [],
    attributes,
    otherLines: [],
  };
  const media = offer.media.map((om, i) => (i === chosen.index ? accepted : rejected(om)));
  const answer = (opts.state ?? new SdpSessionState()).stamp(skeleton(local, media), local);

  return {
    answer,
    audio: {
      remoteAddress: connectionHost(connection),
      remotePort: m.port,
      remoteRtcpPort: rtcpPort(m),
      codec: chosen.codec === 'PCMU' ? 'pcmu' : 'pcma',
      payloadType: chosen.pt,
      ...(te ? { telephoneEventPt: te.pt } : {}),
      ptimeMs,
      direction,
      onHold: !canReceive(remote),
    },
  };
}

/**
 * Our offer (RFC 3264 §5): one audio m-line listing our codecs in preference order with their static payload types,
 * telephone-event if enabled, our ptime and direction.
 */
export function createOffer(
  local: LocalAudioCapabilities,
  state: SdpSessionState = new SdpSessionState(),
  opts: CreateOfferOptions = {},
): SessionDescription {
  const codecs = [...new Set(local.codecs)];
  if (codecs.length === 0) {
    throw new SwitchboardError('SWB_ERR_SDP_NO_COMMON_CODEC', 'cannot create an SDP offer without codecs');
  }
  const formats = codecs.map((c) => String(STATIC_PT[c]));
  // RFC 3264 §5.1: rtpmap even for static payload types, which many peers expect.
  const attributes: SdpAttribute[] = codecs.map((c) => ({ name: 'rtpmap', value: `${STATIC_PT[c]} ${c}/8000` }));
  if (local.telephoneEvent) {
    formats.push(String(OFFER_TELEPHONE_EVENT_PT));
    attributes.push(
      { name: 'rtpmap', value: `${OFFER_TELEPHONE_EVENT_PT} telephone-event/8000` },
      { name: 'fmtp', value: `${OFFER_TELEPHONE_EVENT_PT} ${OFFER_TELEPHONE_EVENTS}` },
    );
  }
  attributes.push({ name: 'ptime', value: String(local.ptimeMs) }, { name: opts.localDirection ?? 'sendrecv' });
  const media: MediaDescription = {
    media: 'audio', port: local.port, proto: AUDIO_PROTO, formats, bandwidth: [], attributes, otherLines: [],
  };
  return state.stamp(skeleton(local, [media]), local);
}

/** Reads the answer to our offer (RFC 3264 §6): the audio m-line at the index of the one we offered. */
export function acceptAnswer(
  offer: SessionDescription,
  answer: SessionDescription,
): NegotiatedAudio | AcceptAnswerError {
  if (answer.media.length !== offer.media.length) {
    return {
      error: 'bad-answer',
      reason: `answer has ${answer.media.length} m-lines, offer had ${offer.media.length} (RFC 3264 §6)`,
    };
  }
  const index = offer.media.findIndex(isUsableAudio);
  if (index < 0) return { error: 'no-audio', reason: 'our offer has no audio m-line' };
  const om = offer.media[index];
  const am = answer.media[index];
  if (am.media !== 'audio') {
    return { error: 'bad-answer', reason: `answer m-line ${index + 1} is ${am.media}, offered audio (RFC 3264 §6)` };
  }
  if (am.port === 0) return { error: 'no-audio', reason: `the answer rejected audio m-line ${index + 1} (port 0)` };

  const found = firstCodec(am, am.formats, (c) => firstCodec(om, om.formats, (o) => o === c) !== undefined);
  if (!found) return { error: 'no-common-codec', reason: `answer ${describeFormats(am)} matches none of our offer` };
  const connection = usableConnection(answer, am, index);
  if (typeof connection === 'string') return { error: 'bad-answer', reason: connection };

  const te = findTelephoneEvent(om) ? findTelephoneEvent(am) : undefined;
  const offered = getDirection(offer, om);
  const remote = effectiveDirection(answer, am, connection);
  return {
    remoteAddress: connectionHost(connection),
    remotePort: am.port,
    remoteRtcpPort: rtcpPort(am),
    codec: found.codec === 'PCMU' ? 'pcmu' : 'pcma',
    payloadType: found.pt,
    ...(te ? { telephoneEventPt: te.pt } : {}),
    ptimeMs: negotiatePtime(getPtime(am), getMaxptime(am), getPtime(om) ?? 20),
    direction: intersect(reverse(remote), offered),
    onHold: canSend(offered) && !canReceive(remote),
  };
}

function skeleton(local: LocalAudioCapabilities, media: MediaDescription[]): SessionDescription {
  const addrType = local.address.includes(':') ? 'IP6' : 'IP4';
  return {
    version: 0,
    origin: { username: '-', sessId: '0', sessVersion: '0', netType: 'IN', addrType, address: local.address },
    // RFC 8866 §5.3: "s=-" when there is no meaningful session name.
    sessionName: '-',
    connection: { netType: 'IN', addrType, address: local.address },
    bandwidth: [],
    // RFC 3264 §5: "the t= line of the offer SHOULD be 0 0"; the answer echoes it (§6).
    timing: [{ start: 0, stop: 0, repeat: [] }],
    attributes: [],
    otherLines: [],
    media,
  };
}

/** RFC 3264 §6: a rejected stream keeps its m-line, with port 0, so that m-lines still pair up by index. */
function rejected(m: MediaDescription): MediaDescription {
  return {
    media: m.media, port: 0, proto: m.proto, formats: [...m.formats], bandwidth: [], attributes: [], otherLines: [],
  };
}

function isUsableAudio(m: MediaDescription): boolean {
  return m.media === 'audio' && m.port !== 0 && m.proto.toUpperCase() === AUDIO_PROTO;
}

function whyNoAudio(media: MediaDescription[]): string {
  if (media.length === 0) return 'the offer has no m-lines';
  const audio = media.filter((m) => m.media === 'audio');
  if (audio.length === 0) return `no audio m-line (offered ${media.map((m) => m.media).join(', ')})`;
  return audio
    .map((m) => (m.port === 0 ? 'audio m-line with port 0' : `audio over ${m.proto}, only ${AUDIO_PROTO} is supported`))
    .join('; ');
}

/**
 * The first of `formats` that is G.711 and passes `accept`. A dynamic payload type counts by its rtpmap
 * (PCMU/8000, PCMA/8000, mono); the static types 0 and 8 count without one (RFC 3551 §6), unless an rtpmap
 * says otherwise.
 */
function firstCodec(
  m: MediaDescription, formats: string[], accept: (c: G711Codec) => boolean,
): { pt: number; codec: G711Codec } | undefined {
  for (const f of formats) {
    if (!/^\d{1,3}$/.test(f) || Number(f) > 127) continue;
    const pt = Number(f);
    const codec = g711Of(m, pt);
    if (codec !== undefined && accept(codec)) return { pt, codec };
  }
  return undefined;
}

function g711Of(m: MediaDescription, pt: number): G711Codec | undefined {
  const map = getRtpmap(m, pt);
  if (map === undefined) return pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : undefined;
  if (map.clockRate !== 8000 || (map.encodingParameters ?? 1) !== 1) return undefined;
  const name = map.encodingName.toUpperCase();
  return name === 'PCMU' || name === 'PCMA' ? name : undefined;
}

/** RFC 4733 §7.1.1: telephone-event at the audio codec's 8000 Hz clock; its fmtp lists the events. */
function findTelephoneEvent(m: MediaDescription): { pt: number; fmtp?: string } | undefined {
  for (const f of m.formats) {
    if (!/^\d{1,3}$/.test(f)) continue;
    const map = getRtpmap(m, Number(f));
    if (map && map.encodingName.toLowerCase() === 'telephone-event' && map.clockRate === 8000) {
      const fmtp = getFmtp(m, f);
      return fmtp === undefined ? { pt: map.payloadType } : { pt: map.payloadType, fmtp };
    }
  }
  return undefined;
}

function describeFormats(m: MediaDescription): string {
  return m.formats.map((f) => {
    const map = /^\d{1,3}$/.test(f) ? getRtpmap(m, Number(f)) : undefined;
    return map ? `${f} ${map.encodingName}/${map.clockRate}` : f;
  }).join(', ');
}

/** The connection in force for `m`, or why it cannot be used. */
function usableConnection(sd: SessionDescription, m: MediaDescription, index: number): SdpConnection | string {
  const c = getConnection(sd, m);
  if (c === undefined) return `no c= line for m-line ${index + 1} nor at session level (RFC 8866 §5.7)`;
  if (c.netType !== 'IN' || (c.addrType !== 'IP4' && c.addrType !== 'IP6')) {
    return `unsupported connection ${c.netType} ${c.addrType} for m-line ${index + 1}`;
  }
  return c;
}

function rtcpPort(m: MediaDescription): number {
  const rtcp = getRtcp(m);
  if (rtcp) return rtcp.port;
  return m.port < 65535 ? m.port + 1 : 0;
}

/**
 * ptime is a receiver's wish (RFC 8866 §6.4); we honour the peer's when it is a whole number of 10 ms frames
 * within 10-60 ms, else use ours, and stay within the peer's maxptime (§6.5).
 */
function negotiatePtime(offered: number | undefined, maxptime: number | undefined, fallback: number): number {
  let ptime = offered !== undefined && offered >= 10 && offered <= 60 && offered % 10 === 0 ? offered : fallback;
  if (maxptime !== undefined && ptime > maxptime && maxptime >= 10) ptime = Math.floor(maxptime / 10) * 10;
  return ptime;
}

/**
 * The direction a peer's SDP states, with RFC 3264 §8.4 connection hold folded in: c=0.0.0.0 means the peer
 * will not receive, whatever its direction attribute says.
 */
function effectiveDirection(sd: SessionDescription, m: MediaDescription, c: SdpConnection): Direction {
  const stated = getDirection(sd, m);
  return isHoldConnection(c) ? toDirection(canSend(stated), false) : stated;
}

function canSend(d: Direction): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

function canReceive(d: Direction): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

function toDirection(send: boolean, receive: boolean): Direction {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/** RFC 3264 §6.1: what the peer sends we receive, and the reverse. */
function reverse(d: Direction): Direction {
  return toDirection(canReceive(d), canSend(d));
}

function intersect(a: Direction, b: Direction): Direction {
  return toDirection(canSend(a) && canSend(b), canReceive(a) && canReceive(b));
}
