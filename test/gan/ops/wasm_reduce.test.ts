// The wasm reduction wrappers (lib/gan/ops/wasm_reduce.ts) against the cpu backend, for every reduction they wrap:
// Max names its axes differently from the others, and must still reduce only those axes.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { startBackend } from "./helpers";

const ops = { max: tf.max, min: tf.min, sum: tf.sum, mean: tf.mean, prod: tf.prod };
const cases: Array<[number | number[], boolean]> = [[-1, false], [1, true], [[0, 2], false], [[0, 1], false]];

async function run(backend: "cpu" | "wasm") {
  await startBackend(backend);
  const x = tf.tensor3d(Array.from({ length: 60 }, (_, i) => Math.sin(i) + 1.1), [4, 3, 5]);
  const out = Object.entries(ops).flatMap(([name, op]) =>
    cases.map(([axis, keepDims]) => {
      const y = op(x, axis, keepDims);
      const r = { name, axis, shape: y.shape, values: Array.from(y.dataSync()) };
      y.dispose();
      return r;
    }),
  );
  x.dispose();
  return out;
}

describe("wasm reductions", () => {
  it("reduce exactly the axes asked for, as cpu does", async () => {
    const [cpu, wasm] = [await run("cpu"), await run("wasm")];
    wasm.forEach((w, i) => {
      expect(w.shape, `${w.name} over ${w.axis}`).toEqual(cpu[i].shape);
      w.values.forEach((v, j) => expect(v).toBeCloseTo(cpu[i].values[j], 4));
    });
  });
});

describe("wasm sums over rows", () => {
  it("are the float64 sums rounded once, for row counts that are not a multiple of four", async () => {
    await startBackend("wasm");
    const [n, c] = [1027, 33];
    const values = Float32Array.from({ length: n * c }, (_, i) => Math.sin(i * 0.37) * 1e3 + 1e-3 * i);
    const exact = Array.from({ length: c }, (_, j) => {
      let s = 0;
      for (let r = 0; r < n; r++) s += values[r * c + j];
      return s;
    });
    const x = tf.tensor3d(values, [n, 1, c]);
    const before = tf.memory().numTensors;
    const [sum, mean] = [tf.sum(x, [0, 1]), tf.mean(x, [0, 1])];
    expect(Array.from(sum.dataSync())).toEqual(Array.from(Float32Array.from(exact)));
    expect(Array.from(mean.dataSync())).toEqual(Array.from(Float32Array.from(exact.map((s) => s / n))));
    tf.dispose([sum, mean]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
