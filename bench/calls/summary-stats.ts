/** Percentiles with linear interpolation between closest ranks, the definition analyze.py uses. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const xs = [...values].sort((a, b) => a - b);
  const k = ((xs.length - 1) * p) / 100;
  const f = Math.floor(k);
  const c = Math.min(f + 1, xs.length - 1);
  return xs[f] + (xs[c] - xs[f]) * (k - f);
}

export interface Distribution {
  n: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/** Rounds for the committed JSON; NaN (no samples) becomes null so the file stays valid JSON. */
export function round(x: number, digits = 2): number | null {
  if (!Number.isFinite(x)) return null;
  const m = 10 ** digits;
  return Math.round(x * m) / m;
}

export function distribution(values: readonly number[], digits = 2): Distribution {
  let max = values.length ? -Infinity : Number.NaN;
  for (const v of values) if (v > max) max = v;
  return { n: values.length, p50: round(percentile(values, 50), digits), p99: round(percentile(values, 99), digits), max: round(max, digits) };
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
