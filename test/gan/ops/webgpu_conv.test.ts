// webgpu's convolutions in our shaders (lib/gan/ops/webgpu_conv3d*.ts, webgpu_conv2d.ts), on Dawn: a model-sized
// 3-D or 2-D convolution and both its gradients run in our shaders and match cpu, so do odd channel counts and
// strides, a head's forward pass keeps webgpu's own kernel, nothing leaks.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultVulkanDriver } from "@/lib/gan/backend_node";
import { startBackend } from "./helpers";

beforeAll(() => defaultVulkanDriver());

/** conv3d (or conv2d, for 4-D shapes) of x by w and both gradients (of Σ y·r), and the shaders that ran. */
type Shape5 = [number, number, number, number, number];
type Shape4 = [number, number, number, number];
async function convAndGrads(backend: "cpu" | "webgpu", xShape: Shape5 | Shape4, wShape: Shape5 | Shape4, strides: number[], pad: "same" | "valid") {
  await startBackend(backend);
  const shaders: string[] = [];
  const stopRecording = recordPrograms(shaders);
  try {
    const before = tf.memory().numTensors;
    const results = tf.tidy(() => {
      const x = tf.randomNormal(xShape, 0, 1, "float32", 1);
      const w = tf.randomNormal(wShape, 0, 0.3, "float32", 2);
      const f = (a: tf.Tensor, b: tf.Tensor) => xShape.length === 5
        ? tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, strides as [number, number, number], pad)
        : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides as [number, number], pad);
      const y = f(x, w);
      const r = tf.randomNormal(y.shape, 0, 1, "float32", 3);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), r)))([x, w]);
      return [y, dx, dw];
    });
    const out = await Promise.all(results.map(async (t) => Array.from(await t.data()))); // webgpu in Node reads only async
    tf.dispose(results);
    return { out, shaders, leaked: tf.memory().numTensors - before };
  } finally {
    stopRecording();
  }
}

/** Records the shader key of every program the webgpu backend runs until the returned function is called. */
function recordPrograms(keys: string[]): () => void {
  if (tf.getBackend() !== "webgpu") return () => {};
  type Run = (program: { shaderKey: string }, ...rest: unknown[]) => unknown;
  const backend = tf.backend() as unknown as { runWebGPUProgram: Run };
  const run = backend.runWebGPUProgram;
  backend.runWebGPUProgram = (program, ...rest) => (keys.push(program.shaderKey), run.call(backend, program, ...rest));
  return () => {
    backend.runWebGPUProgram = run;
  };
}
const ran = (keys: string[], prefix: string) => keys.some((key) => key.startsWith(prefix));

const closeTo = (a: number[], b: number[]) => {
  const scale = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / scale;
};

type ConvArgs = [Shape5 | Shape4, Shape5 | Shape4, number[], "same" | "valid"];

/** Runs the convolution and its gradients on cpu and webgpu, expects the same results and no tensor left on webgpu. */
async function asOnCpu(...args: ConvArgs) {
  const cpu = await convAndGrads("cpu", ...args);
  const gpu = await convAndGrads("webgpu", ...args);
  gpu.out.forEach((values, i) => expect(closeTo(values, cpu.out[i])).toBeLessThan(1e-4));
  expect(gpu.leaked).toBe(0);
  return gpu;
}

const ALL_THREE = ["zoetropeConv3dMM", "zoetropeConv3dInput", "zoetropeConv3dFilterMM"];

describe("webgpu convolutions in our shaders", () => {
  it("runs a model-sized conv3d and both its gradients in our shaders, as cpu computes them", async () => {
    const gpu = await asOnCpu([2, 16, 16, 16, 8], [4, 4, 4, 8, 4], [2, 2, 2], "same");
    for (const shader of ALL_THREE) expect(ran(gpu.shaders, shader)).toBe(true);
  });

  it("splits a long filter-gradient sum into chunks and adds them", async () => {
    // 2·8·16·16 = 4,096 output positions against a [4·4·4·2, 4] filter: the shader runs in chunks.
    const gpu = await asOnCpu([2, 8, 16, 16, 2], [4, 4, 4, 2, 4], [1, 1, 1], "same");
    expect(ran(gpu.shaders, "zoetropeChunkSum")).toBe(true);
  });

  it("runs a model-sized conv2d on 1-channel images and both its gradients in our shaders", async () => {
    const gpu = await asOnCpu([16, 32, 32, 1], [4, 4, 1, 8], [2, 2], "same");
    for (const shader of ALL_THREE) expect(ran(gpu.shaders, shader)).toBe(true);
  });

  it("handles channel counts that are not whole vec4s, uneven strides and 'valid' borders", async () => {
    // 6 input channels: a block of 4 and a part block of 2; 7 output channels: dy's last vec4 is partly past the end.
    for (const args of [
      [[3, 5, 7, 9, 6], [3, 3, 2, 6, 7], [2, 1, 2], "same"],
      [[2, 6, 9, 7, 5], [2, 3, 3, 5, 3], [1, 3, 2], "valid"],
    ] as ConvArgs[]) {
      const gpu = await asOnCpu(...args);
      expect(ran(gpu.shaders, "zoetropeConv3dInput")).toBe(true);
    }
  });

  it("keeps webgpu's own forward kernel for a head's one output channel", async () => {
    const gpu = await convAndGrads("webgpu", [2, 4, 4, 4, 8], [4, 4, 4, 8, 1], [1, 1, 1], "valid");
    expect(ran(gpu.shaders, "zoetropeConv3dMM")).toBe(false);
    expect(ran(gpu.shaders, "zoetropeConv3dInput")).toBe(true);
    expect(gpu.leaked).toBe(0);
  });
});
