// The metric hot path over raw better-sqlite3: one MetricChunk row per (batch, key) holding little-endian Float64
// blobs. A 10k-point request is a handful of inserts in one transaction; reading a series is a concat of blobs.
import type Database from "better-sqlite3";
import { emptyColumns, sortByStep, stepRange, type Columns } from "./columns";
import { downsample } from "./downsample";
import { notFound } from "./errors";
import type { ParsedBatch } from "./metric-points";
import { sqlite, sqliteDate, withWriteRetry } from "./sqlite";

export interface IngestResult {
  accepted: number;
  /** true when this batch number was already stored for the run: nothing was written */
  duplicate: boolean;
}

export interface SeriesResult extends Columns {
  /** points in the requested step range before downsampling */
  total: number;
}

export interface KeyInfo {
  key: string;
  count: number;
  firstStep: number;
  lastStep: number;
}

export interface LastValue {
  step: number;
  value: number | null;
}

function statements(db: Database.Database) {
  return {
    runExists: db.prepare<[string], { id: string }>("SELECT id FROM Run WHERE id = ?"),
    claimBatch: db.prepare(
      "INSERT INTO MetricBatch (runId, batch, accepted, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    acceptedBefore: db.prepare<[string, number], { accepted: number }>(
      "SELECT accepted FROM MetricBatch WHERE runId = ? AND batch = ?",
    ),
    insertChunk: db.prepare(
      `INSERT INTO MetricChunk (runId, key, batch, count, minStep, maxStep, steps, "values", times)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Ingest is proof of life: a worker that logs is not interrupted.
    touchRun: db.prepare("UPDATE Run SET heartbeatAt = ? WHERE id = ?"),
    keys: db.prepare<[string], KeyInfo>(
      `SELECT key, SUM(count) AS count, MIN(minStep) AS firstStep, MAX(maxStep) AS lastStep
       FROM MetricChunk WHERE runId = ? GROUP BY key ORDER BY key`,
    ),
    // Chunks in batch order (the index order); the blobs are not sorted by SQLite, which would copy them.
    chunks: db.prepare<[string, string, number, number], ChunkRow>(
      `SELECT count, minStep, maxStep, batch, steps, "values", times FROM MetricChunk
       WHERE runId = ? AND key = ? AND maxStep >= ? AND minStep <= ? ORDER BY batch`,
    ),
    // SQLite returns the bare column `id` from the row holding MAX(maxStep): the chunk with each key's last step.
    lastChunks: db.prepare<[string], { id: number }>(
      "SELECT id, MAX(maxStep) AS m FROM MetricChunk WHERE runId = ? GROUP BY key",
    ),
    chunkById: db.prepare<[number], { key: string; steps: Buffer; values: Buffer }>(
      'SELECT key, steps, "values" FROM MetricChunk WHERE id = ?',
    ),
  };
}

interface ChunkRow {
  count: number;
  minStep: number;
  maxStep: number;
  batch: number;
  steps: Buffer;
  values: Buffer;
  times: Buffer;
}

const prepared = new WeakMap<Database.Database, ReturnType<typeof statements>>();
function stmts() {
  const db = sqlite();
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = statements(db)));
  return { db, s };
}

const blob = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Stores one batch atomically; a batch number seen before for this run is a no-op. */
export async function ingest(runId: string, parsed: ParsedBatch, now = new Date()): Promise<IngestResult> {
  const { db, s } = stmts();
  const write = db.transaction((): IngestResult => {
    if (!s.runExists.get(runId)) throw notFound("run", runId);
    const claimed = s.claimBatch.run(runId, parsed.batch, parsed.count, sqliteDate(now)).changes === 1;
    if (!claimed) return { accepted: s.acceptedBefore.get(runId, parsed.batch)?.accepted ?? 0, duplicate: true };
    for (const [key, c] of parsed.columns) {
      const n = c.steps.length;
      s.insertChunk.run(runId, key, parsed.batch, n, c.steps[0], c.steps[n - 1], blob(c.steps), blob(c.values), blob(c.times));
    }
    s.touchRun.run(sqliteDate(now), runId);
    return { accepted: parsed.count, duplicate: false };
  });
  // IMMEDIATE takes the write lock up front, so a busy database fails before any work rather than mid-way.
  return withWriteRetry(() => write.immediate());
}

function assertRun(s: ReturnType<typeof statements>, runId: string) {
  if (!s.runExists.get(runId)) throw notFound("run", runId);
}

export function listKeys(runId: string): KeyInfo[] {
  const { s } = stmts();
  assertRun(s, runId);
  return s.keys.all(runId);
}

export interface ReadOptions {
  keys?: string[];
  /** downsample each series to at most this many points */
  maxPoints?: number;
  from?: number;
  to?: number;
}

/** Reads series as sorted parallel arrays; keys with no points are absent from the result. */
export function readSeries(runId: string, opts: ReadOptions = {}): Map<string, SeriesResult> {
  const { s } = stmts();
  assertRun(s, runId);
  const keys = opts.keys ?? s.keys.all(runId).map((k) => k.key);
  const from = opts.from ?? -Infinity;
  const to = opts.to ?? Infinity;
  const out = new Map<string, SeriesResult>();
  for (const key of keys) {
    const rows = s.chunks.all(runId, key, from, to);
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
    // Copy bytes: a Buffer from SQLite need not be 8-byte aligned, so it cannot be viewed as Float64Array.
    bytes.steps.set(r.steps, at);
    bytes.values.set(r.values, at);
    bytes.times.set(r.times, at);
    at += r.count * 8;
  }
  return disjoint ? c : sortByStep(c);
}

/** The value at the highest step of each key: what a runs table shows. */
export function lastValues(runId: string): Record<string, LastValue> {
  const { s } = stmts();
  const out: Record<string, LastValue> = {};
  for (const { id } of s.lastChunks.all(runId)) {
    const row = s.chunkById.get(id);
    if (!row) continue;
    // The chunk is sorted by step, so its last point is the latest (the last of equal steps wins).
    const last = row.steps.byteLength - 8;
    const value = row.values.readDoubleLE(last);
    out[row.key] = { step: row.steps.readDoubleLE(last), value: Number.isNaN(value) ? null : value };
  }
  return out;
}
