/**
 * A bank of Goertzel filters (G. Goertzel, "An algorithm for the evaluation of finite trigonometric series", 1958):
 * each evaluates one DFT term X(ω) = Σ x[n]·e^(−jωn) at an arbitrary ω with one multiply-add per sample, which for
 * the 8 DTMF frequencies and their second harmonics is far cheaper than an FFT. Unlike the usual magnitude-only
 * form, `read` returns the complex value with its phase referred to the block's first sample, so callers can
 * measure frequency from phase advance, and it can be read part-way through a block.
 */
export class GoertzelBank {
  readonly size: number;
  private readonly omega: Float64Array;
  private readonly coeff: Float64Array;
  private readonly cosW: Float64Array;
  private readonly sinW: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;

  constructor(frequenciesHz: readonly number[], sampleRate: number) {
    const n = frequenciesHz.length;
    this.size = n;
    this.omega = new Float64Array(n);
    this.coeff = new Float64Array(n);
    this.cosW = new Float64Array(n);
    this.sinW = new Float64Array(n);
    this.s1 = new Float64Array(n);
    this.s2 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const w = (2 * Math.PI * frequenciesHz[i]) / sampleRate;
      this.omega[i] = w;
      this.cosW[i] = Math.cos(w);
      this.sinW[i] = Math.sin(w);
      this.coeff[i] = 2 * Math.cos(w);
    }
  }

  /** Radian frequency (per sample) of filter `i`. */
  omegaOf(i: number): number {
    return this.omega[i];
  }

  /** Feeds one sample to every filter. */
  update(x: number): void {
    const { coeff, s1, s2 } = this;
    for (let i = 0; i < coeff.length; i++) {
      const s0 = x + coeff[i] * s1[i] - s2[i];
      s2[i] = s1[i];
      s1[i] = s0;
    }
  }

  /**
   * Writes X_i = Σ_{n<count} x[n]·e^(−jω_i·n) for the filters `from`..`to`−1 into re/im (same indices), where
   * `count` is the number of samples fed since `reset`. With y = s[count−1] − e^(−jω)·s[count−2] = e^(jω(count−1))·X,
   * X follows by one rotation.
   */
  read(count: number, re: Float64Array, im: Float64Array, from = 0, to = this.size): void {
    for (let i = from; i < to; i++) {
      const yr = this.s1[i] - this.cosW[i] * this.s2[i];
      const yi = this.sinW[i] * this.s2[i];
      const phi = this.omega[i] * (count - 1);
      const c = Math.cos(phi);
      const s = Math.sin(phi);
      re[i] = yr * c + yi * s;
      im[i] = yi * c - yr * s;
    }
  }

  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
  }
}

/** X(ω) = Σ x[n]·e^(−jωn) over `samples` by one Goertzel pass; writes [re, im] into out. */
export function goertzelAt(samples: Float64Array, omega: number, out: Float64Array): void {
  const coeff = 2 * Math.cos(omega);
  let s1 = 0;
  let s2 = 0;
  for (let n = 0; n < samples.length; n++) {
    const s0 = samples[n] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const yr = s1 - Math.cos(omega) * s2;
  const yi = Math.sin(omega) * s2;
  const phi = omega * (samples.length - 1);
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  out[0] = yr * c + yi * s;
  out[1] = yi * c - yr * s;
}
