// The native backend under the real training loop: no tensor leaks, and a run resumed from a checkpoint
// continues exactly as the uninterrupted run. Every op goes through oneDNN here (the small-tensor cut-off is
// lowered to 1), since the tiny models' tensors would otherwise stay on the cpu kernels.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/gan/backend";
import { loadCheckpoint, saveCheckpoint } from "@/lib/gan/checkpoint";
import { fileCheckpoint } from "@/lib/gan/checkpoint/fs";
import { nativeLimits } from "@/lib/gan/native/elementwise";
import { sample } from "@/lib/gan/sample";
import { train, type StepMetrics } from "@/lib/gan/train";
import { modelKinds, numTensors, tinyData, tinyModel } from "../train-helpers";

const saved = { ...nativeLimits };
beforeAll(async () => {
  const info = await initBackend("native");
  expect(info.backend).toBe("native");
  nativeLimits.minSize = 1;
});
afterAll(() => void Object.assign(nativeLimits, saved));

describe.each(modelKinds)("%s on native", (kind) => {
  it("holds the same number of tensors at step 2 and step 30, and none after dispose", async () => {
    const before = numTensors();
    const model = tinyModel(kind);
    const data = await tinyData();
    const counts = new Map<number, number>();
    const { state } = await train(model, data, {
      steps: 30,
      batchSize: 2,
      seed: 3,
      ema: 0.99,
      sampleEvery: 15,
      onSample: (_, video) => video.dispose(),
      onStep: (m) => void counts.set(m.step, numTensors()),
    });
    expect(counts.get(30)).toBe(counts.get(2));
    state.dispose();
    model.dispose();
    expect(numTensors()).toBe(before);
  }, 120_000);

  it("12 steps equal 5 steps + save + load into a fresh model + 7 steps", async () => {
    const run = { batchSize: 2, seed: 11, ema: 0.9 } as const;
    const losses = (ms: StepMetrics[]) => ms.flatMap((m) => [m.loss_d, m.loss_g]);
    const data = await tinyData();
    const straight: StepMetrics[] = [];
    const modelA = tinyModel(kind, 1);
    const a = await train(modelA, data, { ...run, steps: 12, onStep: (m) => void straight.push(m) });

    const modelB = tinyModel(kind, 1);
    const first = await train(modelB, data, { ...run, steps: 5 });
    const dir = await mkdtemp(path.join(tmpdir(), "zoetrope-native-"));
    const store = fileCheckpoint(dir);
    await saveCheckpoint(store, modelB, first.state);
    first.state.dispose();
    modelB.dispose();
    const modelC = tinyModel(kind, 999);
    const { state } = await loadCheckpoint(store, modelC);
    const resumed: StepMetrics[] = [];
    const second = await train(modelC, data, { ...run, steps: 12, state, onStep: (m) => void resumed.push(m) });
    const want = losses(straight.slice(5));
    losses(resumed).forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));

    const [va, vc] = [sample(modelA, 2, { seed: 4 }), sample(modelC, 2, { seed: 4 })];
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(va, vc))).dataSync()[0])).toBeLessThan(1e-4);
    tf.dispose([va, vc]);
    for (const m of [modelA, modelC]) m.dispose();
    a.state.dispose();
    second.state.dispose();
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});

describe("without oneDNN", () => {
  it("initBackend falls back to wasm and says once, in one line, how to install it", async () => {
    const script = `import { initBackend } from "./lib/gan/backend"; const a = await initBackend(); const b = await initBackend(); console.log(JSON.stringify([a.backend, b.backend]));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, ZOETROPE_DNNL_LIB: "/nonexistent/libdnnl.so.2" },
    });
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual(["wasm", "wasm"]);
    const lines = stderr.split("\n").filter((l) => l.startsWith("zoetrope:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("apt-get install libdnnl2");
  }, 60_000);
});
