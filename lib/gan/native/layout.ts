// Slice, PadV2 and UnsortedSegmentSum as block copies of contiguous runs. The cpu backend does them element by
// element through index arithmetic, which on rank-5 video tensors cost more than all the convolutions of a
// MoCoGAN step (a padded 3-D conv's gradient is a Slice of millions of elements).
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { cpuKernel, floatValues, sizeOf, withFallback } from "./elementwise";
import { NATIVE } from "./names";
import { pool } from "./pool";

function rowMajor(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Copies n floats from src at `from` to dst at `to`: a loop for short runs, where a subarray costs more than it saves. */
export function copyRun(src: Float32Array, from: number, dst: Float32Array, to: number, n: number): void {
  if (n >= 64) dst.set(src.subarray(from, from + n), to);
  else for (let j = 0; j < n; j++) dst[to + j] = src[from + j];
}

/**
 * Copies the box `size` at `srcStart` of `src` (shaped srcShape) to `dstStart` of `dst` (shaped dstShape), one
 * contiguous run at a time: trailing axes the box spans whole in both arrays merge into the run.
 */
export function copyBox(src: Float32Array, srcShape: readonly number[], srcStart: readonly number[], dst: Float32Array,
  dstShape: readonly number[], dstStart: readonly number[], size: readonly number[]): void {
  const rank = size.length;
  if (sizeOf(size) === 0) return;
  let k = rank - 1; // the run covers axes k.. (whole below k+1)
  while (k > 0 && size[k] === srcShape[k] && size[k] === dstShape[k]) k--;
  const run = sizeOf(size.slice(k));
  const [ss, ds] = [rowMajor(srcShape), rowMajor(dstShape)];
  let srcOff = 0;
  let dstOff = 0;
  for (let i = 0; i < rank; i++) {
    srcOff += srcStart[i] * ss[i];
    dstOff += dstStart[i] * ds[i];
  }
  const rows = sizeOf(size.slice(0, k));
  const index = new Array<number>(k).fill(0);
  for (let r = 0; r < rows; r++) {
    copyRun(src, srcOff, dst, dstOff, run);
    // Odometer over axes k-1 … 0.
    for (let a = k - 1; a >= 0; a--) {
      index[a]++;
      srcOff += ss[a];
      dstOff += ds[a];
      if (index[a] < size[a]) break;
      srcOff -= ss[a] * size[a];
      dstOff -= ds[a] * size[a];
      index[a] = 0;
    }
  }
}

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
