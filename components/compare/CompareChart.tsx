"use client";

import type { Trace } from "plotly.js-dist-min";
import { useEffect, useMemo, useRef, useState } from "react";
import { debiasedEma } from "../metrics/ema";
import { loadPlotly } from "../metrics/loadPlotly";
import { finiteOrNull } from "../metrics/series";
import styles from "./Compare.module.css";
import { plotlyText } from "./palette";
import type { XAxis } from "./state";
import type { CompareSeries } from "./types";
import { CHART_AXIS, CHART_CONFIG, CHART_FRAME, VALUE_AXIS } from "../metrics/chart-style";

export interface ChartLine {
  series: CompareSeries;
  name: string;
  color: string;
  /** ms since epoch of the run's first logged point: zero of the relative-time axis */
  origin: number;
}

interface Props {
  metricKey: string;
  lines: ChartLine[];
  smoothing: number;
  axis: XAxis;
}

const AXIS_TITLE: Record<XAxis, string> = { step: "step", wall: "wall time (UTC)", relative: "relative time (s)" };
const X_HOVER: Record<XAxis, string> = { step: "step %{x:,d}", wall: "%{x|%H:%M:%S}", relative: "%{x:.1f} s" };

/** One metric key with every run overlaid: each run's raw line faint behind its smoothed line, in the run's colour. */
export function CompareChart({ metricKey, lines, smoothing, axis }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Build the chart only when it scrolls near the viewport: runs may log dozens of keys.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), {
      rootMargin: "300px",
    });
    io.observe(el);
    return () => io.disconnect();
  }, []);

  const traces = useMemo(() => lines.flatMap((l) => traceFor(l, smoothing, axis)), [lines, smoothing, axis]);

  useEffect(() => {
    const el = box.current;
    if (!visible || !el) return;
    let cancelled = false;
    loadPlotly()
      .then((Plotly) => (cancelled ? undefined : Plotly.react(el, traces, layout(axis), CHART_CONFIG)))
      .then(() => !cancelled && el.setAttribute("data-drawn", "true"))
      .catch((e: unknown) => setError(`Chart failed to load: ${String(e)}`));
    return () => {
      cancelled = true;
    };
  }, [visible, traces, axis]);

  useEffect(() => {
    const el = box.current;
    return () => {
      if (el) void loadPlotly().then((Plotly) => Plotly.purge(el));
    };
  }, []);

  const downsampled = lines.some((l) => l.series.total > l.series.steps.length);
  return (
    <section className={styles.chartCard} data-metric-key={metricKey}>
      <header className={styles.chartHead}>
        <h3 className={styles.chartTitle}>{metricKey}</h3>
        <span className="muted">
          {lines.length} run{lines.length === 1 ? "" : "s"}
          {downsampled ? " · overview (downsampled)" : ""}
        </span>
      </header>
      <div ref={box} className={styles.plot} />
      {error ? <p className={styles.chartError}>{error}</p> : null}
    </section>
  );
}

function xValues(l: ChartLine, axis: XAxis): number[] {
  if (axis === "step") return l.series.steps;
  if (axis === "wall") return l.series.times;
  return l.series.times.map((t) => (t - l.origin) / 1000);
}

function traceFor(l: ChartLine, smoothing: number, axis: XAxis): Trace[] {
  const x = xValues(l, axis);
  const name = plotlyText(l.name);
  const hovertemplate = `${X_HOVER[axis]}<br>%{y:.5g}<extra>%{fullData.name}</extra>`;
  const smooth = smoothing > 0 && x.length > 1;
  const traces: Trace[] = [
    {
      type: "scatter",
      mode: x.length < 2 ? "markers" : "lines",
      name,
      x,
      y: finiteOrNull(l.series.values),
      connectgaps: false,
      opacity: smooth ? 0.25 : 1,
      line: { color: l.color, width: 1.25 },
      marker: { color: l.color, size: 5 },
      hovertemplate,
    },
  ];
  if (smooth) {
    traces.push({
      type: "scatter",
      mode: "lines",
      name,
      x,
      y: finiteOrNull(debiasedEma(l.series.values, smoothing)),
      connectgaps: false,
      line: { color: l.color, width: 2 },
      hovertemplate,
    });
  }
  return traces;
}

function layout(axis: XAxis) {
  return {
    ...CHART_FRAME,
    height: 260,
    showlegend: false,
    uirevision: axis,
    xaxis: { ...CHART_AXIS, title: { text: AXIS_TITLE[axis], standoff: 6 }, type: axis === "wall" ? "date" : "linear" },
    yaxis: { ...VALUE_AXIS, autorange: true },
  };
}

