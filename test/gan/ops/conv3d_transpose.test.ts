import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { convCases } from "../../../lib/gan/ops/check/cases_conv";
import { startBackend, verdictOn } from "./helpers";

const transposeCases = convCases.filter((c) => c.name.startsWith("conv3dTranspose"));

describe("conv3dTranspose", () => {
  for (const backend of ["cpu", "wasm"] as const) {
    for (const c of transposeCases) {
      it(`${c.name}: gradients match finite differences and cpu on ${backend}`, async () => {
        const v = await verdictOn(backend, c);
        expect(v.note).toBeUndefined();
        expect(v.ok).toBe(true);
      });
    }
  }

  it("trains: a few SGD steps fit a target video", async () => {
    await startBackend("cpu");
    const target = tf.randomUniform([1, 4, 4, 4, 1], -1, 1, "float32", 1);
    const z = tf.randomNormal([1, 2, 2, 2, 3], 0, 1, "float32", 2) as tf.Tensor5D;
    const w = tf.variable(tf.randomNormal([4, 4, 4, 1, 3], 0, 0.1, "float32", 3));
    const loss = () => tf.mean(tf.square(tf.sub(tf.conv3dTranspose(z, w as tf.Tensor5D, [1, 4, 4, 4, 1], 2, "same"), target))) as tf.Scalar;
    const opt = tf.train.sgd(0.5);
    const first = loss().dataSync()[0];
    for (let i = 0; i < 20; i++) opt.minimize(loss);
    expect(loss().dataSync()[0]).toBeLessThan(0.5 * first);
  });
});
