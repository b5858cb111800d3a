// The live metric series of one run of one cell, as its chart reads them. The page makes one with
// `createCellMetrics()` when the cell starts and passes each `metric` event's batch to `appendPoints`; the chart
// draws straight from the arrays here, so a message costs no React render and no copy of earlier points.
//
// The object is mutable: `appendPoints` changes it in place and bumps `version`, so a reader can tell it changed
// by comparing one number (useSyncExternalStore with `subscribeMetrics` / `metrics.version`, or a chart's redraw
// timer). Per key, steps and values live in Float64Arrays that double when full; only the first `length` entries
// count. After every `appendPoints` each series is sorted by step (points with equal steps keep their arrival
// order): in-order points are appended in O(1), an out-of-order batch costs one merge of the series. A value that
// is NaN or ±Inf is stored as NaN, which the chart draws as a gap, and counted in `nonFinite`.
import type { MetricPoint } from "@/lib/runner/protocol";

export interface MetricColumns {
  key: string;
  /** How many entries of `steps` and `values` are points; the rest is spare capacity. */
  length: number;
  /** Ascending. */
  steps: Float64Array;
  /** NaN where the logged value was NaN or ±Inf. */
  values: Float64Array;
  /** How many logged values were NaN or ±Inf. */
  nonFinite: number;
  /** Min and max of the finite values (Infinity / -Infinity while there are none). */
  min: number;
  max: number;
  /** The point logged last (by arrival, not by step), value as logged. */
  last: { step: number; value: number } | null;
}

export interface CellMetrics {
  /** Bumped by every appendPoints that added a point. */
  version: number;
  /** By key. */
  series: Map<string, MetricColumns>;
  /** Keys in the order their first point arrived. */
  order: string[];
  /** All points ever appended. */
  total: number;
  /** Called after each change; see subscribeMetrics. */
  readonly listeners: Set<() => void>;
}

const INITIAL_CAPACITY = 64;

export function createCellMetrics(): CellMetrics {
  return { version: 0, series: new Map(), order: [], total: 0, listeners: new Set() };
}

/** Adds a batch of points (any keys, any order) and tells the subscribers once. */
export function appendPoints(metrics: CellMetrics, points: readonly MetricPoint[]): void {
  if (points.length === 0) return;
  // Series that got a point before their last step, with how many points were in order until then: the rest of
  // the batch is sorted and merged in once, after the whole batch.
  const unsorted = new Map<MetricColumns, number>();
  for (const p of points) {
    let s = metrics.series.get(p.key);
    if (!s) {
      s = emptyColumns(p.key);
      metrics.series.set(p.key, s);
      metrics.order.push(p.key);
    }
    if (s.length === s.steps.length) grow(s, s.length * 2);
    const finite = Number.isFinite(p.value);
    if (s.length > 0 && p.step < s.steps[s.length - 1] && !unsorted.has(s)) unsorted.set(s, s.length);
    s.steps[s.length] = p.step;
    s.values[s.length] = finite ? p.value : NaN;
    s.length++;
    if (finite) {
      if (p.value < s.min) s.min = p.value;
      if (p.value > s.max) s.max = p.value;
    } else {
      s.nonFinite++;
    }
    s.last = { step: p.step, value: p.value };
  }
  for (const [s, prefix] of unsorted) mergeTail(s, prefix);
  metrics.total += points.length;
  metrics.version++;
  for (const listener of metrics.listeners) listener();
}

/** Calls `listener` after every change; returns the unsubscribe function (useSyncExternalStore's shape). */
export function subscribeMetrics(metrics: CellMetrics, listener: () => void): () => void {
  metrics.listeners.add(listener);
  return () => metrics.listeners.delete(listener);
}

/** The points of a series as exact-length views (no copy): valid until the next appendPoints. */
export function columnsView(s: MetricColumns): { steps: Float64Array; values: Float64Array } {
  return { steps: s.steps.subarray(0, s.length), values: s.values.subarray(0, s.length) };
}

function emptyColumns(key: string): MetricColumns {
  return {
    key,
    length: 0,
    steps: new Float64Array(INITIAL_CAPACITY),
    values: new Float64Array(INITIAL_CAPACITY),
    nonFinite: 0,
    min: Infinity,
    max: -Infinity,
    last: null,
  };
}

function grow(s: MetricColumns, capacity: number): void {
  const steps = new Float64Array(capacity);
  const values = new Float64Array(capacity);
  steps.set(s.steps.subarray(0, s.length));
  values.set(s.values.subarray(0, s.length));
  s.steps = steps;
  s.values = values;
}

/**
 * Sorts the points from `prefix` on (this batch's) by step, stably, then merges them into the sorted points before
 * them: O(n + k log k) for k new points, instead of an O(n) shift for each out-of-order point.
 */
function mergeTail(s: MetricColumns, prefix: number): void {
  const k = s.length - prefix;
  const order = Array.from({ length: k }, (_, i) => prefix + i);
  order.sort((a, b) => s.steps[a] - s.steps[b] || a - b);
  const tailSteps = Float64Array.from(order, (i) => s.steps[i]);
  const tailValues = Float64Array.from(order, (i) => s.values[i]);
  // Merge from the back so that the sorted prefix is overwritten only where it has already been read.
  let i = prefix - 1;
  let j = k - 1;
  for (let w = s.length - 1; j >= 0; w--) {
    // `>` (not `>=`) puts an old point with an equal step before the new one: arrival order is kept.
    if (i >= 0 && s.steps[i] > tailSteps[j]) {
      s.steps[w] = s.steps[i];
      s.values[w] = s.values[i];
      i--;
    } else {
      s.steps[w] = tailSteps[j];
      s.values[w] = tailValues[j];
      j--;
    }
  }
}
