// Singular value clipping (Saito et al. 2017, TGAN §4): after a critic update, every weight W viewed as
// a matrix gets W ← U·min(Σ, 1)·Vᵀ, and every batch norm's γ is clipped into [0.01·σ, σ] (σ = running
// std), which bounds each layer's Lipschitz constant by 1 as WGAN requires.
//
// TF.js has no SVD. Clipping only needs the right singular vectors whose σ exceeds the limit, and those
// are eigenvectors of the Gram matrix G = WᵀW (or WWᵀ, whichever is smaller: ≤ 512 × 512 for every
// critic layer we build). With G = Σ λᵢ eᵢeᵢᵀ,
//     clip(W) = W − W · Σ_{λᵢ > c²} (1 − c/√λᵢ) eᵢeᵢᵀ,
// which is exactly U·min(Σ, c)·Vᵀ. G is formed on the backend, only its n² entries cross to the host
// for a float64 eigen-decomposition, and the correction is applied on the backend again. Power
// iteration / deflation would be simpler but at DCGAN's N(0, 0.02) initialisation nearly every singular
// value of a 512 × 8192 conv matrix exceeds 1, so it would need hundreds of deflation steps.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { BatchNorm } from "./batchnorm";
import { symmetricEigen } from "./symeig";

/**
 * Clips the singular values of `w` (viewed as [fanIn, out]) to at most `limit`. Resolves to how many were clipped.
 * Async: the Gram matrix is read back without blocking (a GPU backend in Node cannot read synchronously at all).
 */
export async function clipSingularValues(w: tf.Variable, limit = 1): Promise<number> {
  const out = w.shape[w.shape.length - 1];
  const fanIn = w.size / out;
  const n = Math.min(out, fanIn);
  const rightSide = out <= fanIn; // G = WᵀW (out × out) when the output side is the small one
  const gram = tf.tidy(() => gramOf(tf.reshape(w, [fanIn, out]) as tf.Tensor2D));
  const g = await gram.data(); // [n, n]
  gram.dispose();
  const threshold = limit * limit;
  if (gershgorinBound(g, n) <= threshold) return 0; // every λ ≤ c²: nothing to clip, skip the O(n³) part
  const { values, vectors } = symmetricEigen(g, n);
  const picked: number[] = [];
  for (let j = 0; j < n; j++) if (values[j] > threshold) picked.push(j);
  if (picked.length === 0) return 0;
  const k = picked.length;
  const e = new Float32Array(n * k); // [n, k]: the eigenvectors to shrink, as columns
  const scale = new Float32Array(k); // 1 − c/√λ
  picked.forEach((j, col) => {
    scale[col] = 1 - limit / Math.sqrt(values[j]);
    for (let i = 0; i < n; i++) e[i * k + col] = vectors[j * n + i];
  });
  tf.tidy(() => {
    const w2 = tf.reshape(w, [fanIn, out]) as tf.Tensor2D;
    const e2 = tf.tensor2d(e, [n, k]);
    const p = tf.matMul(tf.mul(e2, tf.tensor1d(scale)), tf.transpose(e2)); // [n, n] = E diag(s) Eᵀ
    const clipped = rightSide ? tf.sub(w2, tf.matMul(w2, p)) : tf.sub(w2, tf.matMul(p, w2));
    w.assign(tf.reshape(clipped, w.shape));
  });
  return k;
}

/**
 * WᵀW or WWᵀ, whichever is smaller. Transposes explicitly: tfjs-backend-wasm's matMul with
 * transposeA (or transposeB on a long inner axis) is ~15× slower than transposing first.
 */
function gramOf(w2: tf.Tensor2D): tf.Tensor2D {
  const [fanIn, out] = w2.shape;
  return out <= fanIn ? tf.matMul(tf.transpose(w2), w2) : tf.matMul(w2, tf.transpose(w2));
}

/** Upper bound on a symmetric matrix's largest eigenvalue: max row sum of |entries| (Gershgorin). */
function gershgorinBound(g: ArrayLike<number>, n: number): number {
  let bound = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += Math.abs(g[i * n + j]);
    bound = Math.max(bound, row);
  }
  return bound;
}

/** TGAN's batch-norm rule (published code): γ ∈ [0.01·σ, σ] with σ the running standard deviation. */
export function clipBatchNormGamma(bn: BatchNorm): void {
  tf.tidy(() => {
    const std = tf.sqrt(bn.runningVar);
    bn.gamma.assign(tf.minimum(tf.maximum(bn.gamma, tf.mul(std, 0.01)), std));
  });
}

/** Largest singular value of a weight viewed as [fanIn, out] (host-side check, for tests and monitoring). */
export function spectralNormOf(w: tf.Tensor): number {
  const out = w.shape[w.shape.length - 1];
  const fanIn = w.size / out;
  const gram = tf.tidy(() => gramOf(tf.reshape(w, [fanIn, out]) as tf.Tensor2D));
  const { values } = symmetricEigen(gram.dataSync(), Math.min(out, fanIn));
  gram.dispose();
  return Math.sqrt(Math.max(0, values[values.length - 1]));
}
