import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { layerCases } from "../../../lib/gan/ops/check/cases_layers";
import { startBackend, values, verdictOn } from "./helpers";

function trainBatchNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const { mean, variance } = tf.moments(x, x.shape.map((_, i) => i).slice(0, -1));
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
}

describe("batchNorm gradient", () => {
  it("rank 5 equals the same computation on the rank-4 reshape", async () => {
    await startBackend("cpu");
    const x = tf.randomNormal([2, 3, 4, 4, 5], 0, 1, "float32", 7);
    const gamma = tf.randomUniform([5], 0.5, 1.5, "float32", 8) as tf.Tensor1D;
    const beta = tf.randomNormal([5], 0, 0.1, "float32", 9) as tf.Tensor1D;
    const r = tf.randomNormal(x.shape, 0, 1, "float32", 10);
    const loss5 = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(trainBatchNorm(xx, g as tf.Tensor1D, b as tf.Tensor1D), r));
    const loss4 = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(trainBatchNorm(tf.reshape(xx, [6, 4, 4, 5]), g as tf.Tensor1D, b as tf.Tensor1D), tf.reshape(r, [6, 4, 4, 5])));
    const g5 = tf.grads(loss5)([x, gamma, beta]);
    const g4 = tf.grads(loss4)([x, gamma, beta]);
    for (let i = 0; i < 3; i++) {
      const a = values(g5[i]);
      const b = values(g4[i]);
      a.forEach((v, k) => expect(v).toBeCloseTo(b[k], 4));
    }
  });

  for (const backend of ["cpu", "wasm"] as const) {
    it(`rank 5 (training mode) matches finite differences on ${backend}`, async () => {
      const c = layerCases.find((k) => k.name === "batchNorm rank 5 (train)")!;
      const v = await verdictOn(backend, c);
      expect(v.note).toBeUndefined();
    });
  }
});
