"use client";

import { useEffect, useRef, useState } from "react";
import { subscribeMetrics, type CellMetrics } from "./cell-metrics";
import { buildLiveFigure } from "./live-figure";
import styles from "./outputs.module.css";
import { liveRenderer, plotly, PLOT_CONFIG, relayoutXRange, type LiveRenderer, type PlotlyEventTarget } from "./plotly";

// At most four redraws a second however often batches arrive: a redraw is one Plotly.react of thinned traces.
const REDRAW_MS = 250;
// And no more than a tenth of the main thread: where a redraw is slow (a CPU without GPU drawing, a busy machine),
// the chart redraws less often instead of making the page stutter.
const MAX_SHARE = 0.1;

/**
 * The metrics a cell's run logs, drawn live: one figure, one scattergl trace per key (SVG where WebGL is emulated,
 * or as `renderer` says), keys of similar scale sharing a panel (see live-figure.ts). React renders this once per
 * run; the points reach Plotly from the typed arrays in `metrics` through a throttled redraw, never through props
 * or state.
 */
export function LiveMetrics({ metrics, renderer }: { metrics: CellMetrics; renderer?: LiveRenderer }) {
  const section = useRef<HTMLElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [summary, setSummary] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const el = box.current;
    const root = section.current;
    if (!el || !root) return;
    let disposed = false;
    let visible = false;
    let busy = false;
    let drawnVersion = -1;
    let lastDraw = -Infinity;
    let lastCost = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    let zoom: [number, number] | null = null;
    let plot: PlotlyEventTarget | null = null;

    const onRelayout = (e: Record<string, unknown>) => {
      const range = relayoutXRange(e);
      if (range === null) return;
      zoom = range === "reset" ? null : range;
      drawnVersion = -1; // the same points, thinned for the new window
      schedule();
    };

    const draw = async () => {
      frame = 0;
      if (disposed || !visible || busy || metrics.version === drawnVersion) return;
      busy = true;
      try {
        const Plotly = await plotly();
        if (disposed) return;
        lastDraw = performance.now();
        const version = metrics.version;
        const type = (renderer ?? liveRenderer()) === "webgl" ? "scattergl" : "scatter";
        const figure = buildLiveFigure(metrics, zoom, type);
        const p = await Plotly.react(el, figure.data, figure.layout, PLOT_CONFIG);
        lastCost = performance.now() - lastDraw;
        drawnVersion = version;
        if (plot !== p) {
          plot = p;
          p.on("plotly_relayout", onRelayout);
        }
        root.dataset.version = String(version);
        root.dataset.drawnPoints = String(figure.points);
        root.dataset.traceType = type;
        const keys = metrics.order.length;
        setSummary(`${keys} ${keys === 1 ? "key" : "keys"} · ${metrics.total.toLocaleString("en")} points`);
      } catch (e) {
        if (!disposed) setError(`The chart could not be drawn: ${String(e)}`);
      } finally {
        busy = false;
      }
      // Points that came while drawing.
      if (!disposed && metrics.version !== drawnVersion) schedule();
    };

    function schedule() {
      if (disposed || timer !== undefined || frame !== 0) return;
      const interval = Math.max(REDRAW_MS, lastCost / MAX_SHARE);
      const wait = Math.max(0, lastDraw + interval - performance.now());
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(() => void draw());
      }, wait);
    }

    // Charts of earlier cells that are scrolled away wait; they catch up when they come back into view.
    const io = new IntersectionObserver(
      (entries) => {
        visible = entries.some((e) => e.isIntersecting);
        if (visible) schedule();
      },
      { rootMargin: "200px" },
    );
    io.observe(root);
    const unsubscribe = subscribeMetrics(metrics, schedule);
    return () => {
      disposed = true;
      unsubscribe();
      io.disconnect();
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      plot?.removeAllListeners?.("plotly_relayout");
      void plotly().then((Plotly) => Plotly.purge(el));
    };
  }, [metrics, renderer]);

  return (
    <section ref={section} className={styles.box} data-output="live-metrics" aria-label="Live metrics">
      <header className={styles.boxHead}>
        <span className={styles.boxTitle}>Metrics</span>
        <span aria-live="off">{summary || "waiting for points…"}</span>
      </header>
      <div ref={box} className={styles.figure} role="img" aria-label={`Live chart of ${metrics.order.join(", ")}`} />
      {error ? <p className={styles.bad}>{error}</p> : null}
    </section>
  );
}
