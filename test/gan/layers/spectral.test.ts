import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { BatchNorm, ParamStore, SpectralNorm, clipBatchNormGamma, clipSingularValues, spectralNormOf, symmetricEigen } from "@/lib/gan/layers";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Singular values of w viewed as [fanIn, out], descending (√ of the Gram matrix's eigenvalues). */
function singularValues(w: tf.Tensor): number[] {
  const out = w.shape[w.shape.length - 1];
  const fanIn = w.size / out;
  const w2 = tf.reshape(w, [fanIn, out]) as tf.Tensor2D;
  const gram = out <= fanIn ? tf.matMul(w2, w2, true) : tf.matMul(w2, w2, false, true);
  const { values } = symmetricEigen(gram.dataSync(), Math.min(fanIn, out));
  return Array.from(values, (v) => Math.sqrt(Math.max(v, 0))).reverse();
}

describe("symmetricEigen", () => {
  it("decomposes a symmetric matrix: A = V Λ Vᵀ with orthonormal V, ascending Λ", () => {
    const n = 6;
    const b = tf.randomNormal([n, n], 0, 1, "float32", 4) as tf.Tensor2D;
    const a = tf.matMul(b, b, false, true); // SPD
    const { values, vectors } = symmetricEigen(a.dataSync(), n);
    const v = tf.tensor2d(Float32Array.from(vectors), [n, n]); // rows are eigenvectors
    const rebuilt = tf.matMul(tf.mul(tf.transpose(v), tf.tensor1d(Float32Array.from(values))), v);
    expect(tf.max(tf.abs(tf.sub(rebuilt, a))).dataSync()[0]).toBeLessThan(1e-3);
    const eye = tf.matMul(v, v, false, true);
    expect(tf.max(tf.abs(tf.sub(eye, tf.eye(n)))).dataSync()[0]).toBeLessThan(1e-5);
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  });

  it("handles a zero and a diagonal matrix", () => {
    expect(Array.from(symmetricEigen(new Float64Array(9), 3).values)).toEqual([0, 0, 0]);
    expect(Array.from(symmetricEigen([3, 0, 0, 1], 2).values)).toEqual([1, 3]);
  });
});

describe("singular value clipping (TGAN)", () => {
  it("clips every singular value above 1 to 1 and leaves the others", async () => {
    for (const shape of [[4, 4, 3, 8], [2, 3, 10]]) {
      // the first is tall (48 × 8), the second wide (6 × 10)
      const w = tf.variable(tf.randomNormal(shape, 0, 0.4, "float32", 9));
      const before = singularValues(w);
      expect(before[0]).toBeGreaterThan(1.5);
      const clipped = await clipSingularValues(w);
      const after = singularValues(w);
      expect(clipped).toBe(before.filter((s) => s > 1).length);
      before.forEach((s, i) => expect(after[i]).toBeCloseTo(Math.min(s, 1), 4));
      w.dispose();
    }
  });

  it("does nothing to a weight already within the bound", async () => {
    const w = tf.variable(tf.randomNormal([3, 3, 2, 4], 0, 0.01, "float32", 2));
    const copy = tf.clone(w);
    expect(await clipSingularValues(w)).toBe(0);
    expect(tf.max(tf.abs(tf.sub(w, copy))).dataSync()[0]).toBe(0);
    w.dispose();
  });

  it("clips batch-norm γ into [0.01·σ, σ] of the running std", () => {
    const s = ParamStore.root(1, "d");
    const bn = new BatchNorm(s, "bn", 3);
    bn.runningVar.assign(tf.tensor1d([4, 1, 0.25]));
    bn.gamma.assign(tf.tensor1d([3, -1, 0.3]));
    clipBatchNormGamma(bn);
    const g = Array.from(bn.gamma.dataSync());
    [2, 0.01, 0.3].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6));
    s.dispose();
  });
});

describe("SpectralNorm", () => {
  it("divides by the top singular value once the power iteration has converged", () => {
    const s = ParamStore.root(1, "d");
    const w = tf.randomNormal([3, 3, 4, 6], 0, 0.5, "float32", 5);
    const sn = new SpectralNorm(s, "w", w.shape);
    for (let i = 0; i < 30; i++) tf.tidy(() => sn.apply(w, true)); // u persists between calls
    const normalised = sn.apply(w, false);
    expect(spectralNormOf(normalised)).toBeCloseTo(1, 3);
    expect(spectralNormOf(w)).toBeCloseTo(singularValues(w)[0], 3);
    s.dispose();
  });

  it("updates u only in training, and passes gradient to W but not through u", () => {
    const s = ParamStore.root(1, "d");
    const w = tf.variable(tf.randomNormal([5, 4], 0, 1, "float32", 6));
    const sn = new SpectralNorm(s, "w", w.shape);
    const u0 = Array.from(sn.u.dataSync());
    sn.apply(w, false);
    expect(Array.from(sn.u.dataSync())).toEqual(u0);
    const { grads } = tf.variableGrads(() => tf.sum(sn.apply(w, true)), [w, sn.u]);
    expect(Array.from(sn.u.dataSync())).not.toEqual(u0);
    expect(tf.sum(tf.abs(grads[w.name])).dataSync()[0]).toBeGreaterThan(0);
    expect(grads[sn.u.name] == null || tf.sum(tf.abs(grads[sn.u.name])).dataSync()[0] === 0).toBe(true);
    s.dispose();
    w.dispose();
  });
});
