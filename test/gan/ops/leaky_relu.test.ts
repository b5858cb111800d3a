import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { layerCases } from "../../../lib/gan/ops/check/cases_layers";
import { startBackend, values, verdictOn } from "./helpers";

describe("second-order gradients", () => {
  it("leakyRelu: d/dx Σ ∂h/∂x of h = Σ leakyRelu(x)² is 2·slope² (rank 5)", async () => {
    await startBackend("cpu");
    const alpha = 0.2;
    const x = tf.tensor5d([-1.5, -0.3, 0.4, 2.0, -0.7, 0.9, 1.1, -2.2], [1, 2, 2, 2, 1]);
    const h = (t: tf.Tensor) => tf.sum(tf.square(tf.leakyRelu(t, alpha)));
    const second = tf.grad((t: tf.Tensor) => tf.sum(tf.grad(h)(t)))(x);
    const expected = values(x).map((v) => 2 * (v > 0 ? 1 : alpha) ** 2);
    values(second).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it("maximum and relu are twice differentiable (zero gradients for comparisons)", async () => {
    await startBackend("cpu");
    const x = tf.tensor1d([-1, 0.5, 2]);
    const f = (t: tf.Tensor) => tf.sum(tf.square(tf.add(tf.maximum(t, 0.1), tf.relu(t))));
    const second = tf.grad((t: tf.Tensor) => tf.sum(tf.grad(f)(t)))(x);
    // f = (max(x, .1) + relu(x))²: for x > .1 it is 4x² (f'' = 8); for x < 0 it is .01 (f'' = 0).
    expect(values(second)).toEqual([0, 8, 8]);
  });

  for (const backend of ["cpu", "wasm"] as const) {
    it(`R1 / WGAN-GP through conv3d + leakyRelu + dense matches finite differences on ${backend}`, async () => {
      const c = layerCases.find((k) => k.name.startsWith("R1"))!;
      const v = await verdictOn(backend, c);
      expect(v.note).toBeUndefined();
    });
  }
});
