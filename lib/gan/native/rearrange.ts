// Transpose, GatherV2, Tile and Unpack: kernels that only move floats, as runs of contiguous copies. The cpu backend
// computes every element's coordinates on its own; in a MoCoGAN step that made the gradient of gathering D_I's frames
// (a Transpose by the identity permutation of 262,144 floats) cost more than the generator's largest convolution.
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { floatValues, sizeOf, withFallback } from "./elementwise";
import { copyRun, repeatsWhole, tileInto } from "../ops/box_copy";
import { reducePermutation } from "../ops/transpose2d";
import { boxOf, piecesKernel } from "./layout";
import { pool } from "./pool";

/** The same values under another shape, with no copy (as the cpu backend's Reshape does). */
function share(backend: MathBackendCPU, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

const transpose = () => withFallback(tf.Transpose, (backend, { x }, attrs) => {
  const xv = floatValues(backend, x);
  if (xv == null) return null;
  const perm = attrs.perm as number[];
  const outShape = perm.map((p) => x.shape[p]);
  const { sizes, order } = reducePermutation(x.shape, perm);
  if (order.length <= 1) return share(backend, x, outShape); // the values keep their order
  const inStrides = new Array<number>(sizes.length);
  for (let i = sizes.length - 1, s = 1; i >= 0; s *= sizes[i], i--) inStrides[i] = s;
  const outSizes = order.map((a) => sizes[a]);
  const strides = order.map((a) => inStrides[a]); // input stride of each output axis
  const y = pool.take(xv.length);
  const last = outSizes.length - 1;
  const [n, step] = [outSizes[last], strides[last]];
  const index = new Array<number>(last).fill(0);
  let from = 0;
  for (let at = 0; at < y.length; at += n) {
    for (let j = 0, k = from; j < n; j++, k += step) y[at + j] = xv[k];
    for (let a = last - 1; a >= 0; a--) { // odometer over the outer output axes
      from += strides[a];
      if (++index[a] < outSizes[a]) break;
      from -= strides[a] * outSizes[a];
      index[a] = 0;
    }
  }
  return backend.makeTensorInfo(outShape, "float32", y);
});

/** Rows picked along one axis by a list of indices (batchDims 0); out-of-range indices go to the cpu kernel's error. */
const gather = () => withFallback(tf.GatherV2, (backend, { x, indices }, attrs) => {
  const xv = floatValues(backend, x);
  if (xv == null || ((attrs.batchDims as number | undefined) ?? 0) !== 0) return null;
  const ids = backend.data.get(indices.dataId).values as tf.TypedArray;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const count = x.shape[axis];
  for (let i = 0; i < ids.length; i++) if (!(ids[i] >= 0 && ids[i] < count && Number.isInteger(ids[i]))) return null;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const y = pool.take(outer * ids.length * inner);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < ids.length; i++, at += inner) copyRun(xv, (o * count + ids[i]) * inner, y, at, inner);
  }
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  return backend.makeTensorInfo(shape, "float32", y);
});

/** Copies of x side by side: one box copy per repetition (few, in a model: tiling a code over the frames). */
const tile = () => withFallback(tf.Tile, (backend, { x }, attrs) => {
  const xv = floatValues(backend, x);
  const reps = attrs.reps as number[];
  if (xv == null || x.shape.length === 0) return null;
  if (!repeatsWhole(x.shape, reps) && sizeOf(reps) > 4096) return null; // many copies of a small x: cpu's loop
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const y = pool.take(sizeOf(outShape));
  tileInto(xv, x.shape, reps, y);
  return backend.makeTensorInfo(outShape, "float32", y);
});

/** The slices of x along one axis, each a box copy (tf.unstack: a GRU's steps). */
const unpack = () => piecesKernel(tf.Unpack, "value", (backend, x, xv, attrs) => {
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const box = x.shape.map((d, i) => (i === axis ? 1 : d));
  const shape = x.shape.filter((_, i) => i !== axis);
  return Array.from({ length: x.shape[axis] }, (_, k) => boxOf(backend, x, xv, x.shape.map((_, i) => (i === axis ? k : 0)), box, shape));
});

export function rearrangeKernels(): tf.KernelConfig[] {
  return [transpose(), gather(), tile(), unpack()];
}
