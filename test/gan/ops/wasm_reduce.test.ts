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
