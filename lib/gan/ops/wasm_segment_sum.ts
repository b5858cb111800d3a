// wasm has no UnsortedSegmentSum, which is tf.gather's gradient (MoCoGAN's image discriminator gathers
// frames), so training through gather threw on wasm. A scatter-add loop on the wasm heap.
import * as tf from "@tensorflow/tfjs-core";
import type { WasmHeap } from "./wasm_kernels";

const unsortedSegmentSum: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype !== "float32") throw new Error("UnsortedSegmentSum on wasm: only float32 values are supported");
  const heap = backend as unknown as WasmHeap;
  const n = tf.util.sizeFromShape(segmentIds.shape);
  const inner = tf.util.sizeFromShape(x.shape) / n;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = heap.makeOutput(outShape, "float32");
  // Views after the allocation: it may have moved the heap.
  const xs = heap.typedArrayFromHeap(x);
  const ids = heap.typedArrayFromHeap(segmentIds) as unknown as Int32Array; // int32 on the heap
  const ys = heap.typedArrayFromHeap(out);
  ys.fill(0);
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue; // as in TF: out-of-range ids are dropped
    for (let k = 0; k < inner; k++) ys[s * inner + k] += xs[i * inner + k];
  }
  return out;
};

export const wasmUnsortedSegmentSum: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSum,
};
