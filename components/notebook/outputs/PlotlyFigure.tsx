"use client";

import { useEffect, useRef, useState } from "react";
import type { JsonValue } from "@/lib/runner/protocol";
import styles from "./outputs.module.css";
import { plotly, PLOT_CONFIG } from "./plotly";

type Figure = { data?: JsonValue[]; layout?: Record<string, JsonValue>; config?: Record<string, JsonValue> };

/** A Plotly figure a cell showed ({data, layout?, config?}), drawn with Plotly.react. */
export function PlotlyFigure({ figure }: { figure: JsonValue }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const f = (figure ?? {}) as Figure;
    let cancelled = false;
    plotly()
      .then((Plotly) => {
        if (cancelled) return;
        const layout = { height: 360, margin: { l: 56, r: 16, t: 32, b: 40 }, ...f.layout, autosize: true };
        return Plotly.react(el, (f.data ?? []) as object[], layout, { ...PLOT_CONFIG, ...f.config });
      })
      .catch((e: unknown) => !cancelled && setError(`The figure could not be drawn: ${String(e)}`));
    return () => {
      cancelled = true;
    };
  }, [figure]);

  useEffect(() => {
    const el = box.current;
    return () => {
      if (el) void plotly().then((Plotly) => Plotly.purge(el));
    };
  }, []);

  return (
    <div className={styles.box} data-output="plotly">
      <div ref={box} className={styles.figure} role="img" aria-label="Plotly figure" />
      {error ? <p className={styles.bad}>{error}</p> : null}
    </div>
  );
}
