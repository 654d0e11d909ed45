/**
 * Records what a caller sends into an 8 kHz PCM16 WAV file, written incrementally: a placeholder header first,
 * then about one second of samples per write (no promise per packet), and on finish the real header at offset 0,
 * fsync, close — and only then onDone, because a voicemail must be on disk before the caller is told it is saved
 * (docs/architecture.md, "Data that must not be lost").
 *
 * Time limits are checked on the pacer tick (`onTick`), so a caller who sends no RTP at all still ends the
 * recording on time. Gaps in the RTP timestamps (loss, silence suppression) are filled with silence, up to one
 * second per gap, so the file keeps real time.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { WAV_HEADER_BYTES, wavHeader } from '../codec/index.js';
import { logger } from '../../observability/index.js';

const log = logger('media.recorder');

export type RecordingEndReason = 'max-duration' | 'silence' | 'digit' | 'stopped' | 'hangup' | 'error';

export interface RecordingResult {
  reason: RecordingEndReason;
  durationMs: number;
  path: string;
  /** The digit that ended the recording (reason 'digit'). */
  digit?: string;
  error?: Error;
}

export interface RecordingOptions {
  path: string;
  maxDurationMs: number;
  /** End after this long without speech (the trailing silence is trimmed from the file). */
  endOnSilenceMs?: number;
  /** DTMF digits that end the recording, e.g. '#'. */
  endOnDigits?: string;
  /** Mean absolute sample value from which a 20 ms frame counts as speech; default 256 (about -42 dBFS). */
  speechLevel?: number;
  onDone: (result: RecordingResult) => void;
}

const SAMPLE_RATE = 8000;
const SAMPLES_PER_MS = SAMPLE_RATE / 1000;
const CHUNK_SAMPLES = SAMPLE_RATE;
const MAX_GAP_FILL_SAMPLES = SAMPLE_RATE;
/** Speech-to-silence tail kept when trimming, so the last word is not clipped. */
const TRIM_TAIL_SAMPLES = 200 * SAMPLES_PER_MS;

export class WavRecorder {
  /** Settles after the file is complete on disk and onDone has run (or, with reason 'error', given up). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly path: string;
  private readonly maxSamples: number;
  private readonly endOnSilenceMs: number;
  private readonly endDigits: string;
  private readonly speechLevel: number;
  private readonly onDone: (result: RecordingResult) => void;
  private readonly startMs: number;
  private readonly fileReady: Promise<FileHandle>;
  private writes: Promise<unknown> = Promise.resolve();
  private chunk = Buffer.alloc(CHUNK_SAMPLES * 2);
  private chunkSamples = 0;
  private writtenSamples = 0;
  private lastSpeechMs: number;
  private lastSpeechSamples = 0;
  private nextTimestamp = -1;
  private finished = false;

  constructor(options: RecordingOptions, nowMs: number) {
    this.path = options.path;
    this.maxSamples = Math.floor(Math.max(0, options.maxDurationMs) * SAMPLES_PER_MS);
    this.endOnSilenceMs = options.endOnSilenceMs ?? 0;
    this.endDigits = options.endOnDigits ?? '';
    this.speechLevel = options.speechLevel ?? 256;
    this.onDone = options.onDone;
    this.startMs = nowMs;
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
    this.lastSpeechMs = nowMs;
    this.fileReady = open(this.path, 'w').then(async (fh) => {
      await fh.write(wavHeader(0, SAMPLE_RATE), 0, WAV_HEADER_BYTES, 0);
      return fh;
    });
    // The error is reported through onDone by finish(); this only keeps it from being "unhandled" meanwhile.
    this.fileReady.catch(() => undefined);
  }

  get active(): boolean {
    return !this.finished;
  }

  /** Appends decoded samples of one packet; `rtpTimestamp` places them in time (gaps become silence). */
  pushPcm(pcm: Int16Array, length: number, rtpTimestamp: number, nowMs: number): void {
    if (this.finished) return;
    if (this.nextTimestamp >= 0) {
      const gap = (rtpTimestamp - this.nextTimestamp) | 0;
      if (gap < 0) return;
      if (gap > 0 && gap <= MAX_GAP_FILL_SAMPLES) this.appendSilence(gap);
    }
    this.nextTimestamp = (rtpTimestamp + length) >>> 0;
    let sum = 0;
    for (let i = 0; i < length && !this.full(); i++) {
      const s = pcm[i];
      sum += s < 0 ? -s : s;
      this.appendSample(s);
    }
    if (length > 0 && sum / length >= this.speechLevel) {
      this.lastSpeechMs = nowMs;
      this.lastSpeechSamples = this.totalSamples();
    }
    if (this.full()) this.finish('max-duration');
  }

  /** Checks the time limits; called on every pacer tick. */
  onTick(nowMs: number): void {
    if (this.finished) return;
    if (nowMs - this.startMs >= this.maxSamples / SAMPLES_PER_MS) this.finish('max-duration');
    else if (this.endOnSilenceMs > 0 && nowMs - this.lastSpeechMs >= this.endOnSilenceMs) this.finish('silence');
  }

  /** Ends the recording if `digit` is one of endOnDigits; returns whether it did. */
  onDigit(digit: string): boolean {
    if (this.finished || !this.endDigits.includes(digit)) return false;
    this.finish('digit', digit);
    return true;
  }

  stop(reason: 'stopped' | 'hangup'): void {
    this.finish(reason);
  }

  private totalSamples(): number {
    return this.writtenSamples + this.chunkSamples;
  }

  private full(): boolean {
    return this.totalSamples() >= this.maxSamples;
  }

  private appendSilence(samples: number): void {
    for (let i = 0; i < samples && !this.full(); i++) this.appendSample(0);
  }

  private appendSample(sample: number): void {
    this.chunk.writeInt16LE(sample, this.chunkSamples * 2);
    if (++this.chunkSamples === CHUNK_SAMPLES) this.flushChunk();
  }

  private flushChunk(): void {
    if (this.chunkSamples === 0) return;
    const data = this.chunk;
    const bytes = this.chunkSamples * 2;
    const position = WAV_HEADER_BYTES + this.writtenSamples * 2;
    this.writtenSamples += this.chunkSamples;
    this.chunkSamples = 0;
    this.chunk = Buffer.alloc(CHUNK_SAMPLES * 2);
    this.writes = this.writes.then(async () => {
      const fh = await this.fileReady;
      await fh.write(data, 0, bytes, position);
    });
    this.writes.catch(() => undefined);
  }

  private finish(reason: RecordingEndReason, digit?: string): void {
    if (this.finished) return;
    this.finished = true;
    this.flushChunk();
    let keptSamples = this.writtenSamples;
    if (reason === 'silence') keptSamples = Math.min(keptSamples, this.lastSpeechSamples + TRIM_TAIL_SAMPLES);
    const result: RecordingResult = { reason, durationMs: keptSamples / SAMPLES_PER_MS, path: this.path };
    if (digit !== undefined) result.digit = digit;
    void this.writes
      .then(async () => {
        const fh = await this.fileReady;
        try {
          if (keptSamples < this.writtenSamples) await fh.truncate(WAV_HEADER_BYTES + keptSamples * 2);
          await fh.write(wavHeader(keptSamples * 2, SAMPLE_RATE), 0, WAV_HEADER_BYTES, 0);
          await fh.sync();
        } finally {
          await fh.close();
        }
      })
      .then(
        () => result,
        (err: unknown): RecordingResult => ({ ...result, reason: 'error', error: err instanceof Error ? err : new Error(String(err)) }),
      )
      .then((final) => {
        try {
          this.onDone(final);
        } catch (err) {
          log.error({ err, path: this.path }, 'recording onDone callback threw');
        }
        this.resolveDone();
      });
  }
}
