// wasm under Node on the threaded build (lib/gan/wasm_node.ts): as many threads as asked, the same results as cpu,
// and a process that ends by itself once its work is done (XNNPACK's pool threads must not hold it open).
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { version_wasm } from "@tensorflow/tfjs-backend-wasm";
import { MAX_WASM_THREADS, workerScriptPath } from "@/lib/gan/wasm_node";
import { startBackend } from "./ops/helpers";

/** Starts wasm in a fresh Node process with OMP_NUM_THREADS=`threads`; prints the thread count and a product. */
async function threadsInChild(threads: string, env: Record<string, string> = {}): Promise<{ threads: number; sum: number; warnings: string[] }> {
  const script = [
    `import * as tf from "@tensorflow/tfjs-core"; import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";`,
    `import { initBackend } from "./lib/gan/backend"; await initBackend("wasm");`,
    `const y = tf.matMul(tf.ones([64, 256]), tf.ones([256, 32]));`,
    `console.log(JSON.stringify({ threads: getThreadsCount(), sum: (await tf.sum(y).data())[0] }));`,
  ].join("\n");
  // No process.exit: the child must end on its own, within the time limit.
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { ...process.env, OMP_NUM_THREADS: threads, ...env },
    timeout: 30_000,
  });
  const warnings = stderr.split("\n").filter((l) => l.startsWith("zoetrope:"));
  return { ...(JSON.parse(stdout.trim().split("\n").at(-1)!) as { threads: number; sum: number }), warnings };
}

describe("wasm in Node", () => {
  it("runs on OMP_NUM_THREADS threads, capped at tfjs's eight, and the process ends by itself", async () => {
    expect(await threadsInChild("2")).toEqual({ threads: 2, sum: 64 * 32 * 256, warnings: [] });
    expect(await threadsInChild("1")).toEqual({ threads: 1, sum: 64 * 32 * 256, warnings: [] });
    expect((await threadsInChild("64")).threads).toBe(MAX_WASM_THREADS);
  }, 90_000);

  it("falls back to tfjs's single-threaded build, with one line saying why, where the threaded one cannot start", async () => {
    // A folder where the worker script should be: it can be neither used nor replaced.
    const tmp = mkdtempSync(path.join(os.tmpdir(), "wasm-node-"));
    const blocked = path.join(tmp, path.basename(workerScriptPath(version_wasm)));
    mkdirSync(path.join(blocked, "in-the-way"), { recursive: true });
    try {
      const child = await threadsInChild("2", { TMPDIR: tmp });
      expect(child).toMatchObject({ threads: 1, sum: 64 * 32 * 256 });
      expect(child.warnings).toHaveLength(1);
      expect(child.warnings[0]).toContain("one thread");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it("computes a convolution and its gradients as cpu does, on every thread", async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([8, 16, 16, 32], 0, 1, "float32", 1) as tf.Tensor4D;
        const w = tf.randomNormal([4, 4, 32, 64], 0, 0.1, "float32", 2) as tf.Tensor4D;
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same");
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(f(a, b))))([x, w]);
        return [f(x, w), dx, dw].map((t) => Array.from(t.dataSync()));
      });
    await startBackend("cpu");
    const expected = run();
    await startBackend("wasm");
    const before = tf.memory().numTensors;
    const actual = run();
    expect(tf.memory().numTensors).toBe(before);
    actual.forEach((values, i) => {
      const scale = Math.max(...expected[i].map(Math.abs));
      const worst = Math.max(...values.map((v, j) => Math.abs(v - expected[i][j])));
      expect(worst / scale).toBeLessThan(1e-5);
    });
  });
});
