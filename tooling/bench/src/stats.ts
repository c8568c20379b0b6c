// Bench harness (@toro/bench), pure statistics over samples: median, min, max, mean and the ratio
// of two medians. No I/O and no imports, so it is unit-tested exactly.

/** Order statistics of one set of samples (all in the samples' unit). */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  mean: number;
}

/** Summarizes samples; throws on an empty list (a case with no sample has nothing to summarize). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summarize: no samples");
  if (samples.some((v) => !Number.isFinite(v))) throw new RangeError("summarize: non-finite sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  // Even counts take the mean of the two middle values, the usual definition.
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { n: sorted.length, median, min: sorted[0]!, max: sorted[sorted.length - 1]!, mean };
}

/** `value / baseline`, or null when either is missing or the baseline is not positive. */
export function ratio(value: number | undefined, baseline: number | undefined): number | null {
  if (value === undefined || baseline === undefined) return null;
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline <= 0) return null;
  return value / baseline;
}
