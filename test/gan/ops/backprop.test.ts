// The freeing backward pass (lib/gan/ops/backprop.ts): the same gradients as tfjs-core's own Engine.gradients, bit
// for bit, first and second order, with fewer tensors alive while it runs and none left behind.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import "@/lib/gan/ops";
import { initBackend } from "@/lib/gan";
import { createModel, tinyWidth } from "@/lib/gan/models";

beforeAll(async () => {
  await initBackend("cpu");
});

type Gradients = ReturnType<typeof tf.engine>["gradients"];
const engine = tf.engine() as unknown as { gradients: Gradients };
const tfjsGradients = Object.getPrototypeOf(engine).gradients as Gradients; // the instance's is ours

/** Runs f with tfjs-core's own backward pass in place of ours. */
function withTfjsBackprop<T>(f: () => T): T {
  const ours = engine.gradients;
  engine.gradients = tfjsGradients;
  try {
    return f();
  } finally {
    engine.gradients = ours;
  }
}

/** Every variable's gradient of `loss`, as plain arrays. */
function gradientValues(loss: () => tf.Scalar, vars: tf.Variable[]): number[][] {
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, vars);
    return vars.map((v) => Array.from(grads[v.name].dataSync()));
  });
}

describe("the freeing backward pass", () => {
  it("is installed on the engine", () => {
    expect(engine.gradients).not.toBe(tfjsGradients);
  });

  it("gives tfjs-core's gradients exactly, for a MoCoGAN's D with R1 (a gradient of a gradient) and its G", () => {
    const model = createModel("mocogan", { width: tinyWidth, size: 16, frames: 8, channels: 1, r1Gamma: 1, loss: "hinge", spectralNorm: true }, 3);
    const real = tf.randomUniform([2, 8, 16, 16, 1], -1, 1, "float32", 5) as tf.Tensor5D;
    const dLoss = () => model.discriminatorLoss(real, 9).loss;
    const gLoss = () => model.generatorLoss(2, 9).loss;
    // Spectral norm's power iteration moves its vectors on every call: compare from the same saved state.
    const state = [...model.stateVars().values()].filter((v) => !v.trainable);
    const snapshot = state.map((v) => v.clone());
    const restore = () => state.forEach((v, i) => v.assign(snapshot[i]));
    for (const [loss, vars] of [[dLoss, model.discriminatorVars], [gLoss, model.generatorVars]] as const) {
      restore();
      const before = tf.memory().numTensors;
      const ours = gradientValues(loss, vars);
      expect(tf.memory().numTensors).toBe(before);
      restore();
      const theirs = withTfjsBackprop(() => gradientValues(loss, vars));
      expect(ours).toEqual(theirs);
    }
    snapshot.forEach((t) => t.dispose());
    real.dispose();
    model.dispose();
  });

  it("frees each gradient and saved tensor once the nodes left do not need it", () => {
    // y = sin(sin(…sin(x)…)), 40 deep; the first node's gradient counts the tensors alive when it runs, which is
    // the end of the backward pass: tfjs-core still holds every gradient and saved input of the chain there.
    const aliveAtEnd: number[] = [];
    const probe = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
      value: tf.clone(args[0] as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => {
        aliveAtEnd.push(tf.memory().numTensors);
        return tf.clone(dy);
      },
    }));
    const x = tf.randomNormal([64, 64], 0, 1, "float32", 1);
    const chain = () => {
      let h = probe(x) as tf.Tensor;
      for (let i = 0; i < 40; i++) h = tf.sin(h);
      return tf.sum(h) as tf.Scalar;
    };
    const before = tf.memory().numTensors;
    const ours = tf.tidy(() => Array.from(tf.grad(chain)(x).dataSync()));
    const theirs = withTfjsBackprop(() => tf.tidy(() => Array.from(tf.grad(chain)(x).dataSync())));
    expect(ours).toEqual(theirs);
    expect(tf.memory().numTensors).toBe(before);
    const [oursAlive, theirsAlive] = aliveAtEnd.map((n) => n - before);
    expect(theirsAlive).toBeGreaterThanOrEqual(80); // 40 gradients and 40 saved inputs, at least
    expect(oursAlive).toBeLessThan(10);
    x.dispose();
  });

  it("leaves the caller's dy alone", () => {
    const x = tf.tensor1d([1, 2, 3]);
    const dy = tf.tensor1d([1, 1, 2]);
    const { value, grads } = tf.engine().gradients(() => tf.mul(tf.exp(x), 2), [x], dy);
    const expected = tf.tidy(() => Array.from(tf.mul(tf.exp(x), tf.mul(dy, 2)).dataSync()));
    expect(Array.from(grads[0].dataSync())).toEqual(expected);
    expect(dy.isDisposed).toBe(false);
    value.dispose();
    grads[0].dispose();
    dy.dispose();
    x.dispose();
  });
});
