// The metric store over a pg pool: the same rows as SQLite's, bytea for the blobs.
import { notFound } from "./errors";
import { blob, type ChunkRow, type KeyInfo, type MetricStore } from "./metric-store";
import { inTransaction, postgres } from "./postgres";

export const postgresMetrics: MetricStore = {
  ingest(runId, parsed, now) {
    return inTransaction(async (c) => {
      // Batches of one run take turns: the heartbeat update below needs this row lock anyway, and taking it first
      // means two batches cannot each hold a share of it while waiting on the other (a deadlock). A delete of the
      // run waits for this batch, or this batch for the delete.
      if (!(await c.query('SELECT 1 FROM "Run" WHERE id = $1 FOR NO KEY UPDATE', [runId])).rowCount) throw notFound("run", runId);
      const claim = await c.query(
        'INSERT INTO "MetricBatch" ("runId", batch, accepted, "createdAt") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [runId, parsed.batch, parsed.count, now],
      );
      if (claim.rowCount !== 1) {
        const before = await c.query<{ accepted: number }>('SELECT accepted FROM "MetricBatch" WHERE "runId" = $1 AND batch = $2', [runId, parsed.batch]);
        return { accepted: before.rows[0]?.accepted ?? 0, duplicate: true };
      }
      // One INSERT for every key of the batch.
      const params: unknown[] = [];
      const rows: string[] = [];
      for (const [key, col] of parsed.columns) {
        const n = col.steps.length;
        const at = params.push(runId, key, parsed.batch, n, col.steps[0], col.steps[n - 1], blob(col.steps), blob(col.values), blob(col.times));
        rows.push(`(${Array.from({ length: 9 }, (_, i) => `$${at - 8 + i}`).join(", ")})`);
      }
      if (rows.length) {
        await c.query(
          `INSERT INTO "MetricChunk" ("runId", key, batch, count, "minStep", "maxStep", steps, "values", times) VALUES ${rows.join(", ")}`,
          params,
        );
      }
      // Ingest is proof of life: a worker that logs is not interrupted.
      await c.query('UPDATE "Run" SET "heartbeatAt" = $1 WHERE id = $2', [now, runId]);
      return { accepted: parsed.count, duplicate: false };
    });
  },
  async runExists(runId) {
    return !!(await postgres().query('SELECT 1 FROM "Run" WHERE id = $1', [runId])).rowCount;
  },
  async keys(runId) {
    const result = await postgres().query<KeyInfo>(
      `SELECT key, SUM(count)::int AS count, MIN("minStep") AS "firstStep", MAX("maxStep") AS "lastStep"
       FROM "MetricChunk" WHERE "runId" = $1 GROUP BY key ORDER BY key COLLATE "C"`, // byte order, as SQLite sorts
      [runId],
    );
    return result.rows;
  },
  async chunks(runId, key, from, to) {
    const result = await postgres().query<ChunkRow>(
      `SELECT count, "minStep", "maxStep", batch, steps, "values", times FROM "MetricChunk"
       WHERE "runId" = $1 AND key = $2 AND "maxStep" >= $3 AND "minStep" <= $4 ORDER BY batch`,
      [runId, key, from, to],
    );
    return result.rows;
  },
  async lastChunks(runId) {
    const result = await postgres().query<{ key: string; steps: Buffer; values: Buffer }>(
      `SELECT DISTINCT ON (key) key, steps, "values" FROM "MetricChunk" WHERE "runId" = $1 ORDER BY key, "maxStep" DESC, id DESC`,
      [runId],
    );
    return result.rows;
  },
};
