// Conv2D and both its gradients for webgpu on our 3-D shaders (webgpu_conv3d_mm.ts, webgpu_conv3d_input.ts,
// webgpu_conv3d_filter_mm.ts), as 3-D convolutions of one frame: x [N, H, W, C] is x [N, 1, H, W, C], and the
// filter [kh, kw, C, O] has the memory of [1, kh, kw, C, O].
//
// TF.js 4.22's Conv2DBackpropFilter gives each filter element one thread that loops over the batch and every
// output position, as its 3-D ones do; its Conv2D and Conv2DBackpropInput are tiled, but their tiles take the
// shared dimension four channels at a time, so a layer with fewer input channels (the first, on 1-channel frames)
// or odd shapes (TGAN's temporal [4, 1] kernels over 100 channels) falls back to 7–50% of the adapter's matMul
// (npm run bench:kernels); our input gradient was faster than TF.js's at every shape of the three models. NCHW,
// dilations and calls too large for one dispatch keep TF.js's kernels, and so does the forward pass of a head
// (fewer than 4 output channels; see webgpu_conv3d.ts).
import * as tf from "@tensorflow/tfjs-core";
import { convKernel, filterGradShader, forwardShader, inputGradShader, type Geometry } from "./webgpu_conv3d";

type Attrs = Record<string, unknown>;
type Shape4 = [number, number, number, number];
type Info2d = tf.backend_util.Conv2DInfo;

/** The Conv3DInfo of the same convolution over clips of one frame. */
function asOneFrame(i: Info2d): tf.backend_util.Conv3DInfo {
  return {
    ...i,
    inDepth: 1, outDepth: 1, strideDepth: 1, filterDepth: 1, dilationDepth: 1, effectiveFilterDepth: 1,
    padInfo: { ...i.padInfo, front: 0, back: 0 },
    inShape: [i.batchSize, 1, i.inHeight, i.inWidth, i.inChannels],
    outShape: [i.batchSize, 1, i.outHeight, i.outWidth, i.outChannels],
    filterShape: [1, i.filterHeight, i.filterWidth, i.inChannels, i.outChannels],
  } as tf.backend_util.Conv3DInfo;
}

/** A channels-last 2-D call as one-frame clips (null for NCHW); `output` picks the kernel's output shape. */
function asClips(a: Attrs, xShape: number[], filterShape: number[], output: (info: Info2d) => number[]): Geometry | null {
  if (a.dataFormat === "NCHW") return null;
  const info = tf.backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, a.strides as number, 1, a.pad as "same",
    a.dimRoundingMode as "floor" | undefined);
  return { info: asOneFrame(info), shape: output(info) };
}

/** Conv2D and both its gradients for webgpu (call once webgpu is loaded). */
export function webgpuConv2dKernels(): tf.KernelConfig[] {
  return [
    ...convKernel(tf.Conv2D, ["x", "filter"], forwardShader, (shape, a) => asClips(a, shape("x"), shape("filter"), (info) => info.outShape)),
    ...convKernel(tf.Conv2DBackpropInput, ["dy", "filter"], inputGradShader,
      (shape, a) => asClips(a, a.inputShape as number[], shape("filter"), (info) => info.inShape)),
    ...convKernel(tf.Conv2DBackpropFilter, ["x", "dy"], filterGradShader,
      (shape, a) => asClips(a, shape("x"), a.filterShape as number[], (info) => info.filterShape)),
  ];
}
