// The live chart's figure, built from the columns of cell-metrics.ts without touching the DOM: which keys share a
// panel, and the points of each trace, thinned to what the chart's width can show.
//
// Panels: keys whose typical |value| lies within a factor of 10 of that of a panel's first key share the panel (the
// losses of G and D side by side), others get their own, stacked, with one step range for all (gradient norms,
// step time, a learning rate). One y axis for all would flatten everything but the largest key; one panel per key
// would split the pair one most wants to compare. A panel's key set is recomputed at each redraw, so a key moves
// only when its typical value crosses into another decade.
//
// Thinning: a series of n points is cut into buckets of equal step width and each bucket keeps its lowest and
// highest point, in step order (and a NaN if it had one, so a gap stays a gap). The line looks the same at the
// chart's resolution, spikes included, and a redraw costs O(n) simple reads rather than drawing every point.
// Inside the zoomed window buckets are finer, so zooming in shows detail.
import uPlot from "uplot";
import { columnsView, type CellMetrics, type MetricColumns } from "./cell-metrics";

/**
 * Buckets across the visible window; each keeps ≤ 3 points (its lowest and highest: two per three pixels of a
 * 750-pixel chart). Drawing costs the page's main thread per point: a dozen keys of a long run at 1,000 buckets
 * (24,000 points) took 50–120 ms a redraw in Chromium without a GPU.
 */
export const BUCKETS = 250;
/** Outside the visible window (so panning shows a coarse line at once, before the next redraw). */
const OUTER_BUCKETS = 100;

export interface Thinned {
  steps: Float64Array;
  values: Float64Array;
}

/**
 * At most ~3·buckets points of the sorted series in index range [lo, hi) that draw like all of them. The series'
 * own arrays (views, no copy) when it has no more points than 2·buckets.
 */
export function thin(steps: Float64Array, values: Float64Array, lo: number, hi: number, buckets: number): Thinned {
  if (hi - lo <= 2 * buckets) return { steps: steps.subarray(lo, hi), values: values.subarray(lo, hi) };
  const outSteps = new Float64Array(3 * buckets + 3);
  const outValues = new Float64Array(3 * buckets + 3);
  let n = 0;
  const first = steps[lo];
  const width = (steps[hi - 1] - first) / buckets || 1;
  let i = lo;
  while (i < hi) {
    const end = first + (Math.floor((steps[i] - first) / width) + 1) * width;
    let minAt = -1;
    let maxAt = -1;
    let nanAt = -1;
    // The bucket's first point always counts, so the loop moves on whatever rounding does to `end`.
    for (let start = i; i < hi && (i === start || steps[i] < end); i++) {
      const v = values[i];
      if (v !== v) {
        if (nanAt < 0) nanAt = i;
        continue;
      }
      if (minAt < 0 || v < values[minAt]) minAt = i;
      if (maxAt < 0 || v > values[maxAt]) maxAt = i;
    }
    // Up to three indices, in step order, each once.
    const picks = [minAt, maxAt, nanAt].filter((x, k, all) => x >= 0 && all.indexOf(x) === k).sort((a, b) => a - b);
    for (const p of picks) {
      if (n === outSteps.length) break;
      outSteps[n] = steps[p];
      outValues[n] = values[p];
      n++;
    }
  }
  return { steps: outSteps.subarray(0, n), values: outValues.subarray(0, n) };
}

/** The first index whose step is ≥ x (steps ascending). */
export function lowerBound(steps: Float64Array, length: number, x: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A series thinned for a step window (null: all of it), finer inside the window than around it. */
export function thinForWindow(s: MetricColumns, zoom: readonly [number, number] | null): Thinned {
  const { steps, values } = columnsView(s);
  if (!zoom) return thin(steps, values, 0, s.length, BUCKETS);
  // One point beyond each edge, so the line runs to the edge of the window.
  const a = Math.max(0, lowerBound(steps, s.length, zoom[0]) - 1);
  const b = Math.min(s.length, lowerBound(steps, s.length, zoom[1]) + 1);
  const parts = [thin(steps, values, 0, a, OUTER_BUCKETS), thin(steps, values, a, b, BUCKETS), thin(steps, values, b, s.length, OUTER_BUCKETS)];
  const length = parts.reduce((sum, p) => sum + p.steps.length, 0);
  const out = { steps: new Float64Array(length), values: new Float64Array(length) };
  let at = 0;
  for (const p of parts) {
    out.steps.set(p.steps, at);
    out.values.set(p.values, at);
    at += p.steps.length;
  }
  return out;
}

/** Evenly spaced points whose median stands for a series' size. */
const SIZE_SAMPLE = 257;

/**
 * log10 of a series' typical |value|: the median over up to SIZE_SAMPLE evenly spaced points, so an early spike (a
 * discriminator's first outputs) does not put a loss beside gradient norms. 0 (values about 1) for a key with no
 * finite nonzero value.
 */
function magnitude(s: MetricColumns): number {
  const stride = Math.max(1, Math.floor(s.length / SIZE_SAMPLE));
  const sizes: number[] = [];
  for (let i = 0; i < s.length; i += stride) {
    const v = Math.abs(s.values[i]);
    if (Number.isFinite(v)) sizes.push(v);
  }
  sizes.sort((a, b) => a - b);
  const median = sizes[sizes.length >> 1];
  return median > 0 ? Math.log10(median) : 0;
}

/** Keys grouped into panels, in first-seen order: a key joins the first panel whose first key is within 10×. */
export function assignPanels(metrics: CellMetrics): string[][] {
  const panels: { magnitude: number; keys: string[] }[] = [];
  for (const key of metrics.order) {
    const m = magnitude(metrics.series.get(key)!);
    const panel = panels.find((p) => Math.abs(p.magnitude - m) <= 1);
    if (panel) panel.keys.push(key);
    else panels.push({ magnitude: m, keys: [key] });
  }
  return panels.map((p) => p.keys);
}

const PALETTE = ["#3b5bdb", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0c8599", "#a61e4d", "#5c940d", "#862e9c", "#d9480f"];

export interface LivePanel {
  keys: string[];
  /** A key keeps its colour whichever panel it is in: its place in first-seen order. */
  colors: string[];
  /** uPlot's aligned columns: the union of the keys' thinned steps, then one value column per key. */
  data: uPlot.AlignedData;
}

/**
 * The panels of the chart, each with its points thinned for the step window (null: all steps). In a value column,
 * null is a gap (a NaN or ±Inf the run logged) and undefined a step this key did not keep, which the line spans.
 */
export function buildLivePanels(metrics: CellMetrics, zoom: readonly [number, number] | null): { panels: LivePanel[]; points: number } {
  let points = 0;
  const panels = assignPanels(metrics).map((keys) => {
    const tables = keys.map((key): uPlot.AlignedData => {
      const { steps, values } = thinForWindow(metrics.series.get(key)!, zoom);
      points += steps.length;
      return [Array.from(steps), Array.from(values, (v) => (v === v ? v : null))];
    });
    const colors = keys.map((key) => PALETTE[metrics.order.indexOf(key) % PALETTE.length]);
    return { keys, colors, data: uPlot.join(tables) };
  });
  return { panels, points };
}

/** Whether two panel lists group the same keys the same way (the charts can then be kept and fed new data). */
export function samePanels(a: readonly LivePanel[], b: readonly LivePanel[]): boolean {
  return a.length === b.length && a.every((p, i) => p.keys.join("\u0000") === b[i].keys.join("\u0000"));
}
