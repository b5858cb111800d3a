// The metric hot path: ingest of column batches and reading of series, over the database's MetricStore.
// A 10k-point request is a handful of inserts in one transaction; reading a series is a concat of blobs.
import { emptyColumns, sortByStep, stepRange, type Columns } from "./columns";
import { downsample } from "./downsample";
import { notFound } from "./errors";
import type { ParsedBatch } from "./metric-points";
import { metricStore, type ChunkRow, type IngestResult, type KeyInfo, type MetricStore } from "./metric-store";

export type { IngestResult, KeyInfo };

export interface SeriesResult extends Columns {
  /** points in the requested step range before downsampling */
  total: number;
}

export interface LastValue {
  step: number;
  value: number | null;
}

/** Stores one batch atomically; a batch number seen before for this run is a no-op. */
export async function ingest(runId: string, parsed: ParsedBatch, now = new Date()): Promise<IngestResult> {
  return (await metricStore()).ingest(runId, parsed, now);
}

async function assertRun(store: MetricStore, runId: string) {
  if (!(await store.runExists(runId))) throw notFound("run", runId);
}

export async function listKeys(runId: string): Promise<KeyInfo[]> {
  const store = await metricStore();
  await assertRun(store, runId);
  return store.keys(runId);
}

export interface ReadOptions {
  keys?: string[];
  /** downsample each series to at most this many points */
  maxPoints?: number;
  from?: number;
  to?: number;
}

/** Reads series as sorted parallel arrays; keys with no points are absent from the result. */
export async function readSeries(runId: string, opts: ReadOptions = {}): Promise<Map<string, SeriesResult>> {
  const store = await metricStore();
  await assertRun(store, runId);
  const keys = opts.keys ?? (await store.keys(runId)).map((k) => k.key);
  const from = opts.from ?? -Infinity;
  const to = opts.to ?? Infinity;
  const out = new Map<string, SeriesResult>();
  for (const key of keys) {
    const rows = await store.chunks(runId, key, from, to);
    if (!rows.length) continue;
    let c = stepRange(concat(rows), from, to);
    const total = c.steps.length;
    if (opts.maxPoints && total > opts.maxPoints) c = downsample(c, opts.maxPoints);
    if (total) out.set(key, { ...c, total });
  }
  return out;
}

/** Joins chunks into one sorted series. Chunks are sorted inside; if they do not overlap, ordering them is enough. */
function concat(rows: ChunkRow[]): Columns {
  rows.sort((a, b) => a.minStep - b.minStep || a.batch - b.batch);
  let n = 0;
  let disjoint = true;
  for (let i = 0; i < rows.length; i++) {
    n += rows[i].count;
    if (i > 0 && rows[i].minStep < rows[i - 1].maxStep) disjoint = false;
  }
  const c = emptyColumns(n);
  const bytes = {
    steps: new Uint8Array(c.steps.buffer),
    values: new Uint8Array(c.values.buffer),
    times: new Uint8Array(c.times.buffer),
  };
  let at = 0;
  for (const r of rows) {
    // Copy bytes: a Buffer from the database need not be 8-byte aligned, so it cannot be viewed as Float64Array.
    bytes.steps.set(r.steps, at);
    bytes.values.set(r.values, at);
    bytes.times.set(r.times, at);
    at += r.count * 8;
  }
  return disjoint ? c : sortByStep(c);
}

/** The value at the highest step of each key: what a runs table shows. */
export async function lastValues(runId: string): Promise<Record<string, LastValue>> {
  const out: Record<string, LastValue> = {};
  for (const row of await (await metricStore()).lastChunks(runId)) {
    // The chunk is sorted by step, so its last point is the latest (the last of equal steps wins).
    const view = new DataView(row.steps.buffer, row.steps.byteOffset, row.steps.byteLength);
    const values = new DataView(row.values.buffer, row.values.byteOffset, row.values.byteLength);
    const last = row.steps.byteLength - 8;
    const value = values.getFloat64(last, true);
    out[row.key] = { step: view.getFloat64(last, true), value: Number.isNaN(value) ? null : value };
  }
  return out;
}
