// Video metrics in the product: the trainer's evaluateEvery, the cells' evaluate(), and `zoetrope eval` on a run's
// checkpoint and on a checkpoint folder. A tiny VGAN at 16×32×32 and n = 8 clips per set keep it short.
import { tempDb } from "../helpers/temp-db";
import * as tf from "@tensorflow/tfjs-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as gan from "@/lib/gan";
import { fileCheckpoint } from "@/lib/gan/checkpoint/fs";
import { DbSink } from "@/lib/runner/cli/db-sink";
import { Kernel } from "@/lib/runner/kernel/kernel";
import type { KernelEvent } from "@/lib/runner/protocol";

const TINY = `{ frames: 16, size: 32, channels: 1, width: 1 / 16 }`;
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

function zoetrope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.DATA_DIR;
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve("bin", "zoetrope.js"), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let [stdout, stderr] = ["", ""];
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function metricKeys(runId: string): string[] {
  const rows = tempDb.sql().prepare("SELECT DISTINCT key FROM MetricChunk WHERE runId = ? ORDER BY key").all(runId) as { key: string }[];
  return rows.map((r) => r.key);
}

describe("video metrics in a tracked run", () => {
  it("logs fvd_mm, fid_mm and digit_conf at the trainer's evaluation steps and from evaluate()", { timeout: 60_000 }, async () => {
    const experimentId = await new DbSink(tempDb.dbFile).ensureExperiment("Evaluate cells", "// %%\n");
    await kernel.startRun({ experimentId, code: "// %%\n" });
    const runId = kernel.runId!;
    const train = `
const model = gan.createModel("vgan", ${TINY}, 1);
const data = await gan.createDataset("moving-mnist", { frames: 16, size: 32 }, 1);
const evaluatedAt = [];
const { state } = await gan.train(model, data, {
  steps: 2, batchSize: 2, seed: 1, signal, evaluateEvery: 2, evaluateN: 8,
  onStep: ({ step, ...m }) => log(m, step),
  onEvaluate: (step, m) => void evaluatedAt.push([step, m.n]),
});
await checkpoint(model, state);
const m = await evaluate(model, { n: 8, untrained: false });
[evaluatedAt, m.n, m.fvd_mm > m.floor.fvd_mm, m.untrained]`;
    const result = await kernel.runCell("train", train);
    expect(result.outcome, JSON.stringify(result.error)).toBe("ok");
    const shown = events.filter((e) => e.op === "output" && e.cellId === "train").at(-1);
    expect(shown?.op === "output" ? shown.output.data : undefined).toEqual([[[2, 8]], 8, true, null]); // untrained: false leaves it out (undefined shows as null)
    await kernel.endRun("finished");
    expect(metricKeys(runId)).toEqual(expect.arrayContaining(["digit_conf", "fid_mm", "fvd_mm", "loss_d"]));
    const chunks = tempDb.sql().prepare("SELECT minStep, maxStep, count FROM MetricChunk WHERE runId = ? AND key = 'fvd_mm'").all(runId) as
      { minStep: number; maxStep: number; count: number }[];
    // The trainer's point and evaluate()'s, both at step 2 (the last step logged).
    expect(chunks.reduce((n, c) => n + c.count, 0)).toBe(2);
    expect(chunks.every((c) => c.minStep === 2 && c.maxStep === 2)).toBe(true);
  });

  it("`zoetrope eval` prints the figures with the floor and the untrained model, for a run and for a folder", { timeout: 90_000 }, async () => {
    // A run recorded by the CLI into its own database (one step, then a checkpoint), evaluated by its id.
    const notebook = path.join(tempDb.root, "tiny.ts");
    fs.writeFileSync(notebook, [
      "// %% Train",
      `const model = gan.createModel("vgan", ${TINY}, 1);`,
      'const data = await gan.createDataset("moving-mnist", { frames: 16, size: 32 }, 1);',
      "const { state } = await gan.train(model, data, { steps: 1, batchSize: 2, seed: 1, signal });",
      "await checkpoint(model, state);",
    ].join("\n") + "\n");
    const db = path.join(tempDb.root, "cli", "z.db");
    const summary = path.join(tempDb.root, "summary.json");
    const ran = await zoetrope(["run", notebook, "--db", db, "--backend", "wasm", "--summary", summary]);
    expect(ran.code, ran.stderr).toBe(0);
    const { runId } = JSON.parse(fs.readFileSync(summary, "utf8")) as { runId: string };
    const byRun = await zoetrope(["eval", runId, "--db", db, "--n", "8", "--backend", "wasm"]);
    expect(byRun.stderr).not.toMatch(/zoetrope:/);
    expect(byRun.code).toBe(0);
    expect(byRun.stdout).toMatch(/vgan from run .*, step 1/);
    expect(byRun.stdout).toMatch(/FVD-MM\s+[\d.]+\s+[\d.]+\s+[\d.]+/);
    expect(byRun.stdout).toMatch(/digit confidence\s+[\d.]+\s+[\d.]+\s+[\d.]+/);
    expect(byRun.stdout).toContain("floor (real vs real)");

    const model = gan.createModel("vgan", { frames: 16, size: 32, channels: 1, width: 1 / 16 }, 2);
    const state = gan.createTrainState(model);
    const dir = path.join(tempDb.root, "ckpt");
    await gan.saveCheckpoint(fileCheckpoint(dir), model, state);
    state.dispose();
    model.dispose();
    const byDir = await zoetrope(["eval", dir, "--n", "8", "--backend", "wasm"]);
    expect(byDir.code).toBe(0);
    expect(byDir.stdout).toContain(`vgan from ${dir} (step 0`);

    const bad = await zoetrope(["eval", path.join(tempDb.root, "nothing-here"), "extra"]);
    expect(bad.code).toBe(2);
  });
});
