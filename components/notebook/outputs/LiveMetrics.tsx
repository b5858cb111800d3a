"use client";

import { useEffect, useRef, useState } from "react";
import { subscribeMetrics, type CellMetrics } from "./cell-metrics";
import { LiveChart } from "./live-chart";
import { buildLivePanels } from "./live-figure";
import styles from "./outputs.module.css";

// At most four redraws a second however often batches arrive.
const REDRAW_MS = 250;
// And no more than a tenth of the main thread: where a redraw is slow (a busy machine, a huge window), the chart
// redraws less often instead of making the page stutter.
const MAX_SHARE = 0.1;

/**
 * The metrics a cell's run logs, drawn live: one canvas chart per group of keys of similar scale (live-figure.ts),
 * sharing the step axis (live-chart.ts). React renders this once per run; the points reach the chart from the
 * typed arrays in `metrics` through a throttled redraw, never through props or state. Drag across a panel to zoom
 * into steps, double-click for all of them.
 */
export function LiveMetrics({ metrics }: { metrics: CellMetrics }) {
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
    let drawnVersion = -1;
    let draws = 0;
    let lastDraw = -Infinity;
    let lastCost = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    let zoom: [number, number] | null = null;
    const chart = new LiveChart(el, (window) => {
      zoom = window;
      drawnVersion = -1; // the same points, thinned for the new window
      schedule();
    });

    const draw = () => {
      frame = 0;
      if (disposed || !visible || metrics.version === drawnVersion) return;
      try {
        lastDraw = performance.now();
        const version = metrics.version;
        const { panels, points } = buildLivePanels(metrics, zoom);
        chart.draw(panels, zoom);
        lastCost = performance.now() - lastDraw;
        drawnVersion = version;
        root.dataset.version = String(version);
        root.dataset.draws = String(++draws);
        root.dataset.drawnPoints = String(points);
        root.dataset.zoom = zoom ? zoom.map(Math.round).join("–") : "";
        const keys = metrics.order.length;
        setSummary(`${keys} ${keys === 1 ? "key" : "keys"} · ${metrics.total.toLocaleString("en")} points`);
      } catch (e) {
        setError(`The chart could not be drawn: ${String(e)}`);
      }
    };

    function schedule() {
      if (disposed || timer !== undefined || frame !== 0) return;
      const interval = Math.max(REDRAW_MS, lastCost / MAX_SHARE);
      const wait = Math.max(0, lastDraw + interval - performance.now());
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(draw);
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
    const resize = new ResizeObserver(() => chart.resize(el.clientWidth));
    resize.observe(el);
    const unsubscribe = subscribeMetrics(metrics, schedule);
    return () => {
      disposed = true;
      unsubscribe();
      io.disconnect();
      resize.disconnect();
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      chart.destroy();
    };
  }, [metrics]);

  return (
    <section ref={section} className={styles.box} data-output="live-metrics" aria-label="Live metrics">
      <header className={styles.boxHead}>
        <span className={styles.boxTitle}>Metrics</span>
        <span aria-live="off">{summary || "waiting for points…"}</span>
      </header>
      <div ref={box} className={styles.liveChart} role="img" aria-label={`Live chart of ${metrics.order.join(", ")}`} />
      {error ? <p className={styles.bad}>{error}</p> : null}
    </section>
  );
}
