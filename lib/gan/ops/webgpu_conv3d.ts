// Conv3D and both its gradients for webgpu in our shaders: the forward pass and the filter gradient as tiled
// implicit-GEMM shaders (webgpu_conv3d_mm.ts, webgpu_conv3d_filter_mm.ts), the input gradient as a direct transposed
// convolution split by stride phase (webgpu_conv3d_input.ts).
//
// TF.js 4.22's webgpu Conv3D is a naive one-thread-per-output shader, and its two gradients give each output (or
// filter) element one thread that loops over everything it sums: 11–48% of the same adapter's tiled matMul at the
// models' shapes (npm run bench:kernels). Our shaders read x, dy and w where they lie. TF.js's kernels stay for
// dilated convolutions, for calls too large for one dispatch, and for the forward pass of a head (fewer than 4 output
// channels: a critic's one score over a few dozen positions), where one thread per output is faster than tiles with
// one channel to fill.
import * as tf from "@tensorflow/tfjs-core";
import { conv3dFilterGradMM, filterFitsOneDispatch } from "./webgpu_conv3d_filter_mm";
import { conv3dInputGrad, inputGradFitsOneDispatch } from "./webgpu_conv3d_input";
import { conv3dForwardMM, fitsOneDispatch, type WebgpuRunner } from "./webgpu_conv3d_mm";

type Info = tf.backend_util.Conv3DInfo;
type Attrs = Record<string, unknown>;
type Run = (backend: WebgpuRunner, a: tf.TensorInfo, b: tf.TensorInfo, info: Info) => tf.TensorInfo;

/** A call one of our shaders takes: its geometry as a 3-D convolution, and the shape of the kernel's output. */
export interface Taken {
  info: Info;
  shape: number[];
}

/**
 * Webgpu's `kernelName` with the calls that `take` accepts run in `run`, one of our shaders. They write the output's
 * memory in channels-last order, so only its shape is set here. Dilated convolutions, and whatever `take` turns
 * down, keep TF.js's kernel.
 */
export function convKernel(kernelName: string, names: [string, string], take: (shapeOf: (name: string) => number[], attrs: Attrs) => Taken | null,
  run: Run): tf.KernelConfig[] {
  const original = tf.getKernel(kernelName, "webgpu");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const a = args.attrs as Attrs;
    if (a.dilations != null && !tf.backend_util.tupleValuesAreOne(a.dilations as number | number[])) return original.kernelFunc(args);
    const taken = take((name) => (args.inputs[name] as tf.TensorInfo).shape, a);
    if (taken == null) return original.kernelFunc(args);
    const [x, y] = names.map((name) => args.inputs[name] as tf.TensorInfo);
    return { ...run(args.backend as unknown as WebgpuRunner, x, y, taken.info), shape: taken.shape };
  };
  return [{ ...original, kernelFunc }];
}

/** Our three shaders, as convKernel runs them. */
export const runForward: Run = conv3dForwardMM;
export const runInputGrad: Run = conv3dInputGrad;
export const runFilterGrad: Run = conv3dFilterGradMM;

const conv3dInfo = (xShape: number[], filterShape: number[], a: Attrs): Info =>
  tf.backend_util.computeConv3DInfo(xShape as [number, number, number, number, number], filterShape as [number, number, number, number, number],
    a.strides as [number, number, number], 1, a.pad as "same");

/** Conv3D and both its gradients for webgpu (call once webgpu is loaded); the rules were measured with bench:kernels. */
export function webgpuConv3dKernels(): tf.KernelConfig[] {
  return [
    ...convKernel(tf.Conv3D, ["x", "filter"], (shape, a) => {
      const info = conv3dInfo(shape("x"), shape("filter"), a);
      return info.outChannels >= 4 && fitsOneDispatch(info) ? { info, shape: info.outShape } : null;
    }, runForward),
    ...convKernel(tf.Conv3DBackpropInputV2, ["dy", "filter"], (shape, a) => {
      const info = conv3dInfo(a.inputShape as number[], shape("filter"), a);
      return inputGradFitsOneDispatch(info) ? { info, shape: info.inShape } : null;
    }, runInputGrad),
    ...convKernel(tf.Conv3DBackpropFilterV2, ["x", "dy"], (shape, a) => {
      const info = conv3dInfo(shape("x"), a.filterShape as number[], a);
      return filterFitsOneDispatch(info) ? { info, shape: info.filterShape } : null;
    }, runFilterGrad),
  ];
}
