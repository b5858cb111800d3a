"use client";

import type { Trace } from "plotly.js-dist-min";
import { useEffect, useMemo, useRef, useState } from "react";
import { DEFAULT_SMOOTHING, debiasedEma } from "../metrics/ema";
import { loadPlotly } from "../metrics/loadPlotly";
import metricStyles from "../metrics/MetricChart.module.css";
import panelStyles from "../metrics/MetricsPanel.module.css";
import { finiteOrNull, type MetricSeries } from "../metrics/series";
import { SmoothingSlider } from "../metrics/SmoothingSlider";
import { CHART_CONFIG, CHART_FRAME, STEP_AXIS, VALUE_AXIS } from "../metrics/chart-style";

export interface CompareRun {
  id: string;
  name: string;
  colour: string;
  series: MetricSeries[];
}

// TensorBoard's default, as on the run page.

/** One chart per metric key with every run that logged it overlaid, and one smoothing slider over all of them. */
export function CompareCharts({ runs }: { runs: CompareRun[] }) {
  const [smoothing, setSmoothing] = useState(DEFAULT_SMOOTHING);
  const keys = useMemo(() => [...new Set(runs.flatMap((r) => r.series.map((s) => s.key)))].sort(), [runs]);
  if (keys.length === 0) return <p className={panelStyles.empty}>No metrics logged.</p>;
  return (
    <div>
      <SmoothingSlider value={smoothing} onChange={setSmoothing} />
      <div className={panelStyles.grid}>
        {keys.map((key) => (
          <OverlayChart key={key} metric={key} runs={runs} smoothing={smoothing} />
        ))}
      </div>
    </div>
  );
}

function OverlayChart({ metric, runs, smoothing }: { metric: string; runs: CompareRun[]; smoothing: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const traces = useMemo(() => buildTraces(metric, runs, smoothing), [metric, runs, smoothing]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let cancelled = false;
    loadPlotly()
      .then((Plotly) => (cancelled ? undefined : Plotly.react(el, traces, LAYOUT, CHART_CONFIG)))
      .catch((e: unknown) => setError(`Chart failed to load: ${String(e)}`));
    return () => {
      cancelled = true;
    };
  }, [traces]);

  useEffect(() => {
    const el = box.current;
    return () => {
      if (el) void loadPlotly().then((Plotly) => Plotly.purge(el));
    };
  }, []);

  return (
    <section className={metricStyles.card} data-metric-key={metric}>
      <header className={metricStyles.head}>
        <h3 className={metricStyles.title}>{metric}</h3>
      </header>
      <div ref={box} className={metricStyles.plot} />
      {error ? <p className={metricStyles.error}>{error}</p> : null}
    </section>
  );
}

/**
 * Plotly reads a few tags in text (<b>, <br>, <a href="https://…">): a run named with markup would render it, even
 * a link. Its own entities (&amp; &lt; &gt;) keep the name as typed.
 */
export function plotlyText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function buildTraces(metric: string, runs: CompareRun[], smoothing: number): Trace[] {
  const traces: Trace[] = [];
  for (const run of runs) {
    const s = run.series.find((x) => x.key === metric);
    if (!s) continue;
    const smooth = smoothing > 0 && s.steps.length > 1;
    traces.push({
      type: "scatter",
      mode: s.steps.length < 2 ? "markers" : "lines",
      name: plotlyText(run.name),
      legendgroup: run.id,
      showlegend: !smooth,
      x: s.steps,
      y: finiteOrNull(s.values),
      connectgaps: false,
      opacity: smooth ? 0.25 : 1,
      line: { color: run.colour, width: 1.25 },
      marker: { color: run.colour, size: 5 },
      hovertemplate: "step %{x:,d}<br>%{y:.5g}<extra>%{fullData.name}</extra>",
    });
    if (smooth) {
      traces.push({
        type: "scatter",
        mode: "lines",
        name: plotlyText(run.name),
        legendgroup: run.id,
        x: s.steps,
        y: finiteOrNull(debiasedEma(s.values, smoothing)),
        connectgaps: false,
        line: { color: run.colour, width: 2 },
        hovertemplate: "step %{x:,d}<br>%{y:.5g}<extra>%{fullData.name}</extra>",
      });
    }
  }
  return traces;
}

const LAYOUT = {
  ...CHART_FRAME,
  height: 280,
  showlegend: true,
  legend: { orientation: "h", y: -0.25 },
  uirevision: "keep",
  xaxis: STEP_AXIS,
  yaxis: { ...VALUE_AXIS, autorange: true },
};

