// The metric store over raw better-sqlite3 (synchronous; WAL lets Prisma's connection read meanwhile).
import type Database from "better-sqlite3";
import { notFound } from "./errors";
import { blob, type ChunkRow, type IngestResult, type KeyInfo, type MetricStore } from "./metric-store";
import { sqlite, sqliteDate, withWriteRetry } from "./sqlite";

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

const prepared = new WeakMap<Database.Database, ReturnType<typeof statements>>();
function stmts() {
  const db = sqlite();
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = statements(db)));
  return { db, s };
}

export const sqliteMetrics: MetricStore = {
  async ingest(runId, parsed, now) {
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
  },
  async runExists(runId) {
    return !!stmts().s.runExists.get(runId);
  },
  async keys(runId) {
    return stmts().s.keys.all(runId);
  },
  async chunks(runId, key, from, to) {
    return stmts().s.chunks.all(runId, key, from, to);
  },
  async lastChunks(runId) {
    const { s } = stmts();
    return s.lastChunks.all(runId).flatMap(({ id }) => s.chunkById.get(id) ?? []);
  },
};
