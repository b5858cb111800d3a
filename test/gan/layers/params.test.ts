import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ParamStore, countParams } from "@/lib/gan/layers";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("ParamStore", () => {
  it("names variables by scope and keeps them in creation order", () => {
    const s = ParamStore.root(1, "g");
    s.scope("image").scope("up0").variable("w", [2, 3], { kind: "normal", std: 0.02 });
    s.variable("bias", [3], { kind: "constant", value: 0 }, false);
    expect([...s.entries().keys()]).toEqual(["g.image.up0.w", "g.bias"]);
    expect(s.trainable()).toHaveLength(1);
    expect(countParams(s.entries().values())).toBe(9);
    s.dispose();
  });

  it("initial values depend on (seed, name) only, not on creation order", () => {
    const a = ParamStore.root(7, "d");
    a.variable("x", [4], { kind: "normal", std: 1 });
    const ay = a.variable("y", [4], { kind: "normal", std: 1 });
    const b = ParamStore.root(7, "d");
    const by = b.variable("y", [4], { kind: "normal", std: 1 });
    const bx = b.variable("x", [4], { kind: "normal", std: 1 });
    expect(Array.from(by.dataSync())).toEqual(Array.from(ay.dataSync()));
    expect(Array.from(bx.dataSync())).not.toEqual(Array.from(by.dataSync()));
    const c = ParamStore.root(8, "d").variable("y", [4], { kind: "normal", std: 1 });
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(ay.dataSync()));
    a.dispose();
    b.dispose();
    c.dispose();
  });

  it("draws the requested distributions", () => {
    const s = ParamStore.root(3, "p");
    const n = s.variable("n", [4000], { kind: "normal", std: 0.02, mean: 1 });
    const u = s.variable("u", [4000], { kind: "uniform", scale: 0.01 });
    const m = tf.moments(n);
    expect(m.mean.dataSync()[0]).toBeCloseTo(1, 2);
    expect(Math.sqrt(m.variance.dataSync()[0])).toBeCloseTo(0.02, 2);
    expect(tf.max(tf.abs(u)).dataSync()[0]).toBeLessThanOrEqual(0.01);
    s.dispose();
  });

  it("rejects duplicate names", () => {
    const s = ParamStore.root(1, "g");
    s.variable("w", [1], { kind: "constant", value: 1 });
    expect(() => s.variable("w", [1], { kind: "constant", value: 1 })).toThrow(/duplicate/);
    s.dispose();
  });

  it("lets two models use the same names (TF.js variable names are global)", () => {
    const a = ParamStore.root(1, "g");
    const b = ParamStore.root(1, "g");
    a.variable("w", [1], { kind: "constant", value: 1 });
    expect(() => b.variable("w", [1], { kind: "constant", value: 1 })).not.toThrow();
    a.dispose();
    b.dispose();
  });
});
