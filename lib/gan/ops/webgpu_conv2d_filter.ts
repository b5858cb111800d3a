// Conv2DBackpropFilter for webgpu on the 3-D filter-gradient shader (webgpu_conv3d_filter_mm.ts), as a 3-D
// convolution of one frame: x [N, H, W, C] is x [N, 1, H, W, C], and the filter [kh, kw, C, O] has the memory of
// [1, kh, kw, C, O]. TF.js 4.22's gives each filter element one thread that loops over the batch and every output
// position, as its 3-D ones do; MoCoGAN's image generator and image discriminator, and every per-frame 2-D layer,
// train through it. NCHW and calls too large for one dispatch keep TF.js's kernel.
import * as tf from "@tensorflow/tfjs-core";
import { conv3dFilterGradMM, filterFitsOneDispatch } from "./webgpu_conv3d_filter_mm";
import type { WebgpuRunner } from "./webgpu_conv3d_mm";

type Attrs = Record<string, unknown>;

/** The Conv3DInfo of the same convolution over clips of one frame. */
function asOneFrame(i: tf.backend_util.Conv2DInfo): tf.backend_util.Conv3DInfo {
  return {
    ...i,
    inDepth: 1, outDepth: 1, strideDepth: 1, filterDepth: 1, dilationDepth: 1, effectiveFilterDepth: 1,
    padInfo: { ...i.padInfo, front: 0, back: 0 },
    inShape: [i.batchSize, 1, i.inHeight, i.inWidth, i.inChannels],
    outShape: [i.batchSize, 1, i.outHeight, i.outWidth, i.outChannels],
    filterShape: [1, i.filterHeight, i.filterWidth, i.inChannels, i.outChannels],
  } as tf.backend_util.Conv3DInfo;
}

/** Conv2DBackpropFilter for webgpu (call once webgpu is loaded). */
export function webgpuConv2dFilterKernels(): tf.KernelConfig[] {
  const original = tf.getKernel(tf.Conv2DBackpropFilter, "webgpu");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = args.attrs as Attrs;
    const filterShape = a.filterShape as [number, number, number, number];
    if (a.dataFormat === "NCHW") return original.kernelFunc(args);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape,
      a.strides as number, 1, a.pad as "same", a.dimRoundingMode as "floor" | undefined);
    const clips = asOneFrame(info);
    if (!filterFitsOneDispatch(clips)) return original.kernelFunc(args);
    return { ...conv3dFilterGradMM(args.backend as unknown as WebgpuRunner, x, dy, clips), shape: filterShape };
  };
  return [{ ...original, kernelFunc }];
}
