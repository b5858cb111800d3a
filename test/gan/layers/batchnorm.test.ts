import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { BatchNorm, ParamStore } from "@/lib/gan/layers";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const video = () => tf.add(tf.mul(tf.randomNormal([2, 3, 4, 4, 3], 0, 1, "float32", 2), 3), 5) as tf.Tensor5D; // [B, T, H, W, C]

describe("BatchNorm", () => {
  it("normalises each channel of a rank-5 tensor with batch statistics in training", () => {
    const s = ParamStore.root(1, "bn");
    const bn = new BatchNorm(s, "bn", 3);
    const y = bn.apply(video(), true);
    expect(y.shape).toEqual([2, 3, 4, 4, 3]);
    const { mean, variance } = tf.moments(y, [0, 1, 2, 3]);
    for (const m of mean.dataSync()) expect(Math.abs(m)).toBeLessThan(1e-4);
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);
    s.dispose();
  });

  it("updates running averages with momentum (unbiased variance) and uses them at inference", () => {
    const s = ParamStore.root(1, "bn");
    const bn = new BatchNorm(s, "bn", 3, { momentum: 0.5 });
    const x = video();
    const { mean, variance } = tf.moments(tf.reshape(x, [-1, 3]), 0);
    bn.apply(x, true);
    const n = x.size / 3;
    const expMean = Array.from(mean.dataSync()).map((m) => 0.5 * m);
    const expVar = Array.from(variance.dataSync()).map((v) => 0.5 + 0.5 * v * (n / (n - 1)));
    Array.from(bn.runningMean.dataSync()).forEach((m, i) => expect(m).toBeCloseTo(expMean[i], 4));
    Array.from(bn.runningVar.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expVar[i], 3));
    const y = bn.apply(x, false); // (x − runningMean) / √(runningVar + eps)
    const expected = tf.div(tf.sub(x, tf.reshape(bn.runningMean, [1, 1, 1, 1, 3])), tf.sqrt(tf.add(tf.reshape(bn.runningVar, [1, 1, 1, 1, 3]), bn.eps)));
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-5);
    s.dispose();
  });

  it("is differentiable on rank-5 inputs, twice (for gradient penalties)", () => {
    const s = ParamStore.root(1, "bn");
    const bn = new BatchNorm(s, "bn", 3);
    const w = tf.randomNormal([1, 1, 1, 1, 3], 0, 1, "float32", 3);
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.square(bn.apply(x as tf.Tensor5D, true)), w));
    const gx = tf.grad(f)(video());
    expect(gx.shape).toEqual([2, 3, 4, 4, 3]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.grad(f)(video()))), s.trainable());
    for (const g of Object.values(grads)) expect(Number.isFinite(tf.sum(tf.abs(g)).dataSync()[0])).toBe(true);
    expect(tf.sum(tf.abs(grads[bn.gamma.name])).dataSync()[0]).toBeGreaterThan(0);
    s.dispose();
  });

  it("can omit β (TGAN's no-beta variant)", () => {
    const s = ParamStore.root(1, "bn");
    const bn = new BatchNorm(s, "bn", 3, { center: false });
    expect(bn.beta).toBeUndefined();
    expect([...s.entries().keys()]).toEqual(["bn.bn.gamma", "bn.bn.mean", "bn.bn.var"]);
    s.dispose();
  });
});
