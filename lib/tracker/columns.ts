// A metric series in memory: parallel Float64Arrays sorted by step. NaN in `values` stands for null.

export interface Columns {
  steps: Float64Array;
  values: Float64Array;
  /** wall time, ms since epoch */
  times: Float64Array;
}

export function emptyColumns(n: number): Columns {
  return { steps: new Float64Array(n), values: new Float64Array(n), times: new Float64Array(n) };
}

export function isSorted(steps: Float64Array): boolean {
  for (let i = 1; i < steps.length; i++) if (steps[i] < steps[i - 1]) return false;
  return true;
}

/** Picks the points at `index` (in that order) into new columns. */
export function gather(c: Columns, index: ArrayLike<number>): Columns {
  const out = emptyColumns(index.length);
  for (let i = 0; i < index.length; i++) {
    const j = index[i];
    out.steps[i] = c.steps[j];
    out.values[i] = c.values[j];
    out.times[i] = c.times[j];
  }
  return out;
}

/** Sorts by step; equal steps keep their arrival order (Array.prototype.sort is stable). */
export function sortByStep(c: Columns): Columns {
  if (isSorted(c.steps)) return c;
  const order = Array.from({ length: c.steps.length }, (_, i) => i);
  order.sort((a, b) => c.steps[a] - c.steps[b]);
  return gather(c, order);
}

/** First index whose step is >= `step` (binary search over sorted steps). */
export function lowerBound(steps: Float64Array, step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose step is > `step`. */
export function upperBound(steps: Float64Array, step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid] <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Points with from <= step <= to, as views (no copy). */
export function stepRange(c: Columns, from = -Infinity, to = Infinity): Columns {
  const lo = lowerBound(c.steps, from);
  const hi = upperBound(c.steps, to);
  return { steps: c.steps.subarray(lo, hi), values: c.values.subarray(lo, hi), times: c.times.subarray(lo, hi) };
}

/** The JSON shape: plain arrays, NaN as null. */
export interface JsonSeries {
  steps: number[];
  values: (number | null)[];
  times: number[];
}

export function toJson(c: Columns): JsonSeries {
  const n = c.steps.length;
  const values = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const v = c.values[i];
    values[i] = v === v ? v : null; // NaN is the only value not equal to itself
  }
  return { steps: Array.from(c.steps), values, times: Array.from(c.times) };
}
