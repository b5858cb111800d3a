import { tempDb } from "../helpers/temp-db";
import { describe, expect, it } from "vitest";
import { createExperiment } from "@/lib/tracker/experiments";
import { createRun } from "@/lib/tracker/runs";
import { ingest, lastValues, readSeries } from "@/lib/tracker/metrics";
import { parseBatch } from "@/lib/tracker/metric-points";
import { emptyColumns } from "@/lib/tracker/columns";

async function run() {
  const { id: experimentId } = await createExperiment({ title: "store" });
  return (await createRun({ experimentId, code: "", hparams: {} })).id;
}

const batch = (n: number, keyCount = 1, firstStep = 0) =>
  parseBatch({
    batch: n,
    series: Object.fromEntries(
      Array.from({ length: keyCount }, (_, k) => [`k${k}`, { steps: [firstStep, firstStep + 1], values: [k, k + 0.5] }]),
    ),
  });

describe("metric store", () => {
  it("stores one chunk row per (batch, key) with little-endian Float64 blobs", async () => {
    const id = await run();
    await ingest(id, batch(0, 3));
    const sql = 'SELECT key, count, "minStep", "maxStep", steps FROM "MetricChunk" WHERE "runId" = ? ORDER BY key';
    const rows = await tempDb.query<{ key: string; count: number; minStep: number; maxStep: number; steps: Buffer }>(sql, id);
    expect(rows.map((r) => [r.key, r.count, r.minStep, r.maxStep])).toEqual([
      ["k0", 2, 0, 1],
      ["k1", 2, 0, 1],
      ["k2", 2, 0, 1],
    ]);
    expect([rows[0].steps.readDoubleLE(0), rows[0].steps.readDoubleLE(8)]).toEqual([0, 1]);
  });

  it("stores a batch sent twice at once exactly once (a retry racing its original)", async () => {
    const id = await run();
    const results = await Promise.all([ingest(id, batch(3, 2)), ingest(id, batch(3, 2)), ingest(id, batch(3, 2))]);
    expect(results.filter((r) => !r.duplicate)).toEqual([{ accepted: 4, duplicate: false }]);
    expect(results.filter((r) => r.duplicate)).toEqual([
      { accepted: 4, duplicate: true },
      { accepted: 4, duplicate: true },
    ]);
    expect((await readSeries(id)).get("k1")!.total).toBe(2);
  });

  it("writes a batch all or nothing: a failing chunk leaves the batch number unclaimed", async () => {
    const id = await run();
    const parsed = batch(5, 2);
    parsed.columns.set("broken", emptyColumns(0)); // no steps: its insert fails (min/max step are undefined)
    await expect(ingest(id, parsed)).rejects.toThrow();
    expect(await tempDb.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM "MetricChunk" WHERE "runId" = ?', id)).toEqual([{ n: 0 }]);
    expect(await ingest(id, batch(5, 2))).toEqual({ accepted: 4, duplicate: false });
  });

  it.runIf(tempDb.kind === "sqlite")("waits for another connection's write lock instead of failing", async () => {
    const id = await run();
    const other = tempDb.sql();
    other.exec("BEGIN IMMEDIATE");
    const pending = ingest(id, batch(0));
    let settled = false;
    void pending.finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 60));
    expect(settled).toBe(false);
    other.exec("COMMIT");
    expect(await pending).toEqual({ accepted: 2, duplicate: false });
  });

  it("reads the last value of each key by step, not by arrival", async () => {
    const id = await run();
    await ingest(id, batch(0, 1, 100));
    await ingest(id, batch(1, 1, 0));
    expect(await lastValues(id)).toEqual({ k0: { step: 101, value: 0.5 } });
  });

  it("reads a 100k-point series from 10 batches in order", async () => {
    const id = await run();
    for (let b = 9; b >= 0; b--) {
      const steps = Array.from({ length: 10_000 }, (_, i) => b * 10_000 + i);
      await ingest(id, parseBatch({ batch: b, series: { loss: { steps, values: steps.map((s) => s / 2) } } }));
    }
    const s = (await readSeries(id)).get("loss")!;
    expect(s.total).toBe(100_000);
    for (let i = 0; i < 100_000; i++) if (s.steps[i] !== i || s.values[i] !== i / 2) throw new Error(`point ${i}`);
  });
});
