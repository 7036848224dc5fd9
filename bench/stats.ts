/** Summary statistics of a sample of numbers (milliseconds, bytes, …). */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The `p`-th percentile (0–100) of `values` by linear interpolation between closest ranks; the median is
 * `percentile(values, 50)`.
 * @throws RangeError on an empty sample, so a missing measurement never reads as 0
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (rank - low);
}

/** The median of `values`. @throws RangeError on an empty sample */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** n, min, p50, p95, p99, max and mean of `values`. @throws RangeError on an empty sample */
export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    min: Math.min(...values),
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean: values.reduce((sum, v) => sum + v, 0) / values.length,
  };
}

/** Rounds to `digits` decimals, for results meant to be read. */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * Jobs per second in the steady part of a run: how many jobs finished between the `from`-th and the
 * `to`-th percentile of finish times, over that span. Ramp-up and the tail (e.g. a batching window that
 * waits for a batch that never fills) fall outside it.
 */
export function steadyRate(finishTimesMs: readonly number[], from = 10, to = 90): number {
  const sorted = [...finishTimesMs].sort((a, b) => a - b);
  const a = Math.floor((from / 100) * (sorted.length - 1));
  const b = Math.ceil((to / 100) * (sorted.length - 1));
  const span = (sorted[b] as number) - (sorted[a] as number);
  return span > 0 ? ((b - a) / span) * 1000 : Number.NaN;
}
