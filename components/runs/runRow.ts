// One run as the experiment's runs table shows it: plain JSON, built on the server, sorted on the client.
import type { QueryableRun } from "@/lib/query";

/** A table cell's raw value: hyperparameters may be any JSON scalar; a metric's null is a non-finite value. */
export type CellValue = string | number | boolean | null | undefined;

export interface RunRow {
  id: string;
  name: string;
  status: string;
  /** ms since epoch, for sorting */
  startedAt: number;
  /** formatted on the server, so server and browser render the same text whatever their locale data */
  started: string;
  durationMs: number | null;
  /** Flattened hyperparameters, e.g. {"optim.lr": 0.0002}. */
  hparams: Record<string, CellValue>;
  /** Last logged value of each metric key. */
  metrics: Record<string, CellValue>;
  /** The experiment, on tables that list runs of several. */
  experiment?: { id: string; slug: string; title: string };
  /** What the filter box's query reads (lib/query): the run's fields as the tracker has them. */
  query?: QueryableRun;
}

/** A sortable column: fixed ones, or a hyperparameter ("h") or metric ("m") key. */
export type ColumnId = "name" | "experiment" | "status" | "startedAt" | "duration" | `h:${string}` | `m:${string}`;

export function cellValue(row: RunRow, column: ColumnId): CellValue {
  switch (column) {
    case "name":
      return row.name;
    case "experiment":
      return row.experiment?.title;
    case "status":
      return row.status;
    case "startedAt":
      return row.startedAt;
    case "duration":
      return row.durationMs;
    default:
      return column.startsWith("h:") ? row.hparams[column.slice(2)] : row.metrics[column.slice(2)];
  }
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

// Rank of a value's kind: numbers, then booleans, then text, then NaN (null), then missing — in either direction.
function kind(v: CellValue): number {
  if (typeof v === "number") return Number.isNaN(v) ? 3 : 0;
  if (typeof v === "boolean") return 1;
  if (typeof v === "string") return 2;
  return v === null ? 3 : 4;
}

/** Compares two cells for sorting; `dir` flips the order of values, never pushes missing ones to the top. */
export function compareCells(a: CellValue, b: CellValue, dir: 1 | -1): number {
  const ka = kind(a);
  const kb = kind(b);
  if (ka !== kb) return ka - kb;
  if (typeof a === "number" && typeof b === "number") return dir * (a - b || 0);
  if (typeof a === "boolean" && typeof b === "boolean") return dir * (Number(a) - Number(b));
  if (typeof a === "string" && typeof b === "string") return dir * collator.compare(a, b);
  return 0;
}

export function sortRows(rows: readonly RunRow[], column: ColumnId, dir: 1 | -1): RunRow[] {
  // Stable sort on a copy; ties keep the server's order (newest first).
  return [...rows].sort((a, b) => compareCells(cellValue(a, column), cellValue(b, column), dir));
}

/** Flattens nested hyperparameter objects into dotted keys; arrays stay whole (shown as JSON). */
export function flattenHparams(value: unknown, prefix = "", out: Record<string, CellValue> = {}): Record<string, CellValue> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenHparams(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] =
      value === null || ["string", "number", "boolean"].includes(typeof value)
        ? (value as CellValue)
        : JSON.stringify(value);
  }
  return out;
}
