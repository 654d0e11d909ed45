/**
 * One call's media: an RTP/RTCP port pair, what to send on each pacer tick, and what to do with what arrives.
 *
 * Sending (on the engine's shared tick, never a timer of its own): per tick exactly one of — a telephone-event
 * packet while digits are being sent, the next prompt frame, or a silence frame. While the call is up and nothing
 * plays we keep sending µ-law/A-law silence at the normal rate: it keeps NAT bindings and the peer's latching
 * alive and RTP timestamps continuous (set `comfortSilence: false` on the engine to send nothing instead; the
 * first frame after a pause then carries the marker bit, RFC 3551 §4.1). Timestamps advance by 160 per tick
 * whether or not a packet goes out (RFC 3550 §5.1: the sampling instant), so skipped ticks show as time, not as
 * compressed audio. A frame is written into a per-session preallocated buffer: header, then a Buffer.copy of 160
 * payload bytes — no allocation per packet on our side. (dgram sends at once when the socket buffer has room; a
 * send queued behind a full buffer still refers to ours, which is rewritten only a tick later.) A bridged session
 * sends nothing of its own: the peer's packets are relayed as they arrive, so bridging adds no delay.
 *
 * Receiving: each datagram is parsed into one reused view; malformed ones are counted (logged once per session)
 * and dropped; the payload type and source are checked (see RtpSourceLatch); DTMF goes through Rfc4733Receiver;
 * audio is only decoded when someone listens (recorder, in-band detector, audio tap — bridged or not), and relayed
 * (transcoded between PCMU and PCMA if the legs differ) when bridged.
 *
 * Direction (RFC 3264 §5.1) gates sending only: on hold (recvonly/inactive) playback still advances in time but
 * nothing is sent; received packets are always accounted.
 */
import type { Socket, RemoteInfo } from 'node:dgram';
import { SwitchboardError } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR, type G711Law } from '../codec/index.js';
import { RTP_HEADER_BYTES, RTP_PARSE_OK, RtpPacketView, writeRtpHeader, type RtpPortPair } from '../rtp/index.js';
import { ReceiverStatistics } from '../rtcp/index.js';
import { Rfc4733Receiver, TELEPHONE_EVENT_BYTES, TelephoneEventView, assertDtmfDigits } from '../dtmf/index.js';
import { FRAME_BYTES, type PlayItem, type PlayOptions } from '../player/index.js';
import { WavRecorder, type RecordingOptions } from '../recorder/index.js';
import { RelayStream, bridgeLegs, relayG711Payload, unbridgeLeg, type BridgeLeg } from '../bridge/index.js';
import { validateSessionConfig, type MediaSessionConfig } from './media-session-config.js';
import { RtpSourceLatch } from './rtp-source-latch.js';
import { RtcpReporter } from './rtcp-reporter.js';
import { OUT_AUDIO, OUT_EVENT, OutboundSchedule } from './outbound-schedule.js';
import { AudioTap } from './audio-tap.js';
import type { PacerMember } from './pacer.js';
import { MediaSessionEvents, type MediaCloseCause } from './media-session-events.js';
import type { MediaSessionLike } from './media-session-like.js';
import type {
  DtmfListener, DtmfSource, InbandDtmfSink, MediaSessionContext, MediaSessionStats,
} from './media-session-types.js';

export type { DtmfListener, DtmfSource, InbandDtmfDetectorFactory, InbandDtmfSink, MediaSessionContext, MediaSessionStats } from './media-session-types.js';

/** Skipped ticks whose frames are still sent late (40 ms: within any jitter buffer); older ones are dropped. */
const CATCH_UP_FRAMES = 2;
/** Beyond this many skipped ticks (a 10 s stall) playback is not advanced further. */
const MAX_SKIPPED_TICKS = 500;
const log = logger('media.session');

const RELAY_MAX_PAYLOAD = 1460;
const G711_SAMPLES_PER_MS = 8;
const RTCP_INTERVAL_TICKS = 250;

export class MediaSession implements MediaSessionLike, PacerMember, BridgeLeg {
  bridgePeer: BridgeLeg | undefined;
  private readonly rtp: Socket;
  private readonly rtcp: Socket;
  private readonly ssrc: number;
  private readonly tsBase: number;
  private readonly startTick: number;
  private lastTick = -1;
  private readonly lateTicksAtStart: number;
  private readonly audioOut = Buffer.alloc(RTP_HEADER_BYTES + FRAME_BYTES);
  private readonly eventOut = Buffer.alloc(RTP_HEADER_BYTES + TELEPHONE_EVENT_BYTES);
  private readonly relayOut = Buffer.alloc(RTP_HEADER_BYTES + RELAY_MAX_PAYLOAD);
  private readonly pcmScratch = new Int16Array(RELAY_MAX_PAYLOAD);
  /** View of pcmScratch sized to the last payload, re-made only when the peer's packet size changes. */
  private pcm = this.pcmScratch.subarray(0, FRAME_BYTES);
  private readonly view = new RtpPacketView();
  private readonly eventView = new TelephoneEventView();
  private readonly latch: RtpSourceLatch;
  private readonly source = new ReceiverStatistics(8000);
  private readonly reporter: RtcpReporter;
  private readonly dtmfReceiver: Rfc4733Receiver;
  private readonly outbound: OutboundSchedule;
  private readonly relay = new RelayStream();
  private readonly events = new MediaSessionEvents(log, () => ({ localPort: this.localPort }));
  private config: ReturnType<typeof validateSessionConfig> | undefined;
  private law: G711Law = 'pcmu';
  private audioPt = -1;
  private eventPt = -1;
  private canSend = false;
  private expectMedia = false;
  private seq: number;
  private currentTimestamp: number;
  private markerNext = true;
  private rtcpCountdown: number;
  private hasRemoteSsrc = false;
  private remoteSsrc = 0;
  private lastRtpMs = 0;
  private rtpTimedOut = false;
  private recorder: WavRecorder | undefined;
  private inband: InbandDtmfSink | undefined;
  private readonly tap: AudioTap;
  private closing: Promise<void> | undefined;
  private warnedMalformed = false;
  private packetsSent = 0;
  private bytesSent = 0;
  private payloadBytesSent = 0;
  private packetsReceived = 0;
  private bytesReceived = 0;
  private ignoredFromUnexpectedSource = 0;
  private ignoredPayloadType = 0;
  private malformedPackets = 0;
  private sendErrors = 0;

  constructor(private readonly ports: RtpPortPair, private readonly ctx: MediaSessionContext) {
    this.rtp = ports.rtp;
    this.rtcp = ports.rtcp;
    // RFC 3550 §5.1: SSRC, initial sequence number and timestamp are random.
    this.ssrc = ctx.randomUint32();
    this.seq = ctx.randomUint32() & 0xffff;
    this.tsBase = ctx.randomUint32();
    this.currentTimestamp = this.tsBase;
    this.startTick = ctx.pacer.tick;
    this.lateTicksAtStart = ctx.pacer.stats().lateTicks;
    this.rtcpCountdown = 1 + Math.floor(Math.random() * RTCP_INTERVAL_TICKS);
    this.latch = new RtpSourceLatch(ctx.latching, ctx.symmetricRtp);
    this.outbound = new OutboundSchedule(ctx.comfortSilence);
    this.tap = new AudioTap(ctx.pacer.tickMs * G711_SAMPLES_PER_MS);
    this.reporter = new RtcpReporter(this.ssrc, ctx.cname);
    this.dtmfReceiver = new Rfc4733Receiver({ onDigit: (digit) => this.emitDtmf(digit, 'rfc4733') });
    this.rtp.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.onRtp(msg, rinfo));
    this.rtcp.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.onRtcp(msg, rinfo));
    const onSocketError = (err: Error): void => {
      if (this.sendErrors++ === 0) log.warn({ err, localPort: this.localPort }, 'RTP socket error (further ones counted silently)');
    };
    this.rtp.on('error', onSocketError);
    this.rtcp.on('error', onSocketError);
    ctx.pacer.add(this);
  }

  get localPort(): number {
    return this.ports.rtpPort;
  }

  get localRtcpPort(): number {
    return this.ports.rtcpPort;
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Applies a negotiated session description; may be called again for re-INVITEs (hold, codec change). */
  configure(config: MediaSessionConfig): void {
    this.assertOpen();
    const next = validateSessionConfig(config);
    const previous = this.config;
    this.config = next;
    this.law = next.codec;
    this.audioPt = next.payloadType;
    this.eventPt = next.telephoneEventPt ?? -1;
    this.canSend = next.direction === 'sendrecv' || next.direction === 'sendonly';
    this.expectMedia = next.direction === 'sendrecv' || next.direction === 'recvonly';
    if (!previous || previous.remoteAddress !== next.remoteAddress || previous.remotePort !== next.remotePort) {
      this.latch.reset(next.remoteAddress, next.remotePort);
      this.reporter.forgetLearnedDestination();
    }
    this.reporter.setSdpDestination(next.remoteAddress, next.remoteRtcpPort);
    if (!previous || previous.codec !== next.codec) this.markerNext = true;
    this.lastRtpMs = this.ctx.clock.nowMs();
    this.rtpTimedOut = false;
    if (this.eventPt < 0 && !this.inband && this.ctx.inbandDtmfDetector) {
      this.inband = this.ctx.inbandDtmfDetector((digit) => this.emitDtmf(digit, 'inband'));
    } else if (this.eventPt >= 0) {
      this.inband = undefined;
    }
  }

  play(items: readonly PlayItem[], options?: PlayOptions): void {
    this.assertOpen();
    this.outbound.play(items, options);
  }

  /** Interrupts the playing request and drops the queued ones (onDone('interrupted')). */
  stopPlayback(): void {
    this.outbound.stopPlayback('interrupted');
  }

  get playing(): boolean {
    return this.outbound.playing;
  }

  /**
   * Sends digits as RFC 4733 telephone-events when negotiated, else as in-band DTMF tones; prompt playback pauses
   * until they are out.
   */
  sendDtmf(digits: string, durationMs = 100): void {
    this.assertOpen();
    assertDtmfDigits(digits);
    if (!this.config) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'sendDtmf before configure');
    this.outbound.sendDtmf(digits, durationMs, this.eventPt >= 0);
  }

  onDtmf(listener: DtmfListener): () => void {
    return this.events.onDtmf(listener);
  }

  /** Reports a digit that arrived by signalling (SIP INFO), through the same listeners as RTP digits. */
  injectDtmf(digit: string, source: 'info'): void {
    assertDtmfDigits(digit);
    if (digit.length !== 1) throw new SwitchboardError('SWB_ERR_DTMF_INVALID', 'injectDtmf takes one digit');
    this.emitDtmf(digit.toUpperCase(), source);
  }

  /** Called once when the peer, expected to send, has sent no RTP for the engine's rtpTimeoutMs. */
  onRtpTimeout(listener: () => void): () => void {
    return this.events.onRtpTimeout(listener);
  }

  onClose(listener: (cause: MediaCloseCause) => void): () => void {
    return this.events.onClose(listener);
  }

  startRecording(options: RecordingOptions): void {
    this.assertOpen();
    if (this.recorder?.active) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'a recording is already running');
    const recorder = new WavRecorder({
      ...options,
      onDone: (result) => {
        if (this.recorder === recorder) this.recorder = undefined;
        options.onDone(result);
      },
    }, this.ctx.clock.nowMs());
    this.recorder = recorder;
  }

  stopRecording(): void {
    this.recorder?.stop('stopped');
  }

  /** Streams the caller's decoded audio into the PcmRing in `ring`, gaps filled with silence (see AudioTap). */
  startAudioTap(ring: SharedArrayBuffer): void {
    this.assertOpen();
    this.tap.start(ring, this.ctx.pacer.tick);
  }

  stopAudioTap(): void {
    this.tap.stop();
  }

  /** Relays media both ways between this session and `other` (same engine), transcoding G.711 if needed. */
  bridgeTo(other: MediaSessionLike): void {
    this.assertOpen();
    if (!(other instanceof MediaSession) || other.ctx.pacer !== this.ctx.pacer) {
      throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'bridged sessions must share an engine');
    }
    other.assertOpen();
    bridgeLegs(this, other);
  }

  unbridge(): void {
    unbridgeLeg(this);
  }

  onBridgeChange(peer: BridgeLeg | undefined): void {
    this.relay.reset();
    if (!peer) this.markerNext = true;
  }

  stats(): MediaSessionStats {
    const s: MediaSessionStats = {
      packetsSent: this.packetsSent,
      packetsReceived: this.packetsReceived,
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
      packetsLost: this.source.cumulativeLost,
      jitterMs: this.source.jitterMs,
      lateTicks: this.ctx.pacer.stats().lateTicks - this.lateTicksAtStart,
      ignoredFromUnexpectedSource: this.ignoredFromUnexpectedSource,
      ignoredPayloadType: this.ignoredPayloadType,
      malformedPackets: this.malformedPackets,
      rtcpReceived: this.reporter.reportsReceived,
      latched: this.latch.latched,
    };
    if (this.reporter.rttMs !== undefined) s.rttMs = this.reporter.rttMs;
    if (this.config) {
      s.remoteAddress = this.latch.address;
      s.remotePort = this.latch.port;
    }
    return s;
  }

  /**
   * Stops everything, says BYE over RTCP (RFC 3550 §6.6), closes the sockets and returns the ports; resolves
   * once a running recording is safely on disk (it ends with reason 'hangup').
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.ctx.pacer.remove(this);
    this.outbound.stop();
    const recording = this.recorder?.done;
    this.recorder?.stop('hangup');
    this.tap.stop();
    unbridgeLeg(this);
    if (this.config) this.sendRtcp(this.reporter.buildBye());
    this.rtp.removeAllListeners('message');
    this.rtcp.removeAllListeners('message');
    const released = this.ctx.release(this, this.ports);
    this.closing = recording ? Promise.all([released, recording]).then(() => undefined) : released;
    this.events.emitClose('closed');
    return this.closing;
  }

  onTick(tick: number, nowMs: number): void {
    this.tap.onTick(tick);
    const config = this.config;
    if (!config || this.closing) return;
    const ts = (this.tsBase + (tick - this.startTick) * FRAME_BYTES) >>> 0;
    this.currentTimestamp = ts;
    this.dtmfReceiver.tick(nowMs);
    this.recorder?.onTick(nowMs);
    if (this.expectMedia && this.ctx.rtpTimeoutMs > 0 && !this.rtpTimedOut && nowMs - this.lastRtpMs >= this.ctx.rtpTimeoutMs) {
      this.rtpTimedOut = true;
      this.events.emitRtpTimeout();
    }
    if (--this.rtcpCountdown <= 0) {
      // RFC 3550 §6.3.1: randomise the interval (0.5–1.5 × 5 s) so sessions started together do not stay in step.
      this.rtcpCountdown = Math.round(RTCP_INTERVAL_TICKS * (0.5 + Math.random()));
      const sending = this.canSend && this.packetsSent > 0;
      this.sendRtcp(this.reporter.buildReport(sending, ts, this.packetsSent, this.payloadBytesSent,
        this.hasRemoteSsrc ? this.source : undefined, this.ctx.clock.wallMs(), nowMs));
    }
    const missed = this.lastTick < 0 ? 0 : Math.min(tick - this.lastTick - 1, MAX_SKIPPED_TICKS);
    this.lastTick = tick;
    if (this.bridgePeer) return;
    // Ticks the pacer skipped (event loop stalled): the newest CATCH_UP_FRAMES of them are sent now, each with its
    // own timestamp for the far end's jitter buffer to place; older ones are dropped. Either way playback stays in
    // step with real time, so overload costs audio, not prompts that last longer than they should.
    for (let back = missed; back >= 1; back--) {
      const missedTs = (ts - back * FRAME_BYTES) >>> 0;
      if (back > CATCH_UP_FRAMES) this.outbound.next(missedTs, this.law, this.eventOut, RTP_HEADER_BYTES);
      else this.sendNext(missedTs);
    }
    this.sendNext(ts);
  }

  private sendNext(ts: number): void {
    const step = this.outbound.next(ts, this.law, this.eventOut, RTP_HEADER_BYTES);
    if (step === OUT_AUDIO) {
      this.sendFrame(this.outbound.source, this.outbound.offset, ts);
    } else if (step === OUT_EVENT) {
      if (this.canSend && this.eventPt >= 0) {
        writeRtpHeader(this.eventOut, 0, this.eventPt, this.outbound.eventMarker, this.nextSeq(), this.outbound.eventTimestamp, this.ssrc);
        this.send(this.eventOut);
      }
    } else {
      this.markerNext = true;
    }
  }

  /** Sends a packet received by the bridged peer (see RelayStream for the timeline); `sourceLaw` null = event. */
  relayFromPeer(msg: Buffer, view: RtpPacketView, sourceLaw: G711Law | null): void {
    if (!this.config || this.closing || !this.canSend) return;
    const length = view.payloadLength;
    if (length > RELAY_MAX_PAYLOAD) return;
    const pt = sourceLaw === null ? this.eventPt : this.audioPt;
    if (pt < 0) return;
    const ts = this.relay.map(view.ssrc, view.timestamp, this.currentTimestamp, view.marker);
    writeRtpHeader(this.relayOut, 0, pt, this.relay.marker, this.nextSeq(), ts, this.ssrc);
    if (sourceLaw === null) msg.copy(this.relayOut, RTP_HEADER_BYTES, view.payloadOffset, view.payloadOffset + length);
    else relayG711Payload(msg, view.payloadOffset, length, sourceLaw, this.relayOut, RTP_HEADER_BYTES, this.law);
    this.sendSlice(this.relayOut, RTP_HEADER_BYTES + length);
  }

  private sendFrame(source: Buffer, offset: number, ts: number): void {
    if (!this.canSend) {
      this.markerNext = true;
      return;
    }
    writeRtpHeader(this.audioOut, 0, this.audioPt, this.markerNext, this.nextSeq(), ts, this.ssrc);
    this.markerNext = false;
    source.copy(this.audioOut, RTP_HEADER_BYTES, offset, offset + FRAME_BYTES);
    this.send(this.audioOut);
  }

  private nextSeq(): number {
    const s = this.seq;
    this.seq = (s + 1) & 0xffff;
    return s;
  }

  private send(packet: Buffer): void {
    this.rtp.send(packet, this.latch.port, this.latch.address);
    this.countSent(packet.length);
  }

  private sendSlice(packet: Buffer, length: number): void {
    this.rtp.send(packet, 0, length, this.latch.port, this.latch.address);
    this.countSent(length);
  }

  private countSent(length: number): void {
    this.packetsSent++;
    this.bytesSent += length;
    this.payloadBytesSent += length - RTP_HEADER_BYTES;
  }

  private sendRtcp(length: number): void {
    const config = this.config;
    if (config && this.reporter.chooseDestination(this.latch, config.remoteAddress)) {
      this.rtcp.send(this.reporter.buffer, 0, length, this.reporter.port, this.reporter.address);
    }
  }

  private onRtp(msg: Buffer, rinfo: RemoteInfo): void {
    const view = this.view;
    const status = view.parse(msg);
    if (status !== RTP_PARSE_OK) {
      this.malformedPackets++;
      if (!this.warnedMalformed) {
        this.warnedMalformed = true;
        log.warn({ localPort: this.localPort, from: `${rinfo.address}:${rinfo.port}`, reason: status }, 'malformed RTP dropped (further ones counted silently)');
      }
      return;
    }
    const pt = view.payloadType;
    const isEvent = pt === this.eventPt;
    if (!this.config || (pt !== this.audioPt && !isEvent)) {
      this.ignoredPayloadType++;
      return;
    }
    if (!this.latch.accept(rinfo.address, rinfo.port, view.ssrc, view.sequenceNumber)) {
      this.ignoredFromUnexpectedSource++;
      return;
    }
    const nowMs = this.ctx.clock.nowMs();
    if (!this.hasRemoteSsrc || view.ssrc !== this.remoteSsrc) this.newRemoteSource(view.ssrc);
    this.packetsReceived++;
    this.bytesReceived += msg.length;
    this.lastRtpMs = nowMs;
    this.rtpTimedOut = false;
    this.source.onPacket(view.sequenceNumber, view.timestamp, nowMs, !isEvent);
    const peer = this.bridgePeer;
    if (isEvent) {
      const ev = this.eventView;
      if (ev.parse(msg, view.payloadOffset, view.payloadLength)) this.dtmfReceiver.receive(view.timestamp, ev.event, ev.end, ev.duration, nowMs);
      peer?.relayFromPeer(msg, view, null);
      return;
    }
    peer?.relayFromPeer(msg, view, this.law);
    if (this.recorder || this.inband || this.tap.active) this.decodeForListeners(msg, nowMs);
  }

  private decodeForListeners(msg: Buffer, nowMs: number): void {
    const view = this.view;
    const length = Math.min(view.payloadLength, this.pcmScratch.length);
    if (this.pcm.length !== length) this.pcm = this.pcmScratch.subarray(0, length);
    const table = this.law === 'pcmu' ? MULAW_TO_LINEAR : ALAW_TO_LINEAR;
    const pcm = this.pcm;
    for (let i = 0, o = view.payloadOffset; i < length; i++, o++) pcm[i] = table[msg[o]];
    this.recorder?.pushPcm(pcm, length, view.timestamp, nowMs);
    this.inband?.process(pcm);
    this.tap.write(pcm, length);
  }

  private newRemoteSource(ssrc: number): void {
    this.hasRemoteSsrc = true;
    this.remoteSsrc = ssrc;
    this.source.reset(ssrc);
    this.dtmfReceiver.reset();
  }

  private onRtcp(msg: Buffer, rinfo: RemoteInfo): void {
    if (!this.config || rinfo.address !== this.latch.sourceAddress) {
      this.ignoredFromUnexpectedSource++;
      return;
    }
    try {
      this.reporter.handle(msg, this.source, this.ctx.clock.wallMs(), this.ctx.clock.nowMs());
    } catch {
      this.malformedPackets++;
      return;
    }
    if (this.ctx.latching && this.ctx.symmetricRtp) this.reporter.learnDestination(rinfo.address, rinfo.port);
  }

  private emitDtmf(digit: string, source: DtmfSource): void {
    this.recorder?.onDigit(digit);
    this.events.emitDtmf(digit, source);
  }

  private assertOpen(): void {
    if (this.closing) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'the media session is closed');
  }
}
