// One cell of the GAN benchmark, run in its own process by bench/gan.ts so that a cell that overruns its time limit
// can be killed (a TF.js cpu kernel cannot be interrupted) and every backend starts clean.
// Prints one JSON object per line: {event: "info" | "step" | "done" | "error", …}.
//   tsx bench/gan-cell.ts <backend> <workload> <size> <warmup> <steps>
// workload: tgan | mocogan | vgan (the model at its default widths, 1 channel) | refA | refB (the PyTorch reference).
import * as tf from "@tensorflow/tfjs-core";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { initBackend } from "../lib/gan";
import { defaultVulkanDriver } from "../lib/gan/backend_node";
import type { BackendName } from "../lib/gan/backend";
import { createModel, isModelKind } from "../lib/gan/models";
import { train } from "../lib/gan/train";
import { referenceWorkload } from "./torch-reference/step";

const BATCH = 16;
const FRAMES = 16;

const emit = (event: string, data: Record<string, unknown> = {}) => console.log(JSON.stringify({ event, ...data }));
const count = (vars: tf.Variable[]) => vars.filter((v) => v.trainable).reduce((n, v) => n + v.size, 0);

async function runModel(kind: string, size: number, warmup: number, steps: number): Promise<void> {
  if (!isModelKind(kind)) throw new Error(`unknown workload ${kind}`);
  // Channels 1, like the reference workload and Moving MNIST; widths and everything else at the model's defaults.
  const model = createModel(kind, { frames: FRAMES, size, channels: 1 }, 0);
  emit("params", { G: count(model.generatorVars), D: count(model.discriminatorVars) });
  // A fixed real batch (as the reference uses), so the timing is the training step alone.
  const real = tf.randomUniform([BATCH, FRAMES, size, size, 1], -1, 1, "float32", 1) as tf.Tensor5D;
  const data = { nextBatch: () => tf.clone(real) };
  const { state } = await train(model, data, {
    steps: warmup + steps,
    batchSize: BATCH,
    seed: 0,
    onStep: (m) => emit("step", { ms: m.step_ms, warm: m.step > warmup, finite: Number.isFinite(m.loss_d + m.loss_g) }),
  });
  state.dispose();
  model.dispose();
  real.dispose();
}

async function runReference(variant: "A" | "B", warmup: number, steps: number): Promise<void> {
  const work = referenceWorkload(variant);
  emit("params", work.params);
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const { lossD, lossG } = await work.step();
    emit("step", { ms: performance.now() - t0, warm: i >= warmup, finite: Number.isFinite(lossD + lossG) });
  }
  work.dispose();
}

async function main(): Promise<void> {
  const [backend, workload, size, warmup, steps] = process.argv.slice(2);
  if (backend === "webgpu") defaultVulkanDriver(); // Chromium's SwiftShader where the machine has no Vulkan driver
  const info = await initBackend(backend as BackendName);
  if (info.backend !== backend) throw new Error(`${backend} unavailable (${info.fallbackReason ?? "fell back"})`);
  // wasm runs on OMP_NUM_THREADS threads, else every core, as PyTorch does here (lib/gan/wasm_node.ts).
  const wasmThreads = info.backend === "wasm" ? `${getThreadsCount()} thread(s), SIMD` : undefined;
  emit("info", { backend: info.backend, adapter: info.adapter?.description ?? wasmThreads });
  if (workload === "refA" || workload === "refB") {
    if (Number(size) !== 32) throw new Error("the reference workload is 16×32×32 only");
    await runReference(workload === "refA" ? "A" : "B", Number(warmup), Number(steps));
  } else {
    await runModel(workload, Number(size), Number(warmup), Number(steps));
  }
  emit("memory", { peakMb: process.resourceUsage().maxRSS / 1024 }); // maxRSS is in KiB
  emit("done");
}

main().then(
  () => process.exit(0), // Dawn keeps the event loop alive
  (err: unknown) => {
    emit("error", { message: err instanceof Error ? err.message.split("\n")[0] : String(err) });
    process.exit(1);
  },
);
