/**
 * A single-producer, single-consumer ring of PCM16 samples in a SharedArrayBuffer: how caller audio reaches a
 * consumer on another thread (the media worker writes decoded frames, a speech worker reads them) without a message
 * or an allocation per frame. The same ring works within one thread.
 *
 * Layout: an Int32 header [written, read, dropped, closed] followed by the samples. `written` and `read` count
 * samples since the start and wrap at 2^32; their difference is what is buffered (capacity is far below 2^31).
 * The producer only moves `written` (and `dropped`), the consumer only `read`.
 */
const WRITTEN = 0;
const READ = 1;
const DROPPED = 2;
const CLOSED = 3;
const HEADER_INTS = 4;

export class PcmRing {
  private readonly header: Int32Array;
  private readonly samples: Int16Array;
  readonly capacity: number;

  /** A ring holding `capacity` samples (e.g. 16000 = 2 s at 8 kHz). */
  static create(capacity: number): PcmRing {
    if (!Number.isInteger(capacity) || capacity <= 0 || capacity > 1 << 24) throw new RangeError(`bad ring capacity ${capacity}`);
    return new PcmRing(new SharedArrayBuffer(HEADER_INTS * 4 + capacity * 2));
  }

  /** Attaches to a ring created elsewhere (the buffer was posted to this thread). */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.capacity = (buffer.byteLength - HEADER_INTS * 4) / 2;
    if (!Number.isInteger(this.capacity) || this.capacity <= 0) throw new RangeError(`not a PCM ring: ${buffer.byteLength} bytes`);
    this.samples = new Int16Array(buffer, HEADER_INTS * 4, this.capacity);
  }

  /**
   * Appends samples; when the consumer has fallen so far behind that they do not fit, the newest that do not fit
   * are dropped and counted (a consumer that cannot keep up loses the end, never corrupts what it has).
   */
  write(pcm: Int16Array, length = pcm.length): number {
    const written = Atomics.load(this.header, WRITTEN);
    const read = Atomics.load(this.header, READ);
    const free = this.capacity - ((written - read) | 0);
    const n = Math.min(length, free);
    if (n < length) Atomics.add(this.header, DROPPED, length - n);
    // Index loops rather than set(subarray()): the producer runs once per RTP packet and must not allocate.
    const samples = this.samples;
    let at = (written >>> 0) % this.capacity;
    for (let i = 0; i < n; i++) {
      samples[at] = pcm[i];
      if (++at === this.capacity) at = 0;
    }
    Atomics.store(this.header, WRITTEN, (written + n) | 0);
    return n;
  }

  /** Writes `length` zero samples (the caller sent nothing for that long). */
  writeSilence(length: number): number {
    const written = Atomics.load(this.header, WRITTEN);
    const read = Atomics.load(this.header, READ);
    const n = Math.min(length, this.capacity - ((written - read) | 0));
    if (n < length) Atomics.add(this.header, DROPPED, length - n);
    const start = (written >>> 0) % this.capacity;
    const first = Math.min(n, this.capacity - start);
    this.samples.fill(0, start, start + first);
    if (n > first) this.samples.fill(0, 0, n - first);
    Atomics.store(this.header, WRITTEN, (written + n) | 0);
    return n;
  }

  /** Samples waiting to be read. */
  available(): number {
    return (Atomics.load(this.header, WRITTEN) - Atomics.load(this.header, READ)) | 0;
  }

  /** Copies up to `into.length` waiting samples into `into` and consumes them; returns how many. */
  read(into: Int16Array): number {
    const read = Atomics.load(this.header, READ);
    const n = Math.min(into.length, (Atomics.load(this.header, WRITTEN) - read) | 0);
    const samples = this.samples;
    let at = (read >>> 0) % this.capacity;
    for (let i = 0; i < n; i++) {
      into[i] = samples[at];
      if (++at === this.capacity) at = 0;
    }
    Atomics.store(this.header, READ, (read + n) | 0);
    return n;
  }

  /** Samples the producer had to drop because the ring was full. */
  dropped(): number {
    return Atomics.load(this.header, DROPPED);
  }

  /** The producer will write no more (the call or the tap ended). */
  close(): void {
    Atomics.store(this.header, CLOSED, 1);
  }

  get closed(): boolean {
    return Atomics.load(this.header, CLOSED) === 1;
  }
}
