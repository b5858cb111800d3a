// The live metrics of each cell's latest run, outside React state: a training loop sends points several times a
// second, and only that cell's chart should hear of them. Each cell run gets a fresh CellMetrics; a cell's
// subscribers are told when that object is replaced (a new run), while the chart follows its points itself.
import { useCallback, useSyncExternalStore } from "react";
import type { MetricPoint } from "@/lib/runner/protocol";
import { appendPoints, createCellMetrics, type CellMetrics } from "./outputs/cell-metrics";

export class MetricsStore {
  private readonly runs = new Map<string, { exec: number; metrics: CellMetrics }>();
  private readonly listeners = new Map<string, Set<() => void>>();

  /** A cell run started: its chart starts empty. */
  start(cellId: string, exec: number): void {
    this.runs.set(cellId, { exec, metrics: createCellMetrics() });
    this.listeners.get(cellId)?.forEach((l) => l());
  }

  /** Points of a cell run; those of an earlier run of the cell (a late callback) are not drawn. */
  append(cellId: string, exec: number, points: readonly MetricPoint[]): void {
    const run = this.runs.get(cellId);
    if (run && run.exec === exec) appendPoints(run.metrics, points);
  }

  get(cellId: string): CellMetrics | undefined {
    return this.runs.get(cellId)?.metrics;
  }

  subscribe(cellId: string, listener: () => void): () => void {
    let set = this.listeners.get(cellId);
    if (!set) this.listeners.set(cellId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
}

/** The cell's current live metrics; re-renders when a new run replaces them. */
export function useCellMetrics(store: MetricsStore, cellId: string): CellMetrics | undefined {
  const subscribe = useCallback((l: () => void) => store.subscribe(cellId, l), [store, cellId]);
  const get = useCallback(() => store.get(cellId), [store, cellId]);
  return useSyncExternalStore(subscribe, get, () => undefined);
}
