// fit() in a cell of a tracked run: the progress bar, every step's metrics, samples, checkpoints every N steps and
// at the end, FVD-MM on its cadence, the summary line, continuing on a rerun, and an interrupt. A tiny VGAN at
// 16×32×32 (the metric's shape) and n = 8 clips per evaluation keep it short.
import { tempDb } from "../helpers/temp-db";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as gan from "@/lib/gan";
import { DbSink } from "@/lib/runner/cli/db-sink";
import { Kernel } from "@/lib/runner/kernel/kernel";
import type { KernelEvent } from "@/lib/runner/protocol";
import { listCheckpoints } from "@/lib/tracker/checkpoints";
import { listSamples } from "@/lib/tracker/samples";

const events: KernelEvent[] = [];
let kernel: Kernel;

beforeAll(async () => {
  await gan.initBackend("wasm");
  kernel = new Kernel({ emit: (e) => events.push(e), globals: { tf, gan }, sink: new DbSink(tempDb.dbFile), backend: { backend: "wasm" } });
});
afterAll(async () => {
  await kernel.dispose();
  await gan.disposeVideoMetrics();
});

const points = (runId: string, key: string) =>
  tempDb.sql().prepare("SELECT minStep, maxStep, count FROM MetricChunk WHERE runId = ? AND key = ? ORDER BY minStep").all(runId, key) as
    { minStep: number; maxStep: number; count: number }[];
const lastShown = (cellId: string) => {
  const e = events.filter((x) => x.op === "output" && x.cellId === cellId).at(-1);
  return e?.op === "output" ? e.output.data : undefined;
};

it("trains with a bar, logs, samples, checkpoints and evaluates on schedule, and continues on a rerun", { timeout: 120_000 }, async () => {
  const experimentId = await new DbSink(tempDb.dbFile).ensureExperiment("Fit cells", "// %%\n");
  await kernel.startRun({ experimentId, code: "// %%\n" });
  const runId = kernel.runId!;
  const setup = `
const model = gan.createModel("vgan", { frames: 16, size: 32, channels: 1, width: 1 / 16 }, 1);
const data = await gan.createDataset("moving-mnist", { frames: 16, size: 32 }, 1);`;
  expect((await kernel.runCell("setup", setup)).outcome).toBe("ok");
  const cell = (steps: number) => `
const before = tf.memory().numTensors;
const r = await fit(model, data, { steps: ${steps}, batchSize: 2, seed: 1, sampleEvery: 2, sampleSize: 2, checkpointEvery: 2, evaluateEvery: 2, evaluateN: 8 });
[r.step, r.stepsRun, r.stoppedBy, r.evaluation.step, r.evaluation.metrics.n, tf.memory().numTensors - before]`;
  const first = await kernel.runCell("train", cell(3));
  expect(first.outcome, JSON.stringify(first.error)).toBe("ok");
  // The first fit creates the state (optimiser slots and EMA are made on step 1): compare the rerun instead.
  expect((lastShown("train") as unknown[]).slice(0, 5)).toEqual([3, 3, "steps", 3, 8]);
  const summary = events.filter((e) => e.op === "output" && e.cellId === "train" && e.output.mime === "text/markdown").at(-1);
  expect(summary?.op === "output" && summary.output.data).toMatch(/^Trained at step 3: 3 steps in .* ms per step; FVD-MM [\d.]+ at step 3 \(n = 8\)\.$/);
  expect(events.some((e) => e.op === "progress" && e.cellId === "train" && e.progress.done === 3 && e.progress.total === 3)).toBe(true);

  const second = await kernel.runCell("train", cell(5));
  expect(second.outcome, JSON.stringify(second.error)).toBe("ok");
  expect(lastShown("train")).toEqual([5, 2, "steps", 5, 8, 0]); // continued from step 3, nothing left behind

  await kernel.endRun("finished");
  expect(points(runId, "loss_d").reduce((n, c) => n + c.count, 0)).toBe(5);
  const fvdSteps = points(runId, "fvd_mm").reduce((n, c) => n + c.count, 0);
  expect(fvdSteps).toBe(4); // steps 2, 3 (end of the first fit), 4, 5 (end)
  expect((await listCheckpoints(runId)).map((c) => c.step).sort((a, b) => a - b)).toEqual([2, 3, 4, 5]);
  expect((await listSamples(runId)).map((s) => s.step).sort((a, b) => a - b)).toEqual([0, 2, 3, 4, 5]);
});

it("stops at an interrupt with the state it reached", { timeout: 60_000 }, async () => {
  const cell = `
const m2 = gan.createModel("vgan", { frames: 16, size: 32, channels: 1, width: 1 / 16 }, 2);
const r2 = await fit(m2, data, { steps: 100000, batchSize: 2, seed: 1 });`;
  const running = kernel.runCell("interrupted", cell);
  while (!events.some((e) => e.op === "progress" && e.cellId === "interrupted" && e.progress.done >= 2)) await new Promise((r) => setTimeout(r, 50));
  kernel.handle({ type: "interrupt" });
  const result = await running;
  expect(result.outcome).toBe("interrupted");
  const summary = events.filter((e) => e.op === "output" && e.cellId === "interrupted" && e.output.mime === "text/markdown").at(-1);
  expect(summary?.op === "output" && summary.output.data).toMatch(/^Interrupted at step \d+/);
});
