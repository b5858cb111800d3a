// Shapes the tracker's runs for the runs table: flat hyperparameters, last metric values, and which columns to show.
import type { QueryableRun } from "@/lib/query";
import type { RunView } from "@/lib/tracker/runs";
import { formatDateTime } from "../format";
import { flattenHparams, type CellValue, type RunRow } from "./runRow";

export interface RunsTableData {
  rows: RunRow[];
  /** Hyperparameters that differ between runs: one column each. */
  hparamKeys: string[];
  /** Hyperparameters every run shares, shown once above the table instead of as identical columns. */
  shared: [string, CellValue][];
  metricKeys: string[];
}

export interface ExperimentRef {
  id: string;
  slug: string;
  title: string;
}

/** `experiments` (by id), when given, labels each row with its experiment: the table across experiments. */
export function toRunRows(runs: RunView[], experiments?: Map<string, ExperimentRef>): RunsTableData {
  const rows: RunRow[] = runs.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    startedAt: Date.parse(r.startedAt),
    started: formatDateTime(r.startedAt),
    durationMs: r.durationMs,
    hparams: flattenHparams(r.hparams),
    metrics: Object.fromEntries(Object.entries(r.lastMetrics).map(([k, v]) => [k, v.value])),
    ...(experiments ? { experiment: experiments.get(r.experimentId) } : {}),
    query: queryable(r),
  }));
  // Keys in first-seen order, which is the order the notebook's config() declared them.
  const allHparams = unique(rows.flatMap((r) => Object.keys(r.hparams)));
  const metricKeys = unique(rows.flatMap((r) => Object.keys(r.metrics))).sort();
  if (rows.length < 2) return { rows, hparamKeys: allHparams, shared: [], metricKeys };
  const varies = (k: string) => rows.some((r) => !Object.is(r.hparams[k], rows[0].hparams[k]));
  return {
    rows,
    hparamKeys: allHparams.filter(varies),
    shared: allHparams.filter((k) => !varies(k)).map((k) => [k, rows[0].hparams[k]]),
    metricKeys,
  };
}

/** The fields a filter query reads, and nothing else (no error text, no device record). */
function queryable(r: RunView): QueryableRun {
  return {
    id: r.id,
    experimentId: r.experimentId,
    name: r.name,
    status: r.status,
    hparams: r.hparams,
    seed: r.seed,
    backend: r.backend,
    durationMs: r.durationMs,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    sweep: r.sweep,
    lastMetrics: Object.fromEntries(Object.entries(r.lastMetrics).map(([k, v]) => [k, { value: v.value }])),
  };
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}
