// The live chart's figure, built from the columns of cell-metrics.ts without touching the DOM: which keys share a
// panel, and the points of each trace, thinned to what the chart's width can show.
//
// Panels: keys whose largest |value| lies within a factor of 10 of a panel's first key share that panel (the
// losses of G and D side by side), others get their own, stacked under one shared step axis (gradient norms, step
// time, a learning rate). One y axis for all would flatten everything but the largest key; one panel per key
// would split the pair one most wants to compare. All panels are one Plotly figure: one WebGL context, and zoom
// on steps applies to all of them. A panel's key set is recomputed at each redraw, so a key moves only when its
// largest value crosses into another decade.
//
// Thinning: a series of n points is cut into buckets of equal step width and each bucket keeps its lowest and
// highest point, in step order (and a NaN if it had one, so a gap stays a gap). The line looks the same at the
// chart's resolution, spikes included, and a redraw costs O(n) simple reads rather than Plotly laying out every
// point. Inside the zoomed window buckets are finer, so zooming in shows detail.
import { columnsView, type CellMetrics, type MetricColumns } from "./cell-metrics";
import { CHART_FRAME, STEP_AXIS, VALUE_AXIS } from "@/components/metrics/chart-style";

/** Buckets across the visible window; each keeps ≤ 3 points. About two points per pixel of a wide chart. */
export const BUCKETS = 1000;
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

/** log10 of the largest finite |value|; 0 (values about 1) for a key with no finite value, or only zeros. */
function magnitude(s: MetricColumns): number {
  const big = Math.max(Math.abs(s.min), Math.abs(s.max));
  return Number.isFinite(big) && big > 0 ? Math.log10(big) : 0;
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
export const PANEL_HEIGHT = 170;
const GAP = 0.04;

export interface LiveTrace {
  type: "scattergl" | "scatter";
  mode: "lines" | "markers";
  name: string;
  x: Float64Array;
  y: Float64Array;
  xaxis: "x";
  yaxis: string;
  legend: string;
  connectgaps: false;
  line: { color: string; width: number };
  marker: { color: string; size: number };
  hovertemplate: string;
}

/**
 * Traces and layout of the whole figure: one trace per key, one panel per group, steps shared. `type` is
 * scattergl unless the caller knows WebGL is emulated (plotly.ts, liveRenderer).
 */
export function buildLiveFigure(
  metrics: CellMetrics,
  zoom: readonly [number, number] | null,
  type: LiveTrace["type"] = "scattergl",
): { data: LiveTrace[]; layout: Record<string, unknown>; points: number } {
  const panels = assignPanels(metrics);
  const n = panels.length;
  const slot = (1 - GAP * (n - 1)) / n;
  const layout: Record<string, unknown> = {
    ...CHART_FRAME,
    height: 48 + n * PANEL_HEIGHT,
    // Keeps the user's zoom while points arrive.
    uirevision: "live",
    datarevision: metrics.version,
    xaxis: { ...STEP_AXIS, anchor: `y${n > 1 ? n : ""}` },
  };
  const data: LiveTrace[] = [];
  let points = 0;
  panels.forEach((keys, p) => {
    const suffix = p === 0 ? "" : String(p + 1);
    // Panel 0 at the top.
    const top = 1 - p * (slot + GAP);
    layout[`yaxis${suffix}`] = {
      ...VALUE_AXIS,
      domain: [Math.max(0, top - slot), top],
    };
    layout[`legend${suffix}`] = {
      x: 1,
      xanchor: "right",
      y: top,
      yanchor: "top",
      bgcolor: "rgba(255,255,255,0.75)",
      font: { family: "ui-monospace, monospace", size: 11 },
    };
    for (const key of keys) {
      const s = metrics.series.get(key)!;
      const color = PALETTE[metrics.order.indexOf(key) % PALETTE.length];
      const { steps, values } = thinForWindow(s, zoom);
      points += steps.length;
      data.push({
        type,
        mode: s.length < 2 ? "markers" : "lines",
        name: key,
        x: steps,
        y: values,
        xaxis: "x",
        yaxis: `y${suffix}`,
        legend: `legend${suffix}`,
        connectgaps: false,
        line: { color, width: 1.5 },
        marker: { color, size: 5 },
        // The key comes from fullData, not from the template text, where its braces would be read as fields.
        hovertemplate: "step %{x:,d}<br>%{y:.5g}<extra>%{fullData.name}</extra>",
      });
    }
  });
  return { data, layout, points };
}
