// Slice, PadV2 and UnsortedSegmentSum as block copies of contiguous runs. The cpu backend does them element by
// element through index arithmetic, which on rank-5 video tensors cost more than all the convolutions of a
// MoCoGAN step (a padded 3-D conv's gradient is a Slice of millions of elements).
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { cpuKernel, floatValues, sizeOf, withFallback } from "./elementwise";
import { NATIVE } from "./names";
import { copyBox } from "../ops/box_copy";
import { pool } from "./pool";


const slice = () => withFallback(tf.Slice, (backend, { x }, attrs) => {
  const xv = floatValues(backend, x);
  if (xv == null || x.shape.length === 0) return null;
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
  tf.slice_util.assertParamsValid(x, begin, size);
  return boxOf(backend, x, xv, begin, size);
});

const pad = () => withFallback(tf.PadV2, (backend, { x }, attrs) => {
  const xv = floatValues(backend, x);
  if (xv == null || x.shape.length === 0) return null;
  const paddings = attrs.paddings as Array<[number, number]>;
  const outShape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const value = (attrs.constantValue as number | undefined) ?? 0;
  const y = value === 0 ? pool.takeZeroed(sizeOf(outShape)) : pool.take(sizeOf(outShape)).fill(value);
  copyBox(xv, x.shape, x.shape.map(() => 0), y, outShape, paddings.map((p) => p[0]), x.shape);
  return backend.makeTensorInfo(outShape, "float32", y);
});

/** Rows of x summed into rows of the output by a 1-D list of segment ids (the gradient of gather on axis 0). */
const segmentSum = () => withFallback(tf.UnsortedSegmentSum, (backend, { x, segmentIds }, attrs) => {
  const xv = floatValues(backend, x);
  if (xv == null || segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) return null;
  const ids = backend.data.get(segmentIds.dataId).values as Int32Array;
  const numSegments = attrs.numSegments as number;
  const row = sizeOf(x.shape.slice(1));
  const y = pool.takeZeroed(numSegments * row);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue; // TF drops out-of-range ids
    const [from, to] = [i * row, s * row];
    for (let j = 0; j < row; j++) y[to + j] += xv[from + j];
  }
  return backend.makeTensorInfo([numSegments, ...x.shape.slice(1)], "float32", y);
});

/** A kernel of several outputs from one input, its float case ours and every other left to the cpu kernel. */
export function piecesKernel(name: string, input: string,
  pieces: (backend: MathBackendCPU, x: tf.TensorInfo, xv: Float32Array, attrs: tf.NamedAttrMap) => tf.TensorInfo[]): tf.KernelConfig {
  const cpu = cpuKernel(name);
  return {
    kernelName: name,
    backendName: NATIVE,
    kernelFunc: (args) => {
      const backend = args.backend as MathBackendCPU;
      const x = args.inputs[input] as tf.TensorInfo;
      const xv = floatValues(backend, x);
      return xv == null ? cpu(args) : pieces(backend, x, xv, args.attrs ?? {});
    },
  };
}

/** The box `size` of x at `begin`, as a new tensor (shaped `shape`, which may drop the box's axes of 1). */
export function boxOf(backend: MathBackendCPU, x: tf.TensorInfo, xv: Float32Array, begin: number[], size: number[], shape = size): tf.TensorInfo {
  const y = pool.take(sizeOf(size));
  copyBox(xv, x.shape, begin, y, size, size.map(() => 0), size);
  return backend.makeTensorInfo(shape, "float32", y);
}

/** Pieces of x along one axis: each a box copy. */
const splitV = () => piecesKernel(tf.SplitV, "x", (backend, x, xv, attrs) => {
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits as number[] | number, axis);
  let at = 0;
  return sizes.map((n) => {
    const begin = x.shape.map((_, i) => (i === axis ? at : 0));
    at += n;
    return boxOf(backend, x, xv, begin, x.shape.map((d, i) => (i === axis ? n : d)));
  });
});

export function layoutKernels(): tf.KernelConfig[] {
  return [slice(), pad(), segmentSum(), splitV()];
}
