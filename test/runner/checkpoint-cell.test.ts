// checkpoint() and restore() as cells use them: a tiny VGAN trained 3 steps in a tracked run (the real tracker
// database), checkpointed, then restored into a fresh model in a later cell, which carries on from step 3 with the
// same weights. Runs in-process with the database sink, as `zoetrope run` does.
import { tempDb } from "../helpers/temp-db";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as gan from "@/lib/gan";
import { DbSink } from "@/lib/runner/cli/db-sink";
import { Kernel } from "@/lib/runner/kernel/kernel";
import type { KernelEvent } from "@/lib/runner/protocol";
import { listCheckpoints } from "@/lib/tracker/checkpoints";
import { getRun } from "@/lib/tracker/runs";

const events: KernelEvent[] = [];
let kernel: Kernel;

beforeAll(async () => {
  await gan.initBackend("cpu");
  kernel = new Kernel({ emit: (e) => events.push(e), globals: { tf, gan }, sink: new DbSink(tempDb.dbFile), backend: { backend: "cpu" } });
});
afterAll(() => kernel.dispose());

const cells = {
  train: `
const model = gan.createModel("vgan", { frames: 4, size: 16, channels: 1, width: 1 / 16 }, 1);
const data = await gan.createDataset("moving-mnist", { frames: 4, size: 16, numDigits: 1 }, 1);
const { state } = await gan.train(model, data, { steps: 3, batchSize: 2, seed: 1, signal });
const saved = await checkpoint(model, state, { note: "after 3 steps" });
const before = gan.sample(model, 2, { seed: 5 });`,
  restore: `
const fresh = gan.createModel("vgan", { frames: 4, size: 16, channels: 1, width: 1 / 16 }, 99);
const restored = await restore(fresh);
const after = gan.sample(fresh, 2, { seed: 5 });
const gap = tf.max(tf.abs(tf.sub(before, after))).dataSync()[0];
const more = await gan.train(fresh, data, { steps: 4, batchSize: 2, seed: 1, state: restored.state, signal });
[restored.meta.step, restored.meta.extra?.note, gap, more.step]`,
};

it("restores a checkpoint saved by an earlier cell of the same run into a fresh model", { timeout: 60_000 }, async () => {
  const experimentId = await new DbSink(tempDb.dbFile).ensureExperiment("Checkpoint cells", "// %%\n");
  await kernel.startRun({ experimentId, code: Object.values(cells).join("\n// %%\n") });
  const runId = kernel.runId!;
  expect(await kernel.runCell("train", cells.train)).toEqual({ outcome: "ok", error: undefined });
  const checkpoints = await listCheckpoints(runId);
  expect(checkpoints.map((c) => c.step)).toEqual([3]);
  // The page hears of it too: a run that only saved a checkpoint recorded something.
  expect(events.filter((e) => e.op === "checkpoint")).toEqual([
    { op: "checkpoint", cellId: "train", exec: expect.any(Number), runId, id: checkpoints[0].id, step: 3 },
  ]);

  const result = await kernel.runCell("restore", cells.restore);
  expect(result.outcome, JSON.stringify(result.error)).toBe("ok");
  const shown = events.filter((e) => e.op === "output" && e.cellId === "restore").at(-1);
  const value = shown?.op === "output" ? shown.output.data : undefined;
  // Step and metadata come back, the restored generator samples exactly what the saved one did, and training
  // goes on from step 3 to 4.
  expect(value).toEqual([3, "after 3 steps", 0, 4]);

  await kernel.endRun("finished");
  expect((await getRun(runId)).status).toBe("finished");
});

it("says clearly that checkpoint() needs a tracked run", async () => {
  const result = await kernel.runCell("no-run", `await checkpoint(model, state);`);
  expect(result.outcome).toBe("error");
  expect(result.error?.message).toMatch(/not recording a run/);
});
