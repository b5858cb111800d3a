// Conv-kernel benchmark on webgpu: every convolution of the three models (default widths, batch 16), 3-D and 2-D,
// forward and both gradients, TF.js's own webgpu kernel beside ours (lib/gan/ops/webgpu_conv3d.ts,
// webgpu_conv2d.ts), in GFLOP/s and as a share of the same adapter's tiled matMul on the same GEMM shape
// (M = output positions, K = kernel volume × input channels, N = output channels). The share does not depend on the
// hardware; GFLOP/s on a software adapter do. Where ours hands a call back to TF.js's (a head's forward pass), the
// row shows the same kernel twice, and the difference between its two figures is the noise of the adapter.
//   npm run bench:kernels [-- --sizes=32,64] [--models=tgan,mocogan,vgan] [--dims=2,3] [--width=W] [--runs=N] [--max-seconds=S]
// --width scales every layer's channels (1: the models' defaults); a software adapter wants 1/4 or less.
// A call that takes longer than --max-seconds (default 20) is timed once. On 2 cores, run it on an idle machine.
// Without a Vulkan driver, Dawn uses Chromium's SwiftShader (correct, and slow: its figures are for the share).
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../lib/gan";
import { defaultVulkanDriver } from "../lib/gan/backend_node";
import { createModel, type ModelKind } from "../lib/gan/models";
import { replacedKernel } from "../lib/gan/ops/patches";

const args = new Map(process.argv.slice(2).map((a) => [a.replace(/^--/, "").split("=")[0], a.split("=")[1] ?? "true"]));
const list = (key: string, def: string) => (args.get(key) ?? def).split(",").filter(Boolean);
const sizes = list("sizes", "32").map(Number);
const models = list("models", "tgan,mocogan,vgan") as ModelKind[];
const dims = list("dims", "2,3").map(Number); // 2-D and/or 3-D convolutions
const width = Number(args.get("width") ?? 1);
const runs = Number(args.get("runs") ?? 3);
const maxSeconds = Number(args.get("max-seconds") ?? 20);
const BATCH = 16;
// Each kernel's inputs in order, its short name, and which of its three roles it plays.
type Role = "forward" | "input" | "filter";
const KERNELS: Record<string, { inputs: string[]; name: string; role: Role }> = {
  [tf.Conv3D]: { inputs: ["x", "filter"], name: "conv3d", role: "forward" },
  [tf.Conv3DBackpropInputV2]: { inputs: ["dy", "filter"], name: "conv3d d input", role: "input" },
  [tf.Conv3DBackpropFilterV2]: { inputs: ["x", "dy"], name: "conv3d d filter", role: "filter" },
  [tf.Conv2D]: { inputs: ["x", "filter"], name: "conv2d", role: "forward" },
  [tf.Conv2DBackpropInput]: { inputs: ["dy", "filter"], name: "conv2d d input", role: "input" },
  [tf.Conv2DBackpropFilter]: { inputs: ["x", "dy"], name: "conv2d d filter", role: "filter" },
};

interface Call {
  kernel: string;
  shapes: number[][]; // inputs, batch 16
  attrs: Record<string, unknown>;
  where: string; // model and size
}

/** Every conv kernel call of one D and one G update (batch 1, recorded on the cpu backend), at batch 16. */
async function recordCalls(kind: ModelKind, size: number): Promise<Call[]> {
  await initBackend("cpu");
  const model = createModel(kind, { frames: 16, size, channels: 1, width }, 0);
  const calls: Call[] = [];
  const engine = tf.engine() as unknown as { runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor };
  const run = engine.runKernel.bind(engine);
  // Recorded at batch 1: the leading axis is 1, or the frames of one clip where a 2-D layer runs per frame.
  const batched = (shape: number[]) => [shape[0] * BATCH, ...shape.slice(1)];
  engine.runKernel = (name, inputs, attrs) => {
    if (name in KERNELS) {
      const a = { ...(attrs as Record<string, unknown>) };
      if (Array.isArray(a.inputShape)) a.inputShape = batched(a.inputShape as number[]);
      // Every input but the filter has the batch first.
      const shapes = KERNELS[name].inputs.map((key) => (key === "filter" ? inputs[key].shape : batched(inputs[key].shape)));
      calls.push({ kernel: name, shapes, attrs: a, where: `${kind} ${size}` });
    }
    return run(name, inputs, attrs);
  };
  const real = tf.randomUniform([1, 16, size, size, 1], -1, 1) as tf.Tensor5D;
  tf.tidy(() => {
    tf.variableGrads(() => model.discriminatorLoss(real, 1).loss, model.discriminatorVars);
    tf.variableGrads(() => model.generatorLoss(1, 2).loss, model.generatorVars);
  });
  engine.runKernel = run;
  real.dispose();
  model.dispose();
  const seen = new Set<string>();
  return calls.filter((c) => {
    const key = `${c.kernel}|${JSON.stringify(c.shapes)}|${JSON.stringify(c.attrs)}`;
    return !seen.has(key) && seen.add(key);
  });
}

/** Multiply-adds of a conv call and its GEMM shape: M output positions, K = kernel volume × Cin, N = Cout. */
function gemm(c: Call): { m: number; k: number; n: number } {
  const role = KERNELS[c.kernel].role;
  const [x, w] = role === "filter" ? [c.shapes[0], c.attrs.filterShape as number[]] : role === "forward" ? [c.shapes[0], c.shapes[1]] : [c.attrs.inputShape as number[], c.shapes[1]];
  if (x.length === 4) {
    const info = tf.backend_util.computeConv2DInfo(x as [number, number, number, number], w as [number, number, number, number],
      c.attrs.strides as [number, number], 1, c.attrs.pad as "same", c.attrs.dimRoundingMode as "floor" | undefined);
    return { m: info.batchSize * info.outHeight * info.outWidth, k: info.filterHeight * info.filterWidth * info.inChannels, n: info.outChannels };
  }
  const info = tf.backend_util.computeConv3DInfo(x as [number, number, number, number, number], w as [number, number, number, number, number],
    c.attrs.strides as [number, number, number], 1, c.attrs.pad as "same");
  return {
    m: info.batchSize * info.outDepth * info.outHeight * info.outWidth,
    k: info.filterDepth * info.filterHeight * info.filterWidth * info.inChannels,
    n: info.outChannels,
  };
}

/** Median ms of one call of `f` (each batch of calls ends with a read, so the GPU has finished). */
async function time(f: () => tf.Tensor): Promise<number> {
  const once = async () => {
    const t0 = performance.now();
    const y = f();
    await y.data();
    y.dispose();
    return performance.now() - t0;
  };
  const first = await once(); // compiles the shaders
  if (first > maxSeconds * 1000) return first;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

function runKernel(config: tf.KernelConfig, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): tf.Tensor {
  const info = config.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: tf.backend() }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows]) console.log(r.map((x, i) => (i >= 3 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join("  ").trimEnd());
}

async function main(): Promise<void> {
  const calls: Call[] = [];
  for (const size of sizes) for (const kind of models) calls.push(...(await recordCalls(kind, size)));
  const wanted = calls.filter((c) => dims.includes(c.shapes[0].length - 2));
  defaultVulkanDriver();
  const info = await initBackend("webgpu");
  if (info.backend !== "webgpu") throw new Error(`webgpu did not start: ${info.fallbackReason}`);
  console.log(`bench:kernels  webgpu on ${info.adapter?.description ?? "?"}; batch ${BATCH}, width ${width}; median of ${runs}`);
  const rows: string[][] = [];
  for (const c of wanted) {
    const inputs = Object.fromEntries(KERNELS[c.kernel].inputs.map((name, i) => [name, tf.randomNormal(c.shapes[i], 0, 1)]));
    const { m, k, n } = gemm(c);
    const gflop = (2 * m * k * n) / 1e9;
    const ours = tf.getKernel(c.kernel, "webgpu")!;
    const theirs = replacedKernel(c.kernel, "webgpu") ?? ours;
    const msOld = await time(() => runKernel(theirs, inputs, c.attrs));
    const msNew = theirs === ours ? msOld : await time(() => runKernel(ours, inputs, c.attrs));
    const [a, b] = [tf.randomNormal([m, k]), tf.randomNormal([k, n])];
    const msMm = await time(() => tf.matMul(a, b));
    tf.dispose([a, b, ...Object.values(inputs)]);
    const rate = (ms: number) => (gflop / (ms / 1000)).toPrecision(3);
    const share = (ms: number) => `${((100 * msMm) / ms).toFixed(0)}%`;
    rows.push([c.where, KERNELS[c.kernel].name, c.shapes.map((s) => s.join("×")).join(" "), `${m}·${k}·${n}`, rate(msOld), rate(msNew),
      rate(msMm), share(msOld), share(msNew), `${(msOld / msNew).toFixed(1)}×`]);
    process.stderr.write(`  ${c.where} ${KERNELS[c.kernel].name} ${c.shapes[0].join("×")}: ${msOld.toFixed(0)} → ${msNew.toFixed(0)} ms (matMul ${msMm.toFixed(0)} ms)\n`);
  }
  console.log();
  printTable(["model", "kernel", "inputs", "GEMM M·K·N", "old GFLOP/s", "new GFLOP/s", "matMul GFLOP/s", "old/matMul", "new/matMul", "speed-up"], rows);
}

main().then(
  () => process.exit(0), // Dawn keeps the event loop alive
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
