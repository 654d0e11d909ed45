/**
 * The media layer's entry point: owns the port range, the one pacer and the sessions. Configured with plain data
 * only, so one engine per worker thread (each with its own pacer, sockets and port sub-range) is the way to use
 * more cores later.
 */
import { randomBytes } from 'node:crypto';
import { SwitchboardError, SystemClock, type Clock } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import { RtpPortAllocator, type RtpPortPair } from '../rtp/index.js';
import { InbandDtmfDetector } from '../dtmf/index.js';
import { Pacer, type PacerStats } from './pacer.js';
import { MediaSession, type InbandDtmfDetectorFactory, type MediaSessionContext, type MediaSessionStats } from './media-session.js';
import type { CreateSessionOptions, MediaEngineLike } from './media-session-like.js';

const log = logger('media.engine');

const defaultInbandDetector: InbandDtmfDetectorFactory = (onDigit) => new InbandDtmfDetector((digit) => onDigit(digit));

export interface MediaEngineOptions {
  bindHost: string;
  portMin: number;
  portMax: number;
  /** Symmetric RTP latching (see RtpSourceLatch); on for callers behind NAT. */
  latching: boolean;
  /** With latching: send to the latched source (default true) or only accept from it and send to the SDP address. */
  symmetricRtp?: boolean;
  clock?: Clock;
  /** Send silence frames while nothing plays (default true; see MediaSession). */
  comfortSilence?: boolean;
  /** Report a session whose peer sent no RTP for this long (0 = never, the default). */
  rtpTimeoutMs?: number;
  /** RTCP SDES CNAME (RFC 3550 §6.5.1); default a random per-engine token. */
  cname?: string;
  /**
   * In-band DTMF detection for sessions without telephone-event; default InbandDtmfDetector (dtmf/),
   * `false` turns it off.
   */
  inbandDtmfDetector?: InbandDtmfDetectorFactory | false;
}

export interface MediaEngineStats {
  sessions: number;
  portsInUse: number;
  portCapacity: number;
  /** Totals over all sessions, closed ones included. */
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  malformedPackets: number;
  ignoredFromUnexpectedSource: number;
  pacer: PacerStats;
}

interface Totals {
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  malformedPackets: number;
  ignoredFromUnexpectedSource: number;
}

export class MediaEngine implements MediaEngineLike {
  private readonly clock: Clock;
  private readonly pacer: Pacer;
  private readonly ports: RtpPortAllocator;
  private readonly sessions = new Set<MediaSession>();
  private readonly closedTotals: Totals = { packetsSent: 0, packetsReceived: 0, bytesSent: 0, malformedPackets: 0, ignoredFromUnexpectedSource: 0 };
  private readonly context: MediaSessionContext;
  private closed = false;
  private random = randomBytes(4096);
  private randomOffset = 0;

  constructor(options: MediaEngineOptions) {
    this.clock = options.clock ?? new SystemClock();
    this.ports = new RtpPortAllocator({ bindHost: options.bindHost, portMin: options.portMin, portMax: options.portMax });
    let warnedMemberError = false;
    this.pacer = new Pacer(this.clock, {
      onMemberError: (err) => {
        if (warnedMemberError) return;
        warnedMemberError = true;
        log.error({ err }, 'a media session failed during a tick (further failures are only counted)');
      },
    });
    this.context = {
      clock: this.clock,
      pacer: this.pacer,
      latching: options.latching,
      symmetricRtp: options.symmetricRtp ?? true,
      comfortSilence: options.comfortSilence ?? true,
      rtpTimeoutMs: options.rtpTimeoutMs ?? 0,
      cname: options.cname ?? `switchboard-${randomBytes(6).toString('hex')}`,
      inbandDtmfDetector: options.inbandDtmfDetector === false ? undefined : options.inbandDtmfDetector ?? defaultInbandDetector,
      release: (session, pair) => this.release(session, pair),
      randomUint32: () => this.randomUint32(),
    };
  }

  /**
   * Binds a port pair and returns a session ready to configure; rejects with SWB_ERR_RTP_NO_PORTS when full. All
   * sessions of one engine can be bridged, so `near` is only checked to be one of them.
   */
  async createSession(options: CreateSessionOptions = {}): Promise<MediaSession> {
    if (this.closed) throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'the media engine is closed');
    if (options.near && !this.sessions.has(options.near as MediaSession)) {
      throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'the `near` session is not an open session of this engine');
    }
    const pair = await this.ports.allocate();
    if (this.closed) {
      await this.ports.release(pair);
      throw new SwitchboardError('SWB_ERR_MEDIA_STATE', 'the media engine is closed');
    }
    const session = new MediaSession(pair, this.context);
    this.sessions.add(session);
    return session;
  }

  stats(): MediaEngineStats {
    const t = { ...this.closedTotals };
    for (const s of this.sessions) {
      const st = s.stats();
      t.packetsSent += st.packetsSent;
      t.packetsReceived += st.packetsReceived;
      t.bytesSent += st.bytesSent;
      t.malformedPackets += st.malformedPackets;
      t.ignoredFromUnexpectedSource += st.ignoredFromUnexpectedSource;
    }
    return { sessions: this.sessions.size, portsInUse: this.ports.inUse, portCapacity: this.ports.capacity, ...t, pacer: this.pacer.stats() };
  }

  /** Starts a new measurement window for the pacer's lateness and work figures. */
  resetPacerWindow(): void {
    this.pacer.resetWindow();
  }

  /** Closes every session (recordings are finished, not lost) and stops the pacer. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions].map((s) => s.close()));
    this.pacer.stop();
  }

  private async release(session: { stats(): MediaSessionStats }, pair: RtpPortPair): Promise<void> {
    if (this.sessions.delete(session as MediaSession)) {
      const st = session.stats();
      this.closedTotals.packetsSent += st.packetsSent;
      this.closedTotals.packetsReceived += st.packetsReceived;
      this.closedTotals.bytesSent += st.bytesSent;
      this.closedTotals.malformedPackets += st.malformedPackets;
      this.closedTotals.ignoredFromUnexpectedSource += st.ignoredFromUnexpectedSource;
    }
    await this.ports.release(pair);
  }

  private randomUint32(): number {
    if (this.randomOffset + 4 > this.random.length) {
      this.random = randomBytes(4096);
      this.randomOffset = 0;
    }
    const v = this.random.readUInt32BE(this.randomOffset);
    this.randomOffset += 4;
    return v;
  }
}
