/**
 * Energy against a running noise floor, smoothed like the endpointer: speech once `ratio` of the last `window`
 * frames are `marginDb` above the quietest frame of the last few seconds, silence once `ratio` are not. The WebRTC
 * VAD takes steady broadband noise (a hissy line) for speech and would never report its end; this gate does not,
 * because such noise sits at the floor. bench:speech measured the difference on its noisy copies.
 */
export interface NoiseFloorGateOptions {
  windowFrames: number;
  ratio: number;
  /** Default 6 dB: stationary noise frames stay within ~2 dB of the floor. */
  marginDb?: number;
  /** Frames the floor is the minimum over. Default 150 (3 s): speech always has a quiet frame in that span. */
  floorFrames?: number;
}

/** Mean square of a 20 ms frame below which it counts as silence whatever the floor (about −70 dBm0). */
const MIN_ENERGY = 4;

export class NoiseFloorGate {
  private readonly energies: Float64Array;
  private readonly recent: Uint8Array;
  private readonly margin: number;
  private seen = 0;
  private aboveInWindow = 0;
  private speaking = false;

  constructor(private readonly options: NoiseFloorGateOptions) {
    this.energies = new Float64Array(options.floorFrames ?? 150);
    this.recent = new Uint8Array(options.windowFrames);
    this.margin = 10 ** ((options.marginDb ?? 6) / 10);
  }

  process(frame: Int16Array, offset: number, length: number): boolean {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += frame[offset + i] * frame[offset + i];
    const energy = sum / length;
    this.energies[this.seen % this.energies.length] = energy;
    const filled = Math.min(this.seen + 1, this.energies.length);
    let floor = Infinity;
    for (let i = 0; i < filled; i++) if (this.energies[i] < floor) floor = this.energies[i];
    const above = energy > MIN_ENERGY && energy > floor * this.margin ? 1 : 0;
    const slot = this.seen % this.recent.length;
    if (this.seen >= this.recent.length) this.aboveInWindow -= this.recent[slot];
    this.recent[slot] = above;
    this.aboveInWindow += above;
    this.seen++;
    const window = Math.min(this.seen, this.recent.length);
    if (!this.speaking && this.aboveInWindow >= this.options.ratio * window) this.speaking = true;
    else if (this.speaking && window - this.aboveInWindow >= this.options.ratio * window) this.speaking = false;
    return this.speaking;
  }

  reset(): void {
    this.seen = 0;
    this.aboveInWindow = 0;
    this.speaking = false;
    this.recent.fill(0);
  }
}
