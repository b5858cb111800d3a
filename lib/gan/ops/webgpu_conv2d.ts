// Conv2D and both its gradients for webgpu on our 3-D shaders (webgpu_conv3d_mm.ts, webgpu_conv3d_filter_mm.ts),
// as 3-D convolutions of one frame: x [N, H, W, C] is x [N, 1, H, W, C], and the filter [kh, kw, C, O] has the
// memory of [1, kh, kw, C, O].
//
// TF.js 4.22's Conv2DBackpropFilter gives each filter element one thread that loops over the batch and every
// output position, as its 3-D ones do; its Conv2D and Conv2DBackpropInput are tiled, but their tiles take the
// shared dimension four channels at a time, so a layer with fewer input channels (the first, on 1-channel frames)
// or odd shapes (TGAN's temporal [4, 1] kernels over 100 channels) falls back to 7–50% of the adapter's matMul
// (npm run bench:kernels). NCHW, dilations and calls too large for one dispatch keep TF.js's kernels, and so do the
// forward pass of a head (fewer than 4 output channels; see webgpu_conv3d.ts) and the input gradient of an image
// of fewer than 4 channels, where TF.js's tiles measured faster than ours (71–81% of the matMul against 37–40%).
import * as tf from "@tensorflow/tfjs-core";
import { conv3dFilterGradMM, filterFitsOneDispatch } from "./webgpu_conv3d_filter_mm";
import { fitsOneDispatch, runConv3dMM, type WebgpuRunner } from "./webgpu_conv3d_mm";

type Attrs = Record<string, unknown>;
type Shape4 = [number, number, number, number];

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

const dilated = (a: Attrs) => a.dilations != null && !tf.backend_util.tupleValuesAreOne(a.dilations as number | number[]);

function kernel(kernelName: string, names: [string, string], geometry: (shapeOf: (name: string) => number[], a: Attrs) => [Shape4, Shape4],
  run: (backend: WebgpuRunner, a: tf.TensorInfo, b: tf.TensorInfo, clips: tf.backend_util.Conv3DInfo, info: tf.backend_util.Conv2DInfo) => tf.TensorInfo | null): tf.KernelConfig[] {
  const original = tf.getKernel(kernelName, "webgpu");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const a = args.attrs as Attrs;
    if (a.dataFormat === "NCHW" || dilated(a)) return original.kernelFunc(args);
    const [xShape, filterShape] = geometry((name) => (args.inputs[name] as tf.TensorInfo).shape, a);
    const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, a.strides as number, 1, a.pad as "same", a.dimRoundingMode as "floor" | undefined);
    const [x, y] = names.map((name) => args.inputs[name] as tf.TensorInfo);
    return run(args.backend as unknown as WebgpuRunner, x, y, asOneFrame(info), info) ?? original.kernelFunc(args);
  };
  return [{ ...original, kernelFunc }];
}

/** Conv2D and both its gradients for webgpu (call once webgpu is loaded). */
export function webgpuConv2dKernels(): tf.KernelConfig[] {
  return [
    ...kernel(tf.Conv2D, ["x", "filter"], (shape) => [shape("x") as Shape4, shape("filter") as Shape4], (backend, x, w, clips, info) =>
      info.outChannels >= 4 && fitsOneDispatch("forward", clips) ? { ...runConv3dMM(backend, "forward", x, w, clips), shape: info.outShape } : null),
    ...kernel(tf.Conv2DBackpropInput, ["dy", "filter"], (shape, a) => [a.inputShape as Shape4, shape("filter") as Shape4], (backend, dy, w, clips, info) =>
      info.inChannels >= 4 && fitsOneDispatch("input", clips) ? { ...runConv3dMM(backend, "input", dy, w, clips), shape: info.inShape } : null),
    ...kernel(tf.Conv2DBackpropFilter, ["x", "dy"], (shape, a) => [shape("x") as Shape4, a.filterShape as Shape4], (backend, x, dy, clips, info) =>
      filterFitsOneDispatch(clips) ? { ...conv3dFilterGradMM(backend, x, dy, clips), shape: info.filterShape } : null),
  ];
}
