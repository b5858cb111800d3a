import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Conv2d, Dense, ParamStore, leakyRelu } from "@/lib/gan/layers";
import { bceWithLogits, discriminatorLoss, generatorLoss, gradientPenalty, r1Penalty } from "@/lib/gan/losses";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const value = (t: tf.Tensor) => t.dataSync()[0];
const softplus = (x: number) => Math.log1p(Math.exp(x));

describe("adversarial losses (closed forms)", () => {
  it("BCE with logits: mean of −t·log σ(x) − (1−t)·log(1−σ(x))", () => {
    const x = tf.tensor1d([2, -3, 0]);
    expect(value(bceWithLogits(x, 1))).toBeCloseTo((softplus(-2) + softplus(3) + Math.LN2) / 3, 6);
    expect(value(bceWithLogits(x, 0))).toBeCloseTo((softplus(2) + softplus(-3) + Math.LN2) / 3, 6);
  });

  it("BCE stays finite and exact for huge logits", () => {
    const x = tf.tensor1d([100, -100]);
    expect(value(bceWithLogits(x, 1))).toBeCloseTo(50, 4); // (0 + 100) / 2
    expect(value(bceWithLogits(x, 0))).toBeCloseTo(50, 4);
    const g = tf.grad((v: tf.Tensor) => bceWithLogits(v, 1))(x);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it("BCE: D = −log σ(r) − log(1 − σ(f)); non-saturating G = −log σ(f)", () => {
    const real = tf.tensor2d([[1], [3]]);
    const fake = tf.tensor2d([[-1], [0.5]]);
    const d = (softplus(-1) + softplus(-3)) / 2 + (softplus(-1) + softplus(0.5)) / 2;
    expect(value(discriminatorLoss("bce", real, fake))).toBeCloseTo(d, 6);
    expect(value(generatorLoss("bce", fake))).toBeCloseTo((softplus(1) + softplus(-0.5)) / 2, 6);
  });

  it("hinge: D = E[relu(1 − r)] + E[relu(1 + f)], G = −E[f]", () => {
    const real = tf.tensor1d([2, 0.5]);
    const fake = tf.tensor1d([-2, 0.3]);
    expect(value(discriminatorLoss("hinge", real, fake))).toBeCloseTo(0.25 + 0.65, 6);
    expect(value(generatorLoss("hinge", fake))).toBeCloseTo(0.85, 6);
  });

  it("WGAN: critic = E[f] − E[r], G = −E[f]; averages patch outputs", () => {
    const real = tf.tensor2d([[1, 3], [2, 2]]);
    const fake = tf.tensor2d([[0, 1], [-1, 0]]);
    expect(value(discriminatorLoss("wgan", real, fake))).toBeCloseTo(0 - 2, 6);
    expect(value(generatorLoss("wgan", fake))).toBeCloseTo(0, 6);
  });
});

describe("gradient penalties", () => {
  // A linear critic D(x) = Σ w·x has ∇ₓD = w everywhere: GP = (‖w‖ − 1)², R1 = ‖w‖².
  const real = tf.randomNormal([3, 2, 2, 1], 0, 1, "float32", 1);
  const fake = tf.randomNormal([3, 2, 2, 1], 0, 1, "float32", 2);
  const linear = (w: tf.Tensor) => (x: tf.Tensor) => tf.sum(tf.mul(x, w), [1, 2, 3]);

  it("WGAN-GP and R1 closed forms on a linear critic", () => {
    const w = tf.tensor4d([1, 1, 1, 1], [1, 2, 2, 1]); // ‖w‖ = 2
    expect(value(gradientPenalty(linear(w), real, fake, 3))).toBeCloseTo(1, 5);
    expect(value(r1Penalty(linear(w), real))).toBeCloseTo(4, 5);
  });

  it("R1 on a quadratic critic: D = ½‖x‖² → E‖x‖²", () => {
    const d = (x: tf.Tensor) => tf.mul(tf.sum(tf.square(x), [1, 2, 3]), 0.5);
    const expected = value(tf.mean(tf.sum(tf.square(real), [1, 2, 3])));
    expect(value(r1Penalty(d, real))).toBeCloseTo(expected, 4);
  });

  it("gradient of the penalty w.r.t. the critic's weights matches the closed form", () => {
    const w = tf.variable(tf.tensor4d([1, 2, 0, -1], [1, 2, 2, 1])); // ‖w‖ = √6
    const norm = Math.sqrt(6);
    const gp = tf.variableGrads(() => gradientPenalty(linear(w), real, fake, 3), [w]).grads[w.name];
    const expectGp = [1, 2, 0, -1].map((v) => (2 * (norm - 1) * v) / norm); // d/dw (‖w‖ − 1)²
    Array.from(gp.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(expectGp[i], 4));
    const r1 = tf.variableGrads(() => r1Penalty(linear(w), real), [w]).grads[w.name];
    Array.from(r1.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(2 * [1, 2, 0, -1][i], 4)); // d/dw ‖w‖²
    w.dispose();
  });

  it("gradient-of-gradient through conv + dense + leaky ReLU is finite and reaches every weight", () => {
    const s = ParamStore.root(4, "d");
    const conv = new Conv2d(s, "conv", 1, 3, { kernel: 3, strides: 2, pad: "same" });
    const fc = new Dense(s, "fc", 3, 1);
    const d = (x: tf.Tensor) => fc.apply(tf.reshape(leakyRelu(conv.apply(x as tf.Tensor4D, true)), [x.shape[0], -1]) as tf.Tensor2D, true);
    const imgReal = tf.randomNormal([4, 2, 2, 1], 0, 1, "float32", 5);
    const imgFake = tf.randomNormal([4, 2, 2, 1], 0, 1, "float32", 6);
    const weights = s.trainable().filter((v) => v.rank > 1);
    for (const penalty of [() => gradientPenalty(d, imgReal, imgFake, 7), () => r1Penalty(d, imgReal)]) {
      const { value: p, grads } = tf.variableGrads(penalty, weights);
      expect(Number.isFinite(value(p))).toBe(true);
      for (const v of weights) {
        const g = tf.sum(tf.abs(grads[v.name]));
        expect(Number.isFinite(value(g))).toBe(true);
        expect(value(g)).toBeGreaterThan(0);
      }
    }
    s.dispose();
  });
});
