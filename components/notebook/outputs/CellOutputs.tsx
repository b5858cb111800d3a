"use client";

import { memo, useCallback, useMemo, useSyncExternalStore } from "react";
import type { Table, TensorSummary } from "@/lib/runner/display";
import { MIME } from "@/lib/runner/display";
import { ERROR_MIME, type CellErrorData, type CellOutput, type JsonValue, type Progress } from "@/lib/runner/protocol";
import { subscribeMetrics, type CellMetrics } from "./cell-metrics";
import { ErrorOutput } from "./ErrorOutput";
import { formatBytes, groupOutputs } from "./format";
import { ImageOutput } from "./ImageOutput";
import { LiveMetrics } from "./LiveMetrics";
import { LiveSamples } from "./LiveSamples";
import type { CellSample } from "./samples";
import styles from "./outputs.module.css";
import { PlotlyFigure } from "./PlotlyFigure";
import { ProgressBars } from "./ProgressBars";
import { StreamOutput } from "./StreamOutput";
import { JsonOutput, MarkdownOutput, PlainOutput, TableOutput, TensorOutput } from "./ValueOutputs";

export type { CellSample } from "./samples";

export interface CellOutputsProps {
  /** In order; console chunks in a row on one channel are shown as one block. */
  outputs: readonly CellOutput[];
  /** In first-seen order. */
  progress: readonly Progress[];
  /** The live series of this cell's run (cell-metrics.ts); the chart follows it without new props. */
  metrics: CellMetrics | undefined;
  samples: readonly CellSample[];
  onErrorLineClick?(line: number): void;
}

/**
 * What appears under a code cell: its outputs in order, then what its run is doing (progress bars, the live metric
 * chart, the latest samples). Renders what it is given; clearing is the page's.
 */
export function CellOutputs({ outputs, progress, metrics, samples, onErrorLineClick }: CellOutputsProps) {
  const items = useMemo(() => groupOutputs(outputs), [outputs]);
  // Re-renders when the first point arrives, not on every batch: the chart follows the batches itself.
  const subscribe = useCallback((fn: () => void) => (metrics ? subscribeMetrics(metrics, fn) : () => {}), [metrics]);
  const hasMetrics = useSyncExternalStore(subscribe, () => (metrics?.order.length ?? 0) > 0, () => false);
  if (items.length === 0 && progress.length === 0 && !hasMetrics && samples.length === 0) return null;
  return (
    <div className={styles.outputs} data-cell-outputs="">
      {items.map((item) =>
        item.kind === "stream" ? (
          <StreamOutput key={item.key} channel={item.channel} text={item.text} />
        ) : (
          <OutputView key={item.key} output={item.output} onErrorLineClick={onErrorLineClick} />
        ),
      )}
      <ProgressBars progress={progress} />
      {hasMetrics || samples.length > 0 ? (
        <div className={styles.live}>
          {metrics && hasMetrics ? <LiveMetrics metrics={metrics} /> : null}
          <LiveSamples samples={samples} />
        </div>
      ) : null}
    </div>
  );
}

/** One shown value by its MIME type (the table in lib/runner/display.ts), or an error. */
const OutputView = memo(function OutputView({
  output,
  onErrorLineClick,
}: {
  output: CellOutput;
  onErrorLineClick?(line: number): void;
}) {
  const { mime, data } = output;
  switch (mime) {
    case ERROR_MIME:
      return <ErrorOutput error={data as CellErrorData} onLineClick={onErrorLineClick} />;
    case MIME.markdown:
      return <MarkdownOutput text={String(data)} />;
    case MIME.gif:
    case MIME.png:
      if (data instanceof Uint8Array) return <ImageOutput data={data} mime={mime} label={mime === MIME.gif ? "video" : "image"} />;
      break;
    case MIME.plotly:
      return <PlotlyFigure figure={data as JsonValue} />;
    case MIME.tensor:
      if (isRecord(data) && Array.isArray(data.shape)) return <TensorOutput summary={data as TensorSummary} />;
      break;
    case MIME.table:
      if (isRecord(data) && Array.isArray(data.columns) && Array.isArray(data.rows)) return <TableOutput table={data as Table} />;
      break;
    case MIME.json:
      return <JsonOutput value={data as JsonValue} />;
  }
  // text/plain, and anything this page does not know how to draw.
  if (typeof data === "string") return <PlainOutput text={data} />;
  if (data instanceof Uint8Array) return <PlainOutput text={`[${mime}, ${formatBytes(data.byteLength)}]`} />;
  return <JsonOutput value={data as JsonValue} />;
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
