// Depthwise conv gradients for wasm (the backend has neither), as direct loops on the wasm heap. Depthwise
// convs do K·C work per output, so plain loops are fast enough; none of our models depends on them.
import type * as tf from "@tensorflow/tfjs-core";
import { type ConvGeometry, forEachTap } from "./im2col";
import { heapTensor, type WasmHeap } from "./wasm_kernels";

/** dW[kh, kw, C, M] = Σ x[window, c] · dy[·, c·M + m]. `g` has outChannels = C·M. */
export function depthwiseFilterGrad(heap: WasmHeap, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry, mult: number): tf.Tensor {
  const c = g.inChannels;
  const taps = g.kernel[1] * g.kernel[2];
  return heapTensor(heap, [g.kernel[1], g.kernel[2], c, mult], (dw) => {
    const xs = heap.typedArrayFromHeap(x);
    const dys = heap.typedArrayFromHeap(dy);
    dw.fill(0, 0, taps * c * mult);
    forEachTap(g, 0, g.batch, (row, tap, at) => {
      const dyRow = row * c * mult;
      const wAt = tap * c * mult;
      for (let ch = 0; ch < c; ch++) {
        const xv = xs[at + ch];
        for (let m = 0; m < mult; m++) dw[wAt + ch * mult + m] += xv * dys[dyRow + ch * mult + m];
      }
    });
  });
}

/** dx[window, c] += Σ_m W[tap, c, m] · dy[·, c·M + m]. */
export function depthwiseInputGrad(heap: WasmHeap, dy: tf.TensorInfo, w: tf.TensorInfo, g: ConvGeometry, mult: number): tf.Tensor {
  const c = g.inChannels;
  return heapTensor(heap, [g.batch, g.inSpatial[1], g.inSpatial[2], c], (dx) => {
    const ws = heap.typedArrayFromHeap(w);
    const dys = heap.typedArrayFromHeap(dy);
    dx.fill(0);
    forEachTap(g, 0, g.batch, (row, tap, at) => {
      const dyRow = row * c * mult;
      const wAt = tap * c * mult;
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let m = 0; m < mult; m++) s += ws[wAt + ch * mult + m] * dys[dyRow + ch * mult + m];
        dx[at + ch] += s;
      }
    });
  });
}
