// Conv2DBackpropFilter for webgpu as one tiled product per kernel tap (tapProducts, webgpu_conv3d.ts). TF.js 4.22's
// gives each filter element one thread that loops over the batch and every output position, as its 3-D ones do;
// MoCoGAN's image generator and image discriminator, and every per-frame 2-D layer, train through it. The same
// rule as the 3-D filter gradient decides which calls it takes: at least 1,024 output positions and 32 input
// channels; the rest (and NCHW) keep TF.js's kernel.
import * as tf from "@tensorflow/tfjs-core";
import { asTensor, type RefCounting } from "./wasm_kernels";
import { tapProducts } from "./webgpu_conv3d";

type Attrs = Record<string, unknown>;

function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, filterShape: number[]): tf.Tensor {
  const p = info.padInfo;
  const xp = tf.pad(x, [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]]);
  const taps = tapProducts(xp, tf.reshape(dy, [-1, info.outChannels]) as tf.Tensor2D, [info.filterHeight, info.filterWidth],
    [info.strideHeight, info.strideWidth], [info.outHeight, info.outWidth]);
  return tf.reshape(taps, filterShape); // [kh·kw, C, O] → [kh, kw, C, O]
}

/** Conv2DBackpropFilter for webgpu (call once webgpu is loaded). */
export function webgpuConv2dFilterKernels(): tf.KernelConfig[] {
  const original = tf.getKernel(tf.Conv2DBackpropFilter, "webgpu");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = args.attrs as Attrs;
    const filterShape = a.filterShape as number[];
    if (a.dataFormat === "NCHW") return original.kernelFunc(args);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape as [number, number, number, number],
      a.strides as number, 1, a.pad as "same", a.dimRoundingMode as "floor" | undefined);
    if (info.batchSize * info.outHeight * info.outWidth < 1024 || info.inChannels < 32) return original.kernelFunc(args);
    const backend = args.backend as unknown as RefCounting;
    return tf.tidy(() => filterGrad(asTensor(backend, x) as tf.Tensor4D, asTensor(backend, dy) as tf.Tensor4D, info, filterShape)) as unknown as tf.TensorInfo;
  };
  return [{ ...original, kernelFunc }];
}
