// Slice and Tile for wasm as copies of contiguous runs on the wasm heap, and Transpose as blocked copies.
//
// tfjs-backend-wasm 4.22 slices above rank 4, and tiles at any rank, in JS element by element through index
// arithmetic: in a MoCoGAN step at the paper's width the Slice that is a padded 3-D convolution's gradient took
// 1.9 s a call (8.7 s of a 21.6 s step), and the Tile that spreads a mean's gradient over a batch 150 ms. Its
// Transpose is ten times slower than a blocked copy (transpose2d.ts). Other dtypes keep the original kernels.
import * as tf from "@tensorflow/tfjs-core";
import { copyBox, tileInto } from "./box_copy";
import { reducePermutation, transposeBatched } from "./transpose2d";
import type { WasmHeap } from "./wasm_kernels";

type Body = (heap: WasmHeap, x: tf.TensorInfo, attrs: Record<string, unknown>) => tf.TensorInfo;

/** `body` for float32 inputs, the backend's own kernel for the rest. */
function floatKernel(name: string, body: Body): tf.KernelConfig[] {
  const original = tf.getKernel(name, "wasm");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype !== "float32") return original.kernelFunc(args);
    return body(args.backend as unknown as WasmHeap, x, args.attrs as Record<string, unknown>);
  };
  return [{ ...original, kernelFunc }];
}

const slice: Body = (heap, x, attrs) => {
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin as number[], attrs.size as number[]);
  const out = heap.makeOutput(size, "float32");
  // Views after the allocation: it may have moved the heap.
  copyBox(heap.typedArrayFromHeap(x), x.shape, begin, heap.typedArrayFromHeap(out), size, size.map(() => 0), size);
  return out;
};

const tile: Body = (heap, x, attrs) => {
  const reps = attrs.reps as number[];
  const out = heap.makeOutput(x.shape.map((d, i) => d * reps[i]), "float32");
  tileInto(heap.typedArrayFromHeap(x), x.shape, reps, heap.typedArrayFromHeap(out));
  return out;
};

/** Swaps of two merged axes ([R, C] → [C, R], [B, R, C] → [B, C, R]) blocked; other permutations by wasm's kernel. */
function transpose(original: tf.KernelConfig): Body {
  return (heap, x, attrs) => {
    const perm = attrs.perm as number[];
    const { sizes, order } = reducePermutation(x.shape, perm);
    const swap = order.length === 2 ? [1, ...sizes] : order.join() === "0,2,1" ? sizes : null;
    if (swap == null) return original.kernelFunc({ inputs: { x }, backend: heap as unknown as tf.KernelBackend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    const out = heap.makeOutput(perm.map((axis) => x.shape[axis]), "float32");
    transposeBatched(heap.typedArrayFromHeap(x), swap[0], swap[1], swap[2], heap.typedArrayFromHeap(out));
    return out;
  };
}

/** Slice, Tile and Transpose for wasm (call once wasm is loaded). */
export function wasmLayoutKernels(): tf.KernelConfig[] {
  const originalTranspose = tf.getKernel(tf.Transpose, "wasm");
  return [...floatKernel(tf.Slice, slice), ...floatKernel(tf.Tile, tile),
    ...(originalTranspose ? floatKernel(tf.Transpose, transpose(originalTranspose)) : [])];
}
