"use client";

import type { PlotlyElement, RelayoutEvent, Trace } from "plotly.js-dist-min";
import { useEffect, useMemo, useRef, useState } from "react";
import { formatNumber } from "../format";
import { debiasedEma } from "./ema";
import { loadPlotly } from "./loadPlotly";
import styles from "./MetricChart.module.css";
import { finiteOrNull, nonFinitePoints, spliceRange, type MetricSeries, type Series } from "./series";
import { CHART_CONFIG, CHART_FRAME, STEP_AXIS, VALUE_AXIS } from "./chart-style";

// Past this many points a line goes to WebGL; below it SVG is as fast and spares one of the browser's few GL contexts.
const GL_THRESHOLD = 5000;
const ZOOM_DEBOUNCE_MS = 250;

interface Props {
  series: MetricSeries;
  smoothing: number;
  /** Fetches a finer view of [from, to]; only called when the first view was downsampled. */
  loadRange: (key: string, from: number, to: number, signal: AbortSignal) => Promise<Series>;
}

/** One metric key against step, raw line faint behind its smoothed line, non-finite values marked. */
export function MetricChart({ series, smoothing, loadRange }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<PlotlyElement | null>(null);
  const [visible, setVisible] = useState(false);
  const [view, setView] = useState<Series>(series);
  // The zoomed step window, or null for the whole run.
  const [zoomWindow, setZoomWindow] = useState<[number, number] | null>(null);
  const [detail, setDetail] = useState<"overview" | "loading" | "zoomed">("overview");
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const downsampled = series.total > series.steps.length;

  // Build the chart only when it scrolls near the viewport: a run may log dozens of keys.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), {
      rootMargin: "300px",
    });
    io.observe(el);
    return () => io.disconnect();
  }, []);

  const traces = useMemo(() => buildTraces(view, smoothing), [view, smoothing]);
  // Plotly's autorange would fit y to every point, including the overview outside the window: fit the window.
  const yRange = useMemo(() => (zoomWindow ? valueExtent(view, zoomWindow) : null), [view, zoomWindow]);
  const nonFinite = useMemo(() => view.values.filter((v) => v === null || !Number.isFinite(v)).length, [view]);

  useEffect(() => {
    const el = box.current;
    if (!visible || !el) return;
    let cancelled = false;
    loadPlotly()
      .then((Plotly) => {
        if (cancelled) return;
        return Plotly.react(el, traces, layout(yRange), CHART_CONFIG).then((p) => {
          plot.current = p;
          setReady(true);
        });
      })
      .catch((e: unknown) => setError(`Chart failed to load: ${String(e)}`));
    return () => {
      cancelled = true;
    };
  }, [visible, traces, yRange]);

  // Zoom: fetch a finer view of the visible step range; double-click (autorange) returns to the overview.
  useEffect(() => {
    const el = plot.current;
    if (!ready || !el || !downsampled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let abort: AbortController | undefined;
    const onRelayout = (e: RelayoutEvent) => {
      const range = xRange(e);
      if (range === "reset") {
        abort?.abort();
        setView(series);
        setZoomWindow(null);
        setDetail("overview");
        return;
      }
      if (!range) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        abort?.abort();
        abort = new AbortController();
        setDetail("loading");
        const [from, to] = range;
        loadRange(series.key, from, to, abort.signal)
          .then((d) => {
            setView(spliceRange(series, d, from, to));
            setZoomWindow([from, to]);
            setDetail("zoomed");
          })
          .catch((err: unknown) => {
            if ((err as Error).name !== "AbortError") setError(`Could not load the zoomed range: ${String(err)}`);
          });
      }, ZOOM_DEBOUNCE_MS);
    };
    el.on("plotly_relayout", onRelayout);
    return () => {
      clearTimeout(timer);
      abort?.abort();
      el.removeAllListeners?.("plotly_relayout");
    };
  }, [ready, downsampled, series, loadRange]);

  useEffect(() => {
    const el = box.current;
    return () => {
      if (el) void loadPlotly().then((Plotly) => Plotly.purge(el));
    };
  }, []);

  const last = lastValue(series);
  return (
    <section className={styles.card} data-metric-key={series.key}>
      <header className={styles.head}>
        <h3 className={styles.title}>{series.key}</h3>
        <span className={styles.meta}>
          last {last} · {series.total.toLocaleString("en")} points
          {downsampled ? ` · ${detailLabel(detail, view.steps.length)}` : ""}
          {nonFinite > 0 ? <span className={styles.nan}> · {nonFinite} NaN/Inf shown ×</span> : null}
        </span>
      </header>
      <div ref={box} className={styles.plot} />
      {error ? <p className={styles.error}>{error}</p> : null}
    </section>
  );
}

function buildTraces(view: Series, smoothing: number): Trace[] {
  const type = view.steps.length > GL_THRESHOLD ? "scattergl" : "scatter";
  const raw = finiteOrNull(view.values);
  const traces: Trace[] = [
    {
      type,
      mode: view.steps.length < 2 ? "markers" : "lines",
      name: "raw",
      x: view.steps,
      y: raw,
      connectgaps: false,
      opacity: smoothing > 0 ? 0.3 : 1,
      line: { color: "#3b5bdb", width: 1.25 },
      marker: { color: "#3b5bdb", size: 5 },
      hovertemplate: "step %{x:,d}<br>%{y:.5g}<extra>raw</extra>",
    },
  ];
  if (smoothing > 0 && view.steps.length > 1) {
    traces.push({
      type,
      mode: "lines",
      name: "smoothed",
      x: view.steps,
      y: finiteOrNull(debiasedEma(view.values, smoothing)),
      connectgaps: false,
      line: { color: "#3b5bdb", width: 2 },
      hovertemplate: "step %{x:,d}<br>%{y:.5g}<extra>smoothed</extra>",
    });
  }
  const bad = nonFinitePoints(view);
  traces.push({
    type: "scatter",
    mode: "markers",
    name: "NaN / Inf",
    x: bad.steps,
    y: bad.values,
    marker: { color: "#c92a2a", size: 9, symbol: "x-thin", line: { color: "#c92a2a", width: 2 } },
    hovertemplate: "step %{x:,d}<br>NaN or ±Inf<extra></extra>",
  });
  return traces;
}

function layout(yRange: [number, number] | null) {
  return {
    ...CHART_FRAME,
    height: 260,
    showlegend: false,
    // Keeps the user's zoom when the data under it is replaced (smoothing, finer range).
    uirevision: "keep",
    xaxis: STEP_AXIS,
    yaxis: { ...VALUE_AXIS, ...(yRange ? { range: yRange, autorange: false } : { autorange: true }) },
  };
}


/** The new x range from a relayout event, "reset" on autorange, or null when x did not change. */
function xRange(e: RelayoutEvent): [number, number] | "reset" | null {
  if (e["xaxis.autorange"] === true) return "reset";
  const pair = Array.isArray(e["xaxis.range"]) ? (e["xaxis.range"] as unknown[]) : [e["xaxis.range[0]"], e["xaxis.range[1]"]];
  const [a, b] = pair.map(Number);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return [Math.floor(Math.min(a, b)), Math.ceil(Math.max(a, b))];
}

/** Min and max of the finite values with steps in [from, to], padded by 5%; null when there are none. */
function valueExtent(s: Series, [from, to]: [number, number]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.steps.length; i++) {
    const v = s.values[i];
    if (s.steps[i] < from || s.steps[i] > to || v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return null;
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  return [lo - pad, hi + pad];
}

function lastValue(s: Series): string {
  return s.values.length === 0 ? "—" : formatNumber(s.values[s.values.length - 1]);
}

function detailLabel(detail: "overview" | "loading" | "zoomed", shown: number): string {
  if (detail === "loading") return "loading detail…";
  if (detail === "zoomed") return `zoomed detail (${shown.toLocaleString("en")} shown)`;
  return `overview of ${shown.toLocaleString("en")} — zoom for detail`;
}
