"use client";

import { useCallback, useState } from "react";
import { fetchMetricRange } from "./fetchMetricRange";
import { MetricChart } from "./MetricChart";
import styles from "./MetricsPanel.module.css";
import type { MetricSeries, Series } from "./series";
import { SmoothingSlider } from "./SmoothingSlider";
import { DEFAULT_SMOOTHING } from "./ema";

// TensorBoard's default: enough to read a noisy GAN loss, little enough to keep its shape.

interface Props {
  runId: string;
  series: MetricSeries[];
  /** where zoomed ranges are fetched from: the app's API, or a share link's read-only copy of it */
  apiBase?: string;
}

/** All of a run's metric charts with one smoothing slider over them, as in TensorBoard. */
export function MetricsPanel({ runId, series, apiBase = "/api" }: Props) {
  const [smoothing, setSmoothing] = useState(DEFAULT_SMOOTHING);
  const loadRange = useCallback(
    (key: string, from: number, to: number, signal: AbortSignal): Promise<Series> =>
      fetchMetricRange(runId, key, from, to, signal, apiBase),
    [runId, apiBase],
  );

  if (series.length === 0) return <p className={styles.empty}>No metrics logged.</p>;
  return (
    <div>
      <SmoothingSlider value={smoothing} onChange={setSmoothing} />
      <div className={styles.grid}>
        {series.map((s) => (
          // The total is in the key so a refreshed page with more points starts from its new overview.
          <MetricChart key={`${s.key}:${s.total}`} series={s} smoothing={smoothing} loadRange={loadRange} />
        ))}
      </div>
    </div>
  );
}
