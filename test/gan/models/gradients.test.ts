import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { VideoGan } from "@/lib/gan/types";
import { createModel, modelKinds, tganHingeSpectralNorm, tinyWidth } from "@/lib/gan/models";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const tiny = { width: tinyWidth, size: 16, frames: 8, channels: 1 };
const realBatch = () => tf.randomUniform([2, 8, 16, 16, 1], -1, 1, "float32", 11) as tf.Tensor5D;

/** Names of variables whose gradient from `loss` is missing or exactly zero (a disconnected layer). */
function deadVariables(m: VideoGan, loss: () => tf.Scalar, vars: tf.Variable[]): string[] {
  const names = new Map([...m.stateVars()].map(([name, v]) => [v.name, name]));
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, vars);
    return vars.filter((v) => grads[v.name] == null || tf.max(tf.abs(grads[v.name])).dataSync()[0] === 0).map((v) => names.get(v.name) ?? v.name);
  });
}

describe.each(modelKinds)("%s: every trainable variable gets a gradient", (kind) => {
  it("discriminator variables from discriminatorLoss", () => {
    const m = createModel(kind, tiny, 1);
    const real = realBatch();
    expect(deadVariables(m, () => m.discriminatorLoss(real, 2).loss, m.discriminatorVars)).toEqual([]);
    m.dispose();
  });

  it("generator variables from generatorLoss", () => {
    const m = createModel(kind, tiny, 1);
    expect(deadVariables(m, () => m.generatorLoss(2, 3).loss, m.generatorVars)).toEqual([]);
    m.dispose();
  });
});

describe("loss and constraint variants", () => {
  it("TGAN hinge + spectral norm: every critic weight trains, u vectors are state", () => {
    const m = createModel("tgan", { ...tiny, ...tganHingeSpectralNorm }, 1);
    expect([...m.stateVars().keys()].filter((k) => k.endsWith(".w.u")).length).toBeGreaterThan(0);
    expect(deadVariables(m, () => m.discriminatorLoss(realBatch(), 2).loss, m.discriminatorVars)).toEqual([]);
    m.dispose();
  });

  it.each(modelKinds)("%s with WGAN-GP and R1: finite losses and gradients through the 3-D critic", (kind) => {
    const m = createModel(kind, { ...tiny, loss: "wgan", gpWeight: 10, r1Gamma: 1 }, 1);
    const real = realBatch();
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const t = m.discriminatorLoss(real, 2);
        const extras = Object.keys(t.extras ?? {}).join(",");
        expect(extras).toMatch(/gradientPenalty/);
        expect(extras).toMatch(/r1/);
        return t.loss;
      }, m.discriminatorVars);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      for (const g of Object.values(grads)) expect(Number.isFinite(tf.sum(tf.abs(g)).dataSync()[0])).toBe(true);
    });
    m.dispose();
  });
});
