// wasm reductions move the reduced axes innermost with a generic transpose, which is slow on rank 5: a
// per-channel sum over [B, T, H, W] of a [16, 8, 16, 16, 64] tensor takes ~230 ms, the same sum on the
// [32768, 64] reshape ~8 ms. Bias gradients and batch-norm statistics are exactly these reductions (even unmerged,
// [65536, 64] summed over its rows took 50 ms). The wrappers merge neighbouring axes that are all reduced or all
// kept before calling the original kernel, and sum "over leading axes" ([N, C] over N) in one pass over the heap.
// (A product with a row of ones, ones[1, N] · x[N, C], was no better: XNNPACK packs its right operand, all of x,
// on every call, 42 ms for [65536, 64], a fifth of a reference step on two threads.)
import * as tf from "@tensorflow/tfjs-core";
import { heapTensor, type WasmHeap } from "./wasm_kernels";

interface Collapsed {
  shape: number[];
  axes: number[];
}

/** Merges runs of neighbouring axes that are all reduced or all kept (size-1 axes join either). */
export function collapseAxes(shape: number[], axes: number[]): Collapsed {
  const reduced = new Set(axes);
  const out: Collapsed = { shape: [], axes: [] };
  let last: boolean | null = null;
  shape.forEach((d, i) => {
    const r = reduced.has(i);
    if (last === r) out.shape[out.shape.length - 1] *= d;
    else {
      if (r) out.axes.push(out.shape.length);
      out.shape.push(d);
      last = r;
    }
  });
  return out;
}

/** Σ over the rows of x [N, C] (times `scale`), accumulated in float64 (no drift over many rows, unlike float32). */
export function columnSums(heap: WasmHeap, x: tf.Tensor, scale: number): tf.Tensor1D {
  const [n, c] = x.shape;
  const sums = new Float64Array(c);
  const v = heap.typedArrayFromHeap(x); // read before heapTensor allocates, which may move the heap
  let r = 0;
  // Four rows at a time: a quarter of the read-modify-writes of `sums` (twice as fast as row by row).
  for (; r + 4 <= n; r += 4) {
    for (let j = 0, k = r * c; j < c; j++, k++) sums[j] += v[k] + v[k + c] + (v[k + 2 * c] + v[k + 3 * c]);
  }
  for (let k = r * c; r < n; r++) for (let j = 0; j < c; j++, k++) sums[j] += v[k];
  return heapTensor(heap, [c], (out) => {
    for (let j = 0; j < c; j++) out[j] = sums[j] * scale;
  }) as tf.Tensor1D;
}

function wrap(original: tf.KernelConfig, mean: boolean | null): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const input = args.inputs.x;
    if (!(input instanceof tf.Tensor) || input.dtype !== "float32") return original.kernelFunc(args);
    const x: tf.Tensor = input;
    // Max names its axes `reductionIndices`; Sum, Mean, Min and Prod name them `axis`.
    const attrs = args.attrs as unknown as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
    const axisAttr = "reductionIndices" in attrs ? "reductionIndices" : "axis";
    const { keepDims } = attrs;
    const axes = tf.util.parseAxisParam(attrs[axisAttr]!, x.shape);
    const c = collapseAxes(x.shape, axes);
    // Sum or mean over the leading axes of [N, C] (already so, or after merging): one pass over the heap.
    const overRows = mean !== null && c.shape.length === 2 && c.axes.length === 1 && c.axes[0] === 0;
    if (!overRows && c.shape.length === x.rank) return original.kernelFunc(args);
    const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    return tf.tidy(() => {
      const x2 = tf.reshape(x, c.shape);
      let y: tf.Tensor;
      if (overRows) {
        y = columnSums(args.backend as unknown as WasmHeap, x2, mean ? 1 / c.shape[0] : 1);
      } else {
        const info = original.kernelFunc({ ...args, inputs: { x: x2 }, attrs: { ...args.attrs, [axisAttr]: c.axes, keepDims: false } }) as tf.TensorInfo;
        y = tf.engine().makeTensorFromTensorInfo(info); // a fresh kernel output: the tensor takes its one reference
      }
      return tf.reshape(y, outShape);
    }) as unknown as tf.TensorInfo;
  };
  return { ...original, kernelFunc };
}

/** Reductions for wasm that avoid rank-5 transposes (call once wasm is loaded). */
export function wasmReduceKernels(): tf.KernelConfig[] {
  const kinds: Array<[string, boolean | null]> = [[tf.Sum, false], [tf.Mean, true], [tf.Max, null], [tf.Min, null], [tf.Prod, null]];
  return kinds.flatMap(([name, mean]) => {
    const k = tf.getKernel(name, "wasm");
    return k == null ? [] : [wrap(k, mean)];
  });
}
