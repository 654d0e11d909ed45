/**
 * The caller's decoded audio streamed into a PcmRing, for a consumer on another thread (speech recognition).
 *
 * The consumer's no-input and end-of-speech timers count samples, so the ring has to keep wall time even when the
 * caller sends nothing (muted, DTX, loss, hold). The session's pacer tick is the clock: each tick owes one tick's
 * worth of samples, received audio pays the debt off, and a debt larger than the jitter allowance means audio is
 * missing, not late, so it is paid with silence — then again on every tick until audio comes back. The allowance
 * keeps ordinary jitter (a packet landing just after its tick) from turning into inserted silence. Audio that
 * arrives after its slot was already filled with silence is still written (recognition needs it); the ring then
 * runs that much ahead, which later gaps absorb because they are filled only down to zero debt.
 *
 * Per packet this is one copy into shared memory: no allocation, no message, no promise.
 */
import { PcmRing } from '../../common/index.js';

/** Received audio may trail the tick by this many ticks (60 ms) before the gap is filled with silence. */
const JITTER_ALLOWANCE_TICKS = 3;

export class AudioTap {
  private ring: PcmRing | undefined;
  private lastTick = 0;
  /** Samples the ticks asked for minus samples written; negative while received audio runs ahead of the ticks. */
  private owedSamples = 0;
  /** A gap is being filled: every tick pays its debt at once until audio arrives again. */
  private filling = false;
  private readonly allowanceSamples: number;

  constructor(private readonly samplesPerTick: number) {
    this.allowanceSamples = JITTER_ALLOWANCE_TICKS * samplesPerTick;
  }

  get active(): boolean {
    return this.ring !== undefined;
  }

  /** Starts writing into `buffer` as of pacer tick `tick`; a running tap is replaced (its ring closed). */
  start(buffer: SharedArrayBuffer, tick: number): void {
    if (this.ring?.buffer === buffer) return;
    const ring = new PcmRing(buffer);
    this.stop();
    this.ring = ring;
    this.lastTick = tick;
    this.owedSamples = 0;
    this.filling = false;
  }

  /** Closes the ring (the consumer sees the end of the stream); idempotent. */
  stop(): void {
    const ring = this.ring;
    this.ring = undefined;
    ring?.close();
  }

  /** Decoded 8 kHz samples of one received packet. */
  write(pcm: Int16Array, length: number): void {
    const ring = this.liveRing();
    if (!ring) return;
    ring.write(pcm, length);
    this.owedSamples -= length;
    this.filling = false;
  }

  /** The pacer's tick index (skipped ticks included, so a stalled loop still counts as time). */
  onTick(tick: number): void {
    const ring = this.liveRing();
    if (!ring) return;
    this.owedSamples += (tick - this.lastTick) * this.samplesPerTick;
    this.lastTick = tick;
    if (this.owedSamples > 0 && (this.filling || this.owedSamples > this.allowanceSamples)) {
      ring.writeSilence(this.owedSamples);
      this.owedSamples = 0;
      this.filling = true;
    }
  }

  /**
   * The ring unless it was closed elsewhere: by the main thread on behalf of a remote session (stop, replace or
   * close take effect at once, before the worker gets the message) or by a consumer that wants no more.
   */
  private liveRing(): PcmRing | undefined {
    const ring = this.ring;
    if (ring?.closed) {
      this.ring = undefined;
      return undefined;
    }
    return ring;
  }
}
