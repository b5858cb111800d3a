// The wasm Slice, Tile and Transpose kernels (lib/gan/ops/wasm_layout.ts) against the cpu backend, exactly: the
// shapes our models slice, tile and transpose, and the int32 inputs that stay on wasm's own kernels.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { startBackend } from "./helpers";

const cases: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
  ["slice rank 5, a padded conv's gradient", (x) => tf.slice(x, [0, 0, 1, 1, 0], [-1, -1, 4, 4, -1])],
  ["slice rank 5 of whole rows", (x) => tf.slice(x, [1, 2, 0, 0, 0], [1, 3, -1, -1, -1])],
  ["slice rank 2", (x) => tf.slice(tf.reshape(x, [-1, 3]), [5, 1], [40, 2])],
  ["slice to nothing", (x) => tf.slice(x, [0, 0, 0, 0, 0], [2, 0, 6, 6, 3])],
  ["tile of a row over the rows (a mean's gradient)", (x) => tf.tile(tf.slice(tf.reshape(x, [-1, 3]), [0, 0], [1, 3]), [500, 1])],
  ["tile over a new time axis", (x) => tf.tile(tf.slice(x, [0, 0, 0, 0, 0], [-1, 1, -1, -1, -1]), [1, 4, 1, 1, 1])],
  ["tile on every axis", (x) => tf.tile(x, [2, 1, 3, 1, 2])],
  ["transpose of a matrix (a filter, [K·Cin, Cout])", (x) => tf.transpose(tf.reshape(x, [40, 27]))],
  ["transpose of matrices in a batch", (x) => tf.transpose(x, [0, 1, 2, 4, 3])],
  ["transpose that merges to a swap", (x) => tf.transpose(x, [2, 3, 4, 0, 1])],
  ["transpose past size-1 axes", (x) => tf.transpose(tf.reshape(x, [1, 60, 1, 18]), [3, 2, 1, 0])],
  ["transpose that is no swap (wasm's own kernel)", (x) => tf.transpose(x, [1, 0, 2, 4, 3])],
  ["slice and tile of int32", (x) => tf.tile(tf.slice(tf.cast(tf.mul(x, 100), "int32"), [0, 1, 1, 1, 0], [1, 2, 2, 2, 3]), [2, 1, 1, 1, 1])],
];

async function run(backend: "cpu" | "wasm") {
  await startBackend(backend);
  const x = tf.tensor(Array.from({ length: 2 * 5 * 6 * 6 * 3 }, (_, i) => Math.sin(i)), [2, 5, 6, 6, 3]);
  const out = cases.map(([, op]) => tf.tidy(() => {
    const y = op(x);
    return { shape: y.shape, dtype: y.dtype, values: Array.from(y.dataSync()) };
  }));
  x.dispose();
  return out;
}

describe("wasm Slice, Tile and Transpose", () => {
  it("give exactly what cpu gives", async () => {
    const [cpu, wasm] = [await run("cpu"), await run("wasm")];
    cases.forEach(([what], i) => expect(wasm[i], what).toEqual(cpu[i]));
  });

  it("leave no tensor behind", async () => {
    await startBackend("wasm");
    const x = tf.ones([2, 5, 6, 6, 3]);
    const before = tf.memory().numTensors;
    for (const [, op] of cases) tf.tidy(() => op(x)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
